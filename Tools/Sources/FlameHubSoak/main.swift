import FlameHub
import FlameHubEmulator
import FlameHubHygiene

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#endif

// The soak: mixed traffic (lists, finds, gets, creates and deletes, storage uploads and
// downloads, token refreshes) from the SDK's default transport against an emulator of each
// generation, with a fault injected every half second (503, 500, 401, dropped connections, cut
// and invalid bodies, delays, slow bodies). Every call must succeed or fail with one of the
// SDK's typed errors, and the process's resident memory, sampled every 10 s, must stay flat
// after the first minute. Not a unit test: `.ci/soak [seconds]` runs it (default 300 s).
// Usage: flamehub-soak [seconds] [concurrency]

let arguments = CommandLine.arguments
let seconds = arguments.count > 1 ? Int(arguments[1]) ?? 300 : 300
let concurrency = arguments.count > 2 ? Int(arguments[2]) ?? 8 : 8

/// How one call ended.
enum Outcome: String, CaseIterable {
    case success, apiError, transportError, decodingError, clientError, cancelled, untyped

    init(_ error: any Error) {
        switch error {
        case is HubAPIError: self = .apiError
        case is TransportError: self = .transportError
        case is HubDecodingError: self = .decodingError
        case is HubClientError: self = .clientError
        case is CancellationError: self = .cancelled
        default: self = .untyped
        }
    }
}

struct Session: Sendable {
    let hub: HubEmulator
    let auth: AuthClient
    let core: CoreClient
    let storage: StorageClient
    let bucket: Bucket

    static func start(_ generation: HubGeneration) async throws -> Session {
        let hub = try await HubEmulator.start(
            generation: generation,
            configuration: HubEmulator.Configuration(
                accessTokenLifetime: .seconds(20), asyncEffectDelay: .milliseconds(10)))
        var configuration = CurlConfiguration(proxy: .disabled)
        configuration.timeouts = .init(connect: .seconds(5), request: .seconds(10))
        let transport = CurlTransport(configuration: configuration).with([RetryMiddleware(), UserAgentMiddleware()])
        let password = PasswordAuth(username: "admin", password: "start123", baseURL: hub.authURL.absoluteString)
        let storage = StorageClient(baseURL: hub.storageURL.absoluteString, auth: password, transport: transport)
        return Session(
            hub: hub, auth: AuthClient(baseURL: hub.authURL.absoluteString, auth: password, transport: transport),
            core: CoreClient(baseURL: hub.coreURL.absoluteString, auth: password, transport: transport),
            storage: storage, bucket: try await storage.buckets.create(CreateBucket(name: "soak")))
    }

    /// One call, picked by `index`.
    func call(_ index: Int) async throws {
        switch index % 8 {
        case 0: _ = try await auth.realms.list()
        case 1: _ = try await auth.users.find(filter: ["name": .startsWith("adm")], sort: Sort(by: "name"))
        case 2: _ = try await core.nodes.list()
        case 3:
            let project = try await core.projects.create(CreateProject(name: "soak-\(index)"))
            _ = try await core.projects.get(project)
            try await core.projects.delete(project)
        case 4: _ = try await core.projects.find(filter: ["name": .equals("soak-&=+%#[x]")], page: Page(limit: 5))
        case 5:
            let payload = [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: 4096 + index % 4096)
            let files = try await storage.upload([.bytes(payload, name: "f-\(index).bin")], to: bucket)
            for file in files {
                let bytes = try await storage.streamBucketFile(file).collect(upTo: 1 << 20)
                if bytes != payload { throw SoakFailure.corrupted }
                try await storage.bucketFiles.delete(file)
            }
        case 6: _ = try await core.nodes.get(UUID())
        default: _ = try await storage.buckets.list()
        }
    }

    func injectFault(_ index: Int) {
        let prefixes = ["/auth/realms", "/auth/users", "/auth/token", "/core/nodes", "/core/projects", "/storage/"]
        let actions: [Fault.Action] = [
            .status(503, retryAfter: 0), .status(500), .status(502), .status(401), .dropConnection, .truncatedBody,
            .invalidJSON, .delay(.milliseconds(200)), .slowBody(bytesPerSecond: 4096), .status(429, retryAfter: 0),
        ]
        hub.injectFault(
            Fault(pathPrefix: prefixes[index % prefixes.count], count: 1, action: actions[index % actions.count]))
        // The emulator logs every request for tests; the soak measures the SDK, not that log.
        hub.clearRequests()
    }
}

enum SoakFailure: Error { case corrupted }

let sessions = [try await Session.start(.legacy), try await Session.start(.current)]
let clock = ContinuousClock()
let end = clock.now + .seconds(seconds)
let counts = Counts()
var samples: [(Int, Double)] = [(0, ProcessStats.residentMiB())]
let start = clock.now

await withTaskGroup(of: Void.self) { group in
    for worker in 0..<concurrency {
        group.addTask {
            var index = worker
            while clock.now < end {
                let session = sessions[index % 2]
                do {
                    try await session.call(index / 2)
                    counts.add(.success)
                } catch {
                    let outcome = Outcome(error)
                    counts.add(outcome)
                    if outcome == .untyped { print("untyped error: \(type(of: error)): \(error)") }
                }
                index += concurrency
            }
        }
    }
    group.addTask {
        var index = 0
        var nextSample = clock.now + .seconds(10)
        while clock.now < end {
            try? await Task.sleep(for: .milliseconds(500))
            sessions[index % 2].injectFault(index / 2)
            index += 1
            if clock.now >= nextSample {
                nextSample += .seconds(10)
                let elapsed = Int((clock.now - start).components.seconds)
                let rss = ProcessStats.residentMiB()
                print("t=\(elapsed)s rss=\(rss) MiB calls=\(counts.total)")
                fflush(nil)
                counts.sample(elapsed, rss)
            }
        }
    }
}
for session in sessions { await session.hub.stop() }

let summary = counts.snapshot
print(Outcome.allCases.map { "\($0.rawValue)=\(summary.outcomes[$0] ?? 0)" }.joined(separator: " "))
let steady = summary.samples.filter { $0.0 >= 60 }.map(\.1)
let growth = (steady.last ?? 0) - (steady.first ?? 0)
print(
    "calls: \(summary.outcomes.values.reduce(0, +)) in \(seconds)s; RSS after the first minute: "
        + "\(steady.first ?? -1) → \(steady.last ?? -1) MiB (growth \(growth) MiB, max \(steady.max() ?? -1))")
let untyped = summary.outcomes[.untyped] ?? 0
if untyped > 0 || (seconds >= 120 && growth > 24) {
    print("SOAK FAILED")
    exit(1)
}
print("SOAK PASSED")
