import FlameHub
import FlameHubEmulator
import Foundation
import Testing

/// Fault injection, the request log and reset, through the library API and over HTTP.
@Suite struct TestHookTests {
    @Test func statusFaultWithRetryAfterAppliesNTimes() async throws {
        try await withHub(.current) { hub in
            hub.emulator.injectFault(Fault(pathPrefix: "/core/", count: 2, action: .status(503, retryAfter: 7)))
            let first = try await hub.get("/core/")
            #expect(first.status == 503)
            #expect(first.header("Retry-After") == "7")
            #expect(first.object["statusCode"] == 503)
            #expect(first.object["issues"] == [])
            #expect(try await hub.get("/auth/").status == 200)
            #expect(try await hub.get("/core/").status == 503)
            #expect(try await hub.get("/core/").status == 200)
        }
    }

    @Test func bodyFaults() async throws {
        try await withHub(.legacy) { hub in
            let intact = try await hub.get("/auth/realms")
            hub.emulator.injectFault(Fault(pathPrefix: "/auth/realms", action: .truncatedBody))
            let truncated = try await hub.get("/auth/realms")
            #expect(truncated.status == 200)
            #expect(truncated.bytes.count == intact.bytes.count / 2)
            #expect(truncated.json == nil)

            hub.emulator.injectFault(Fault(pathPrefix: "/auth/realms", method: "GET", action: .invalidJSON))
            let invalid = try await hub.get("/auth/realms")
            #expect(invalid.status == 200)
            #expect(invalid.json == nil)
            #expect(invalid.header("Content-Type")?.hasPrefix("application/json") == true)

            hub.emulator.injectFault(Fault(pathPrefix: "/auth/realms", action: .dropConnection))
            await #expect(throws: (any Error).self) { _ = try await hub.get("/auth/realms") }
            #expect(try await hub.get("/auth/realms").json != nil)
        }
    }

    @Test func delayAndSlowBody() async throws {
        try await withHub(.current) { hub in
            let clock = ContinuousClock()
            hub.emulator.injectFault(Fault(pathPrefix: "/auth/", action: .delay(.milliseconds(300))))
            var started = clock.now
            #expect(try await hub.get("/auth/").status == 200)
            #expect(clock.now - started >= .milliseconds(300))

            let size = try await hub.get("/auth/realms").bytes.count
            hub.emulator.injectFault(Fault(pathPrefix: "/auth/realms", action: .slowBody(bytesPerSecond: size * 2)))
            started = clock.now
            let slow = try await hub.get("/auth/realms")
            #expect(slow.bytes.count == size)
            #expect(slow.json != nil)
            #expect(clock.now - started >= .milliseconds(300))
        }
    }

    @Test func faultsOverHTTP() async throws {
        try await withHub(.current) { hub in
            let added = try await hub.post(
                "/_emulator/faults",
                ["pathPrefix": "/storage/", "count": 1, "action": "status", "status": 429, "retryAfter": 1])
            #expect(added.status == 201)
            #expect(try await hub.get("/storage/").status == 429)
            #expect(try await hub.get("/storage/").status == 200)
            _ = try await hub.post(
                "/_emulator/faults", ["pathPrefix": "/storage/", "count": 5, "action": "status", "status": 500])
            #expect(try await hub.send(.delete, "/_emulator/faults").status == 200)
            #expect(try await hub.get("/storage/").status == 200)
            let rejected = try await hub.post("/_emulator/faults", ["pathPrefix": "/x", "action": "explode"])
            #expect(rejected.status == 400)
        }
    }

    @Test func requestLog() async throws {
        try await withHub(.current) { hub in
            let token = try await hub.adminToken()
            _ = try await hub.get("/auth/users?fields=%2Bemail&page[limit]=5", token: token)
            let entry = try #require(hub.emulator.requests.last)
            #expect(entry.method == "GET")
            #expect(entry.path == "/auth/users")
            #expect(entry.query == "fields=%2Bemail&page[limit]=5")
            #expect(entry.headers["authorization"] == "Bearer \(token)")
            #expect(entry.status == 200)
            #expect(hub.emulator.requests.map(\.path) == ["/auth/token", "/auth/users"])

            let overHTTP = try await hub.get("/_emulator/requests")
            #expect(overHTTP.json?["data"]?.arrayValue?.count == 2)
            #expect(overHTTP.json?["data"]?.arrayValue?.last?["status"] == 200)
            hub.emulator.clearRequests()
            #expect(hub.emulator.requests.isEmpty)
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func resetRestoresTheSeed(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let token = try await hub.adminToken()
            #expect(try await hub.post("/auth/roles", ["name": "temporary"], token: token).status == 201)
            hub.emulator.reset()
            let fresh = try await hub.adminToken()
            #expect(try await hub.get("/auth/roles/temporary", token: fresh).status == 404)
            #expect(
                try await hub.get("/auth/roles/temporary", token: token).status == authupDeadBearerStatus(generation))

            #expect(try await hub.post("/auth/roles", ["name": "temporary"], token: fresh).status == 201)
            #expect(try await hub.post("/_emulator/reset", [:]).status == 200)
            #expect(try await hub.get("/auth/roles/temporary", token: try await hub.adminToken()).status == 404)
        }
    }

    @Test func stopRemovesTheTemporaryDirectoryAndFreesThePort() async throws {
        let emulator = try await HubEmulator.start(generation: .current)
        let directory = emulator.temporaryDirectory.path
        #expect(FileManager.default.fileExists(atPath: directory))
        await emulator.stop()
        #expect(!FileManager.default.fileExists(atPath: directory))
        await #expect(throws: (any Error).self) { _ = try await RawHubClient(emulator: emulator).get("/auth/") }
        await emulator.stop()
    }

    @Test func startFailsOnABusyPort() async throws {
        let first = try await HubEmulator.start(generation: .legacy)
        await #expect(throws: HubEmulator.StartError.self) {
            _ = try await HubEmulator.start(generation: .legacy, port: first.port)
        }
        await first.stop()
    }
}
