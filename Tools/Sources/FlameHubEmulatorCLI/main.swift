import ArgumentParser
import FlameHub
import FlameHubEmulator

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// The SDK has no argument-parser dependency and will never add this conformance itself.
extension HubGeneration: @retroactive ExpressibleByArgument {}

/// `flame-hub-emulator --generation legacy|transitional|current --host 127.0.0.1 --port 3000`
@main
struct FlameHubEmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flame-hub-emulator",
        abstract: "Runs a local FLAME Hub emulator (auth, core, storage) on one port."
    )

    @Option(
        help:
            "Hub generation to emulate: legacy (Hub 0.8.13), transitional (Hub 0.12.7 with authup 1.0.0-beta.56) or current (Hub 0.14.0)."
    )
    var generation: HubGeneration = .current

    @Option(help: "Address to bind.")
    var host = "127.0.0.1"

    @Option(help: "Port to bind (0 picks a free port).")
    var port = 3000

    @Option(help: "Access-token lifetime in seconds (default: the generation's).")
    var accessTokenLifetime: Int?

    @Option(help: "Delay of asynchronous side effects in milliseconds.")
    var asyncEffectDelay = 200

    @Option(help: "Secret of the seeded system robot (legacy) or system client (current).")
    var systemSecret = "start123"

    @Flag(help: "Core/storage: answer missing permissions with 403 instead of the Hub 0.14's 400.")
    var friendlyPermissionErrors = false

    @Flag(help: "Core/storage: answer rejected tokens as the Hub does (0.14: 500) instead of 401.")
    var faithfulTokenErrors = false

    mutating func run() async throws {
        var configuration = HubEmulator.Configuration()
        configuration.accessTokenLifetime = accessTokenLifetime.map { .seconds($0) }
        configuration.asyncEffectDelay = .milliseconds(asyncEffectDelay)
        configuration.systemSecret = systemSecret
        configuration.friendlyPermissionErrors = friendlyPermissionErrors
        configuration.faithfulHubTokenErrors = faithfulTokenErrors
        try await HubEmulator.run(generation: generation, host: host, port: port, configuration: configuration) { url in
            // Exactly one line, flushed at once: wrappers wait for it before sending requests.
            print("listening on \(url.absoluteString)")
            fflush(nil)
        }
    }
}
