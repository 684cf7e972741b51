import FlameHub
import Logging

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The optional configuration file, `$XDG_CONFIG_HOME/flamehub/config.json` (or `--config FILE`,
/// `FLAME_HUB_CONFIG`): one JSON object with any of these keys, all optional.
///
/// ```json
/// {"hub": "https://hub.example.org/", "clientId": "…", "secretFile": "/run/secrets/hub",
///  "cacert": "/etc/ssl/private-ca.pem", "timeout": 30, "retries": 3, "generation": "current"}
/// ```
/// Unknown keys are rejected, so that a typo does not silently fall back to a default.
struct ConfigFile: Decodable {
    var hub: String?
    var authUrl: String?
    var coreUrl: String?
    var storageUrl: String?
    var username: String?
    var password: String?
    var passwordFile: String?
    var robotId: String?
    var clientId: String?
    var secret: String?
    var secretFile: String?
    var token: String?
    var tokenFile: String?
    var cacert: String?
    var cert: String?
    var key: String?
    var proxy: String?
    var noProxy: Bool?
    var timeout: Double?
    var retries: Int?
    var generation: String?

    static let keys: Set<String> = [
        "hub", "authUrl", "coreUrl", "storageUrl", "username", "password", "passwordFile", "robotId", "clientId",
        "secret", "secretFile", "token", "tokenFile", "cacert", "cert", "key", "proxy", "noProxy", "timeout",
        "retries", "generation",
    ]

    /// The file at `path`; nil when `path` is the default location and nothing is there.
    static func load(_ path: String, required: Bool) throws -> ConfigFile? {
        guard let data = FileManager.default.contents(atPath: path) else {
            if required { throw CLIError(.noInput, "cannot read the configuration file '\(path)'") }
            return nil
        }
        do {
            if case .object(let members) = try JSONDecoder().decode(JSONValue.self, from: data) {
                let unknown = members.keys.filter { !keys.contains($0) }.sorted()
                if let first = unknown.first {
                    throw CLIError(
                        .dataError,
                        "configuration file '\(path)': unknown key '\(first)' (known: \(keys.sorted().joined(separator: ", ")))"
                    )
                }
            }
            return try JSONDecoder().decode(ConfigFile.self, from: data)
        } catch let error as CLIError {
            throw error
        } catch let error as DecodingError {
            throw CLIError(.dataError, "configuration file '\(path)': \(Failure.describe(error))")
        } catch {
            throw CLIError(.dataError, "configuration file '\(path)' is not a JSON object: \(error)")
        }
    }
}

/// Every setting after merging flags, environment and configuration file, strongest first.
struct Settings {
    var authURL: String
    var coreURL: String
    var storageURL: String
    /// `FLAME_HUB_MESSENGER_URL`, else `<hub>/messenger/`.
    var messengerURL: String
    /// From `FLAME_HUB_TELEMETRY_URL` or the Hub URL (no flag yet).
    var telemetryURL: String
    var credentials: Credentials
    var transport: CurlConfiguration
    var retryPolicy: RetryPolicy
    /// The generation given by flag, environment or file; `nil` detects each service's.
    var generation: HubGeneration?
    var logLevel: Logger.Level?

    /// Who the requests are made as.
    enum Credentials {
        case none
        case token(String)
        /// `oneTimeCode`: the second factor for a user with a confirmed authenticator.
        case password(username: String, password: String, oneTimeCode: String?)
        case robot(id: String, secret: String)
        case client(id: String, secret: String)
    }

    init(_ options: GlobalOptions, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        func env(_ name: String) -> String? {
            guard let value = environment[name], !value.isEmpty else { return nil }
            return value
        }
        let file: ConfigFile
        if let path = options.config ?? env("FLAME_HUB_CONFIG") {
            file = try ConfigFile.load(path, required: true) ?? ConfigFile()
        } else if let path = Self.defaultConfigPath(environment) {
            file = try ConfigFile.load(path, required: false) ?? ConfigFile()
        } else {
            file = ConfigFile()
        }

        let hub = options.hub ?? env("FLAME_HUB_URL") ?? file.hub
        func service(_ flag: String?, _ variable: String, _ configured: String?, _ path: String, _ fallback: String)
            throws -> String
        {
            if let url = flag ?? env(variable) ?? configured { return try Self.checkedURL(url) }
            if let hub { return try Self.checkedURL(hub.hasSuffix("/") ? hub + path : hub + "/" + path) }
            return fallback
        }
        authURL = try service(options.authURL, "FLAME_HUB_AUTH_URL", file.authUrl, "auth/", AuthClient.defaultBaseURL)
        coreURL = try service(options.coreURL, "FLAME_HUB_CORE_URL", file.coreUrl, "core/", CoreClient.defaultBaseURL)
        storageURL = try service(
            options.storageURL, "FLAME_HUB_STORAGE_URL", file.storageUrl, "storage/", StorageClient.defaultBaseURL)
        messengerURL = try service(
            nil, "FLAME_HUB_MESSENGER_URL", nil, "messenger/", MessengerClient.defaultBaseURL)
        telemetryURL = try service(
            nil, "FLAME_HUB_TELEMETRY_URL", nil, "telemetry/", TelemetryClient.defaultBaseURL)

        credentials = try Self.credentials(options, env, file)

        var transport = CurlConfiguration()
        if let cacert = options.cacert ?? env("FLAME_HUB_CACERT") ?? file.cacert {
            guard let type = (try? FileManager.default.attributesOfItem(atPath: cacert))?[.type] as? FileAttributeType
            else { throw CLIError(.noInput, "the CA file '\(cacert)' does not exist") }
            transport.tls.trustRoots = type == .typeDirectory ? .directory(cacert) : .file(cacert)
        }
        let cert = options.cert ?? env("FLAME_HUB_CERT") ?? file.cert
        let key = options.key ?? env("FLAME_HUB_KEY") ?? file.key
        switch (cert, key) {
        case (let cert?, let key?): transport.tls.clientCertificate = .init(.files(certificate: cert, key: key))
        case (nil, nil): break
        default: throw CLIError(.usage, "a client certificate needs both --cert and --key")
        }
        if options.noProxy || (options.proxy == nil && file.noProxy == true && env("FLAME_HUB_PROXY") == nil) {
            transport.proxy = .disabled
        } else if let proxy = options.proxy ?? env("FLAME_HUB_PROXY") ?? file.proxy {
            transport.proxy = .explicit(.init(url: proxy))
        }
        if let timeout = try options.timeout ?? Self.number(env("FLAME_HUB_TIMEOUT"), "FLAME_HUB_TIMEOUT")
            ?? file.timeout
        {
            guard timeout > 0 else { throw CLIError(.usage, "the timeout must be a positive number of seconds") }
            let window = Duration.milliseconds(Int64(timeout * 1000))
            transport.timeouts.connect = window
            transport.timeouts.stall = .init(minimumBytesPerSecond: 1, window: window)
        }
        self.transport = transport

        let retries =
            try options.retries ?? Self.number(env("FLAME_HUB_RETRIES"), "FLAME_HUB_RETRIES").map { Int($0) }
            ?? file.retries
        retryPolicy = retries.map { RetryPolicy(maxAttempts: max(0, $0) + 1) } ?? .default

        let generation: HubGeneration?
        if let flag = options.generation {
            generation = flag
        } else if let text = env("FLAME_HUB_GENERATION") ?? file.generation {
            guard let parsed = HubGeneration(rawValue: text) else {
                throw CLIError(.usage, "unknown generation '\(text)' (legacy, transitional or current)")
            }
            generation = parsed
        } else {
            generation = nil
        }
        self.generation = generation

        logLevel =
            switch options.verbose {
            case 0: nil
            case 1: .debug
            default: .trace
            }
    }

    /// `$XDG_CONFIG_HOME/flamehub/config.json`, or `~/.config/flamehub/config.json`.
    static func defaultConfigPath(_ environment: [String: String]) -> String? {
        if let base = environment["XDG_CONFIG_HOME"], !base.isEmpty { return base + "/flamehub/config.json" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/flamehub/config.json" }
        return nil
    }

    private static func checkedURL(_ text: String) throws -> String {
        let lower = text.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
            throw CLIError(.usage, "'\(text)' is not an http(s) URL")
        }
        return text
    }

    private static func number(_ text: String?, _ name: String) throws -> Double? {
        guard let text else { return nil }
        guard let value = Double(text) else { throw CLIError(.usage, "\(name) is not a number: '\(text)'") }
        return value
    }

    /// The identity of the strongest source that names one: flags, then environment, then file.
    /// Within a source a token wins over a user, a user over a robot, a robot over a client.
    private static func credentials(
        _ options: GlobalOptions, _ env: (String) -> String?, _ file: ConfigFile
    ) throws -> Credentials {
        let flagToken = try options.tokenFile.map { try readSecret($0, what: "token") }
        func password() throws -> String? {
            try options.passwordFile.map { try readSecret($0, what: "password") } ?? env("FLAME_HUB_PASSWORD")
                ?? file.password ?? file.passwordFile.map { try readSecret($0, what: "password") }
        }
        func secret(_ variable: String) throws -> String? {
            try options.secretFile.map { try readSecret($0, what: "secret") } ?? env(variable) ?? file.secret
                ?? file.secretFile.map { try readSecret($0, what: "secret") }
        }
        typealias Source = (token: String?, username: String?, robot: String?, client: String?)
        let sources: [Source] = [
            (flagToken, options.username, options.robotID, options.clientID),
            (env("FLAME_HUB_TOKEN"), env("FLAME_HUB_USERNAME"), env("FLAME_HUB_ROBOT_ID"), env("FLAME_HUB_CLIENT_ID")),
            (
                try file.token ?? file.tokenFile.map { try readSecret($0, what: "token") }, file.username, file.robotId,
                file.clientId
            ),
        ]
        for source in sources {
            if let token = source.token { return .token(token) }
            if let username = source.username {
                guard let password = try password() else {
                    throw CLIError(
                        .authentication,
                        "no password for user '\(username)': set FLAME_HUB_PASSWORD or use --password-file")
                }
                // A one-time code expires within its 30 s step, so it has no configuration-file key.
                let code = try options.otpFile.map { try readSecret($0, what: "one-time code") } ?? env("FLAME_HUB_OTP")
                return .password(username: username, password: password, oneTimeCode: code)
            }
            let machines = [
                (source.robot, "robot", "FLAME_HUB_ROBOT_SECRET", Credentials.robot),
                (source.client, "client", "FLAME_HUB_CLIENT_SECRET", Credentials.client),
            ]
            for case (let id?, let kind, let variable, let make) in machines {
                guard let secret = try secret(variable) else {
                    throw CLIError(
                        .authentication, "no secret for \(kind) '\(id)': set \(variable) or use --secret-file")
                }
                return make(id, secret)
            }
        }
        return .none
    }

    /// The first line of a secret file ('-': standard input), without its line break.
    static func readSecret(_ path: String, what: String) throws -> String {
        let text = String(decoding: try StandardInput.contents(of: path, what: what), as: UTF8.self)
        let line =
            text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let value = line.hasSuffix("\r") ? String(line.dropLast()) : line
        guard !value.isEmpty else { throw CLIError(.dataError, "the \(what) file '\(path)' is empty") }
        return value
    }
}
