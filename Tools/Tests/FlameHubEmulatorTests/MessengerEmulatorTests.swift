import FlameHub
import FlameHubEmulator
import HTTPTypes
import Synchronization
import Testing

/// The emulated messenger against `apps/server-messenger` (Hub `v0.12.7`, `v0.14.0`): routes,
/// validation, casing, long polls; Hub 0.8 has none of it.
@Suite("Emulator messenger")
struct MessengerEmulatorTests {
    static let withMessenger: [HubGeneration] = [.transitional, .current]

    /// The admin's token and user id.
    static func admin(_ hub: RawHubClient) async throws -> (token: String, id: String) {
        let token = try await hub.adminToken()
        let me = try await hub.get("/auth/users/@me", token: token)
        let id = try #require(me.record(hub.emulator.generation)["id"]?.stringValue, "\(me.text)")
        return (token, id)
    }

    static func send(_ hub: RawHubClient, _ token: String, to id: String, data: EmulatorJSON = "aGk=") async throws
        -> RawResponse
    {
        try await hub.post(
            "/messenger/messages",
            ["recipients": [["type": "user", "id": .string(id)]], "data": data, "metadata": ["analysisId": "a1"]],
            token: token)
    }

    @Test("send, pull and ack round-trip in the generation's casing", arguments: withMessenger)
    func roundTrip(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let (token, id) = try await Self.admin(hub)
            let sent = try await Self.send(hub, token, to: id)
            #expect(sent.status == 202, "\(sent.text)")
            let ids = sent.json?["data"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(ids.count == 1)

            let pulled = try await hub.get("/messenger/messages", token: token)
            #expect(pulled.status == 200)
            let messages = pulled.json?["messages"]?.arrayValue?.compactMap(\.objectValue) ?? []
            #expect(messages.map { $0["id"]?.stringValue } == ids)
            let message = try #require(messages.first)
            let casing = generation.keyCasing(of: .core)
            #expect(message[casing.convert("senderType")] == "user")
            #expect(message[casing.convert("recipientId")] == .string(id))
            #expect(message[casing.convert("createdAt")]?.stringValue != nil)
            #expect(message["data"] == "aGk=")
            #expect(message["metadata"] == ["analysisId": "a1"])
            #expect(message[casing.convert("expiresAt")] == nil)

            let acked = try await hub.post(
                "/messenger/messages/ack", ["ids": .array(ids.map(EmulatorJSON.string))], token: token)
            #expect(acked.status == 202)
            #expect(acked.json?["data"]?.arrayValue?.compactMap(\.stringValue) == ids)
            let after = try await hub.get("/messenger/messages", token: token)
            #expect(after.json?["messages"]?.arrayValue?.isEmpty == true)
        }
    }

