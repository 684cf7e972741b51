import ArgumentParser
import FlameHub

extension HubGeneration: @retroactive ExpressibleByArgument {}

/// The options every command takes: where the Hub is, who is calling, how to connect, what to print.
///
/// Each setting is taken from its flag, else from its environment variable, else from the
/// configuration file (see ``Settings``). Secrets are never flags: they come from the
/// environment, a file (`--password-file`, `--secret-file`, `--token-file`) or the config file.
struct GlobalOptions: ParsableArguments {
    @Option(help: "The Hub's base URL; auth/, core/ and storage/ are derived from it. [FLAME_HUB_URL]")
    var hub: String?

    @Option(name: .customLong("auth-url"), help: "The auth service's URL (overrides --hub). [FLAME_HUB_AUTH_URL]")
    var authURL: String?

    @Option(name: .customLong("core-url"), help: "The core service's URL (overrides --hub). [FLAME_HUB_CORE_URL]")
    var coreURL: String?

    @Option(
        name: .customLong("storage-url"), help: "The storage service's URL (overrides --hub). [FLAME_HUB_STORAGE_URL]")
    var storageURL: String?

    @Option(help: "Log in as this user. [FLAME_HUB_USERNAME]")
    var username: String?

    @Option(name: .customLong("robot-id"), help: "Log in as this robot (legacy Hubs). [FLAME_HUB_ROBOT_ID]")
    var robotID: String?

    @Option(name: .customLong("client-id"), help: "Log in as this OAuth2 client (current Hubs). [FLAME_HUB_CLIENT_ID]")
    var clientID: String?

    @Option(
        name: .customLong("password-file"),
        help: "Read the user's password from this file ('-': standard input). [FLAME_HUB_PASSWORD]",
        completion: .file())
    var passwordFile: String?

    @Option(
        name: .customLong("otp-file"),
        help: ArgumentHelp(
            "Read the user's one-time code (TOTP or recovery code) from this file ('-': standard input). [FLAME_HUB_OTP]",
            discussion: "Needed only when the user has a confirmed second factor (authup's mfa_required)."),
        completion: .file())
    var otpFile: String?

    @Option(
        name: .customLong("secret-file"),
        help: "Read the robot's or client's secret from this file. [FLAME_HUB_ROBOT_SECRET, FLAME_HUB_CLIENT_SECRET]",
        completion: .file())
    var secretFile: String?

    @Option(
        name: .customLong("token-file"), help: "Read a bearer token from this file. [FLAME_HUB_TOKEN]",
        completion: .file())
    var tokenFile: String?

    @Option(
        help: "The configuration file (default: $XDG_CONFIG_HOME/flamehub/config.json, if present). [FLAME_HUB_CONFIG]",
        completion: .file(extensions: ["json"]))
    var config: String?

    @Option(
        help: "Trust the CA certificates in this PEM file or hashed directory. [FLAME_HUB_CACERT]", completion: .file())
    var cacert: String?

    @Option(help: "Present this client certificate (PEM) for mutual TLS. [FLAME_HUB_CERT]", completion: .file())
    var cert: String?

    @Option(help: "The private key (PEM) of --cert. [FLAME_HUB_KEY]", completion: .file())
    var key: String?

    @Option(help: "Send requests through this proxy, e.g. http://proxy:3128. [FLAME_HUB_PROXY, else HTTPS_PROXY …]")
    var proxy: String?

    @Flag(name: .customLong("no-proxy"), help: "Use no proxy, whatever the environment says.")
    var noProxy = false

    @Option(
        help: "Seconds to wait for a connection, and for progress of a transfer, before giving up. [FLAME_HUB_TIMEOUT]")
    var timeout: Double?

    @Option(help: "Retries of a failed idempotent request (default 3; 0 disables). [FLAME_HUB_RETRIES]")
    var retries: Int?

    @Option(help: "The Hub's generation, legacy, transitional or current (default: detected). [FLAME_HUB_GENERATION]")
    var generation: HubGeneration?

    @Flag(name: .shortAndLong, help: "Log requests to stderr (-v: debug, -vv: trace with headers; secrets redacted).")
    var verbose: Int

    @Flag(help: "Print one JSON document (the SDK's models; lists as {\"data\": […], \"meta\": {…}}).")
    var json = false

    @Flag(name: .shortAndLong, help: "Print only ids, one per line.")
    var quiet = false

    func validate() throws {
        if json && quiet { throw ValidationError("--json and --quiet exclude each other") }
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be a positive number of seconds") }
        if let retries, retries < 0 { throw ValidationError("--retries must not be negative") }
        if noProxy && proxy != nil { throw ValidationError("--proxy and --no-proxy exclude each other") }
    }

    var outputMode: Output.Mode { json ? .json : quiet ? .quiet : .table }
}
