import FlameHub
import FlameHubEmulator
import Foundation
import Testing

/// `flamehub messages send|pull|ack|watch` against the emulator.
@Suite("flamehub messages")
struct MessengerCommandsTests {
    @Test(arguments: ["transitional", "current"])
    func sendPullWatchAck(generation: String) async throws {
        try await CLIHub.with(generation) { hub in
            let me = try await hub.ok(["users", "list", "--filter", "name=admin", "--quiet"]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let sent = try await hub.ok([
                "messages", "send", "--to", "user:\(me)", "--metadata", "analysisId=a1", "aGk=",
            ])
            #expect(sent.stdout.hasPrefix("sent "))
            let pulled = try await hub.ok(["messages", "pull", "--json"]).object()
            let rows = try #require(pulled["data"] as? [[String: Any]])
            #expect(rows.count == 1)
            let id = try #require(rows.first?["id"] as? String)
            #expect(rows.first?["data"] as? String == "aGk=")

            let watched = try await hub.ok(["messages", "watch", "--count", "1", "--json"]).object()
            #expect(watched["id"] as? String == id)
            _ = try await hub.ok(["messages", "ack", id])
            let after = try await hub.ok(["messages", "pull", "--json"]).object()
            #expect((after["data"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("a recipient kind the messenger does not know is refused before anything is sent")
    func badRecipient() async throws {
        try await CLIHub.with("current") { hub in
            let result = try await hub.run(["messages", "send", "--to", "node:\(UUID().uuidString)", "x"])
            #expect(result.status != 0)
            #expect(hub.emulator.requests.allSatisfy { !$0.path.hasPrefix("/messenger/") })
        }
    }

    @Test("Hub 0.8 has no messenger: the command fails with the 404")
    func legacy() async throws {
        try await CLIHub.with("legacy") { hub in
            let result = try await hub.run(["messages", "pull"])
            #expect(result.status == 69, "\(result)")
        }
    }
}