    @Test("the validation messages of MessageService", arguments: withMessenger)
    func validation(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let token = try await hub.adminToken()
            let cases: [(EmulatorJSON, String)] = [
                ([:], "At least one recipient is required."),
                (["recipients": []], "At least one recipient is required."),
                (["recipients": [["type": "user"]]], "Each recipient must define a type and an id."),
                (["recipients": [["type": "user", "id": "nope"]]], "Each recipient id must be a uuid."),
                (
                    ["recipients": [["type": "node", "id": "6b2dc9e0-2a4e-4c4e-9d5e-7b1a3c6b1f10"]]],
                    "Each recipient type must be one of user, robot or client."
                ),
            ]
            for (body, message) in cases {
                let response = try await hub.post("/messenger/messages", body, token: token)
                #expect(response.status == 400, "\(body.serialized())")
                #expect(response.object["message"]?.stringValue == message)
            }
            let ack = try await hub.post("/messenger/messages/ack", ["ids": []], token: token)
            #expect(ack.status == 400)
            #expect(ack.object["message"]?.stringValue == "At least one message id is required to acknowledge.")
        }
    }

    @Test("every route needs a signed-in identity; GET / does not", arguments: withMessenger)
    func authentication(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            for (method, uri) in [
                (HTTPRequest.Method.get, "/messenger/messages"), (.post, "/messenger/messages"),
                (.post, "/messenger/messages/ack"), (.get, "/messenger/messages/stream"),
            ] {
                #expect(try await hub.send(method, uri, json: [:]).status == 401, "\(method) \(uri)")
            }
            let root = try await hub.get("/messenger/")
            #expect(root.status == 200)
            #expect(root.object["timestamp"]?.intValue != nil)
            #expect(root.object["version"] == nil)
        }
    }

    @Test("messages are per recipient: one row each, invisible to others, acked only by their recipient")
    func perRecipient() async throws {
        try await withHub(.current) { hub in
            let (token, id) = try await Self.admin(hub)
            let other = "6b2dc9e0-2a4e-4c4e-9d5e-7b1a3c6b1f10"
            let sent = try await hub.post(
                "/messenger/messages",
                [
                    "recipients": [["type": "user", "id": .string(id)], ["type": "client", "id": .string(other)]]
                ], token: token)
            let ids = sent.json?["data"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(ids.count == 2)
            let mine = try await hub.get("/messenger/messages", token: token)
            let rows = mine.json?["messages"]?.arrayValue?.compactMap(\.objectValue) ?? []
            #expect(rows.map { $0["id"]?.stringValue } == [ids[0]])
            #expect(rows.first?["data"] == .null)
            // Acknowledging another recipient's message deletes nothing.
            _ = try await hub.post("/messenger/messages/ack", ["ids": .array([.string(ids[1])])], token: token)
            let again = try await hub.get("/messenger/messages", token: token)
            #expect(again.json?["messages"]?.arrayValue?.count == 1)
        }
    }

    @Test("limit defaults to 50, is capped at 100 and ignores what is not a number")
    func limits() async throws {
        try await withHub(.current) { hub in
            let (token, id) = try await Self.admin(hub)
            let recipients = EmulatorJSON.array(Array(repeating: ["type": "user", "id": .string(id)], count: 120))
            #expect(try await hub.post("/messenger/messages", ["recipients": recipients], token: token).status == 202)
            for (query, count) in [
                ("", 50), ("?limit=3", 3), ("?limit=500", 100), ("?limit=abc", 50), ("?limit=0", 50),
            ] {
                let response = try await hub.get("/messenger/messages\(query)", token: token)
                #expect(response.json?["messages"]?.arrayValue?.count == count, "\(query)")
            }
        }
    }

    @Test("a long poll answers as soon as a message arrives")
    func longPollWakes() async throws {
        try await withHub(.current) { hub in
            let (token, id) = try await Self.admin(hub)
            let poll = Task { try await hub.get("/messenger/messages?wait=30000", token: token) }
            // The poll must be parked before the send for this to test the wake-up; a send that
            // comes first is answered by the first query, which is just as correct.
            try await eventually("a parked long poll") { hub.emulator.messengerListeners == 1 }
            #expect(try await Self.send(hub, token, to: id).status == 202)
            let response = try await poll.value
            #expect(response.json?["messages"]?.arrayValue?.count == 1)
        }
    }

    @Test("a long poll with nothing arriving answers empty once wait has passed")
    func longPollTimesOut() async throws {
        try await withHub(.current) { hub in
            let token = try await hub.adminToken()
            let response = try await hub.get("/messenger/messages?wait=50", token: token)
            #expect(response.status == 200)
            #expect(response.json?["messages"]?.arrayValue?.isEmpty == true)
        }
    }

    @Test("Hub 0.8 has no messenger routes: 404, while GET / answers")
    func legacyHasNone() async throws {
        try await withHub(.legacy) { hub in
            let token = try await hub.adminToken()
            for (method, uri) in [
                (HTTPRequest.Method.get, "/messenger/messages"), (.post, "/messenger/messages"),
                (.post, "/messenger/messages/ack"), (.get, "/messenger/messages/stream"),
            ] {
                #expect(try await hub.send(method, uri, json: [:], token: token).status == 404, "\(method) \(uri)")
            }
            #expect(try await hub.get("/messenger/").status == 200)
        }
    }
}
