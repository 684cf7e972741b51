import ArgumentParser
import FlameHub
@_spi(FlameHubTools) import FlameHubEmulator

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// The SDK has no argument-parser dependency and will never add this conformance itself.
extension HubGeneration: @retroactive ExpressibleByArgument {}

/// `flame-hub-emulator --generation legacy|transitional|current --host 127.0.0.1 --port 3000`
///
/// The Hub's deployment switches are read from the environment under the Hub's own names
/// (`SKIP_PROJECT_APPROVAL=true`, `ROBOT_ADMIN_ENABLED=false`, …); a flag given on the command line
/// wins over the environment.
@main
struct FlameHubEmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flame-hub-emulator",
        abstract: "Runs a local FLAME Hub emulator (auth, core, storage) on one port.",
        discussion: """
            The Hub's switches are also read from these environment variables (the Hub's names): \
            \(HubEmulator.Configuration.environmentNames.joined(separator: ", ")).
            """
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

    @Option(help: "Access-token lifetime in seconds (default: the generation's; TOKEN_ACCESS_MAX_AGE).")
    var accessTokenLifetime: Int?

    @Option(help: "Delay of asynchronous side effects in milliseconds.")
    var asyncEffectDelay = 200

    @Option(
        help:
            "Secret of the seeded system robot (legacy) or system client (current) (ROBOT_ADMIN_SECRET / CLIENT_SYSTEM_SECRET; default start123)."
    )
    var systemSecret: String?

    @Option(help: "Password of the seeded admin user (USER_ADMIN_PASSWORD; default start123).")
    var adminPassword: String?

    @Flag(inversion: .prefixedNo, help: "Project nodes start approved (SKIP_PROJECT_APPROVAL; default off).")
    var skipProjectApproval: Bool?

    @Flag(inversion: .prefixedNo, help: "Analysis nodes start approved (SKIP_ANALYSIS_APPROVAL; default off).")
    var skipAnalysisApproval: Bool?

    @Flag(inversion: .prefixedNo, help: "The seeded admin user is active (USER_ADMIN_ENABLED; default on).")
    var userAdminEnabled: Bool?

    @Flag(
        inversion: .prefixedNo,
        help:
            "The seeded system robot/client is active (ROBOT_ADMIN_ENABLED / CLIENT_SYSTEM_ENABLED; default on, authup's: off)."
    )
    var systemEnabled: Bool?

    @Flag(inversion: .prefixedNo, help: "Users may enrol second factors (authup ≥ beta.53; MFA_ENABLED; default off).")
    var mfaEnabled: Bool?

    @Flag(
        inversion: .prefixedNo, help: "authup records its audit log (authup ≥ beta.53; EVENT_LOG_ENABLED; default on).")
    var eventLog: Bool?

    @Flag(
        inversion: .prefixedNo,
        help: "authup logs entity changes (authup ≥ beta.53; EVENT_LOG_ENTITY_ENABLED; default on).")
    var entityEventLog: Bool?

    @Option(help: "Further built-in permissions, comma-separated (legacy; PERMISSIONS).")
    var permissions: String?

    @Flag(help: "Core/storage: answer missing permissions with 403 instead of the Hub 0.14's 400.")
    var friendlyPermissionErrors = false

    @Flag(help: "Core/storage: answer rejected tokens as the Hub does (0.14: 500) instead of 401.")
    var faithfulTokenErrors = false

    @Flag(help: "Print the generation's routes (SERVICE METHOD /path, one a line) and exit (for route-inventory).")
    var listRoutes = false

    mutating func run() async throws {
        if listRoutes {
            HubEmulator.routeTable(generation: generation).forEach { print($0) }
            return
        }
        var configuration = HubEmulator.Configuration()
        var environment = ProcessInfo.processInfo.environment
        if let permissions { environment["PERMISSIONS"] = permissions }
        do {
            try configuration.applyEnvironment(environment)
        } catch {
            throw ValidationError("\(error)")
        }
        if let accessTokenLifetime { configuration.accessTokenLifetime = .seconds(accessTokenLifetime) }
        configuration.asyncEffectDelay = .milliseconds(asyncEffectDelay)
        if let systemSecret { configuration.systemSecret = systemSecret }
        if let adminPassword { configuration.adminPassword = adminPassword }
        if let skipProjectApproval { configuration.switches.skipProjectApproval = skipProjectApproval }
        if let skipAnalysisApproval { configuration.switches.skipAnalysisApproval = skipAnalysisApproval }
        if let userAdminEnabled { configuration.switches.userAdminEnabled = userAdminEnabled }
        if let systemEnabled { configuration.switches.systemEnabled = systemEnabled }
        if let mfaEnabled { configuration.switches.mfaEnabled = mfaEnabled }
        if let eventLog { configuration.switches.eventLogEnabled = eventLog }
        if let entityEventLog { configuration.switches.eventLogEntityEnabled = entityEventLog }
        configuration.friendlyPermissionErrors = friendlyPermissionErrors
        configuration.faithfulHubTokenErrors = faithfulTokenErrors
        try await HubEmulator.run(generation: generation, host: host, port: port, configuration: configuration) { url in
            // Exactly one line, flushed at once: wrappers wait for it before sending requests.
            print("listening on \(url.absoluteString)")
            fflush(nil)
        }
    }
}
