import FlameHub
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A local, in-memory FLAME Hub (auth, core and storage) on one port, behaving like the real
/// Hub of the chosen generation (the SDK's `HubGeneration`; its emulated versions are
/// `hubVersion` and `authupVersion`).
///
/// ```swift
/// let hub = try await HubEmulator.start(generation: .current)
/// defer { Task { await hub.stop() } }
/// // hub.authURL == http://127.0.0.1:<port>/auth/
/// ```
///
/// Besides the Hub's own paths it serves test hooks under `/_emulator/` (see ``injectFault(_:)``,
/// ``requests``, ``reset()``): `POST /_emulator/faults`, `DELETE /_emulator/faults`,
/// `GET|DELETE /_emulator/requests`, `POST /_emulator/reset`, `GET /_emulator/info`.
public final class HubEmulator: Sendable {
    /// Tunables of an emulator instance.
    public struct Configuration: Sendable {
        /// Access-token lifetime; `nil` = the generation's default (legacy 3600 s, transitional and
        /// current 900 s).
        /// Legacy authup reports `expires_in` as at least 3600 whatever the lifetime (as the real
        /// beta.26 does); the token's `exp` claim and validity follow this value.
        public var accessTokenLifetime: Duration?
        /// Refresh-token lifetime (authup default: 3 days).
        public var refreshTokenLifetime: Duration
        /// Delay of the Hub's asynchronous side effects (buckets appearing, build status moving on).
        public var asyncEffectDelay: Duration
        /// Password of the seeded `admin` user.
        public var adminPassword: String
        /// Secret of the seeded `system` robot (legacy) or `system` client (current).
        public var systemSecret: String
        /// Core/storage current: answer missing permissions with 403 `permission_denied` instead
        /// of the Hub 0.14's 400 `bad_request`.
        public var friendlyPermissionErrors: Bool
        /// Core/storage: answer rejected bearer tokens as the Hub does (0.14: 500
        /// `internal_error`; 0.8: 400 with authup's code) instead of 401.
        public var faithfulHubTokenErrors: Bool
        /// The Hub's deployment switches (`SKIP_PROJECT_APPROVAL`, `ROBOT_ADMIN_ENABLED`, …).
        public var switches: Switches

        public init(
            accessTokenLifetime: Duration? = nil, refreshTokenLifetime: Duration = .seconds(259_200),
            asyncEffectDelay: Duration = .milliseconds(200), adminPassword: String = "start123",
            systemSecret: String = "start123",
            friendlyPermissionErrors: Bool = false, faithfulHubTokenErrors: Bool = false,
            switches: Switches = Switches()
        ) {
            self.accessTokenLifetime = accessTokenLifetime
            self.refreshTokenLifetime = refreshTokenLifetime
            self.asyncEffectDelay = asyncEffectDelay
            self.adminPassword = adminPassword
            self.systemSecret = systemSecret
            self.friendlyPermissionErrors = friendlyPermissionErrors
            self.faithfulHubTokenErrors = faithfulHubTokenErrors
            self.switches = switches
        }
    }

    /// Start-up failures.
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    public let generation: HubGeneration
    public let host: String
    /// The bound port (the real one when started with port 0).
    public let port: Int
    /// Directory for uploaded file contents; removed by ``stop()``.
    public let temporaryDirectory: URL
    let core: EmulatorCore
    private let task: Mutex<Task<Void, any Error>?>
    private let group: ServiceGroup

    /// `http://<host>:<port>/`
    public var baseURL: URL { Self.url("http://\(hostForURL):\(port)/") }
    /// `http://<host>:<port>/auth/`
    public var authURL: URL { Self.url("http://\(hostForURL):\(port)/auth/") }
    /// `http://<host>:<port>/core/`
    public var coreURL: URL { Self.url("http://\(hostForURL):\(port)/core/") }
    /// `http://<host>:<port>/storage/`
    public var storageURL: URL { Self.url("http://\(hostForURL):\(port)/storage/") }
    /// `http://<host>:<port>/telemetry/` (transitional and current generations; legacy Hubs have none).
    public var telemetryURL: URL { Self.url("http://\(hostForURL):\(port)/telemetry/") }

    private var hostForURL: String { host.contains(":") ? "[\(host)]" : host }

    private static func url(_ text: String) -> URL {
        // Built from a host and a port only, so always valid; the fallback keeps this total.
        URL(string: text) ?? URL(fileURLWithPath: "/")
    }

    private init(
        generation: HubGeneration, host: String, port: Int, temporaryDirectory: URL, core: EmulatorCore,
        group: ServiceGroup, task: Task<Void, any Error>
    ) {
        self.group = group
        self.generation = generation
        self.host = host
        self.port = port
        self.temporaryDirectory = temporaryDirectory
        self.core = core
        self.task = Mutex(task)
    }

    /// Starts an emulator in this process and returns once it accepts connections.
    /// - Parameters:
    ///   - port: `0` picks a free port (read it from ``port``).
    public static func start(
        generation: HubGeneration, host: String = "127.0.0.1", port: Int = 0,
        configuration: Configuration = Configuration()
    ) async throws -> HubEmulator {
        let directory = try makeTemporaryDirectory()
        let core = EmulatorCore(generation: generation, configuration: configuration, temporaryDirectory: directory)
        let (ready, readyContinuation) = AsyncStream<Int>.makeStream()
        let application = makeApplication(core: core, host: host, port: port, temporaryDirectory: directory) {
            boundPort in
            readyContinuation.yield(boundPort)
            readyContinuation.finish()
        }
        // Stopped by a graceful shutdown, never by cancelling the server task: a cancelled
        // Hummingbird server drops connections it accepted but has not handled yet, and NIO traps
        // on their unfinished writers ("Deinited NIOAsyncWriter without calling finish()").
        let group = ServiceGroup(services: [application], logger: Logger(label: "flame-hub-emulator"))
        let task = Task {
            defer { readyContinuation.finish() }
            try await group.run()
        }
        var iterator = ready.makeAsyncIterator()
        guard let boundPort = await iterator.next() else {
            await group.triggerGracefulShutdown()
            try? FileManager.default.removeItem(at: directory)
            let failure = await task.result
            throw StartError(description: "the emulator could not bind \(host):\(port): \(failure)")
        }
        return HubEmulator(
            generation: generation, host: host, port: boundPort, temporaryDirectory: directory, core: core,
            group: group, task: task)
    }

    /// Runs an emulator until SIGINT or SIGTERM (used by the `flame-hub-emulator` tool).
    /// - Parameter onReady: called with the base URL once connections are accepted.
    public static func run(
        generation: HubGeneration, host: String, port: Int, configuration: Configuration = Configuration(),
        onReady: @escaping @Sendable (URL) -> Void
    ) async throws {
        let directory = try makeTemporaryDirectory()
        let core = EmulatorCore(generation: generation, configuration: configuration, temporaryDirectory: directory)
        defer { try? FileManager.default.removeItem(at: directory) }
        let application = makeApplication(core: core, host: host, port: port, temporaryDirectory: directory) {
            boundPort in
            let shownHost = host.contains(":") ? "[\(host)]" : host
            onReady(url("http://\(shownHost):\(boundPort)"))
        }
        try await application.runService()
    }

    /// Stops the server and removes the temporary directory. Safe to call twice.
    public func stop() async {
        let running = task.withLock { current -> Task<Void, any Error>? in
            defer { current = nil }
            return current
        }
        if let running {
            // Open event streams never end by themselves and would hold up the drain.
            core.messenger.cutStreams()
            await group.triggerGracefulShutdown()
            // Requests held by a delay or slow-body fault may keep the drain waiting: give up on
            // them after a while rather than hang the caller.
            await withTaskGroup(of: Void.self) { waiters in
                waiters.addTask { _ = await running.result }
                waiters.addTask {
                    try? await Task.sleep(for: .seconds(10))
                    running.cancel()
                }
                await waiters.next()
                waiters.cancelAll()
            }
        }
        try? FileManager.default.removeItem(at: temporaryDirectory)
    }

    /// Restores the freshly seeded state (tokens issued so far become invalid) and clears the
    /// fault list and the request log.
    public func reset() {
        core.reset()
        core.hooks.clearFaults()
        core.hooks.clearRequests()
    }

    /// Schedules a fault for the next matching requests.
    public func injectFault(_ fault: Fault) { core.hooks.add(fault) }

    /// Removes all pending faults.
    public func clearFaults() { core.hooks.clearFaults() }

    /// Requests served so far (oldest first; `/_emulator/` calls excluded).
    public var requests: [LoggedRequest] { core.hooks.requests }

    /// Empties the request log.
    public func clearRequests() { core.hooks.clearRequests() }

    private static func makeTemporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "flame-hub-emulator-\(Support.uuid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    private static func makeApplication(
        core: EmulatorCore, host: String, port: Int, temporaryDirectory: URL,
        onRunning: @escaping @Sendable (Int) -> Void
    ) -> some ApplicationProtocol {
        var logger = Logger(label: "flame-hub-emulator")
        // Stopping cancels the server task, which Hummingbird reports as shutdown "errors";
        // only critical problems are worth printing from a test fixture.
        logger.logLevel = .critical
        return Application(
            responder: EmulatorResponder(core: core),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in onRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }
}
