import FlameHub
import FlameHubEmulator
import FlameHubTesting
import Synchronization
import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The messenger through `CurlTransport` against the emulator: sends, long polls, the event
/// stream with its pings, a stream cut by the server and resumed, and Hub 0.8's 404.
@Suite("Messenger against the emulator")
struct MessengerStreamTests {
    struct Session {
        let hub: HubEmulator
        let messenger: MessengerClient
        let admin: MessageParty
    }

    static func run(_ generation: HubGeneration, _ body: (Session) async throws -> Void) async throws {
        let hub = try await HubEmulator.start(generation: generation)
        do {
            let auth = PasswordAuth(username: "admin", password: "start123", baseURL: hub.authURL.absoluteString)
            let authClient = AuthClient(baseURL: hub.authURL.absoluteString, auth: auth)
            let admin = try #require(try await authClient.findUsers(filter: ["name": "admin"]).first)
            let messenger = MessengerClient(baseURL: hub.messengerURL.absoluteString, auth: auth)
            try await body(Session(hub: hub, messenger: messenger, admin: .user(admin.id)))
        } catch {
            await hub.stop()
            throw error
        }
        await hub.stop()
    }

    static let fastReconnect = MessageStreamOptions(
        reconnect: ReconnectPolicy(initialDelay: .milliseconds(300), maxDelay: .seconds(2)))

    /// A message stream being read, once the emulator holds its connection open.
    static func openStream(_ session: Session) async throws -> (MessageStream, MessageStreamRecorder) {
        let stream = session.messenger.messages(options: fastReconnect)
        let reader = MessageStreamRecorder(stream)
        do {
            try await eventually("the stream open", timeout: .seconds(30)) { session.hub.openMessengerStreams == 1 }
        } catch {
            reader.cancel()
            throw error
        }
        return (stream, reader)
    }

    @Test(
        "a sent message comes out of the stream and is gone once acknowledged",
        arguments: [HubGeneration.transitional, .current])
    func streamDelivers(generation: HubGeneration) async throws {
        try await Self.run(generation) { session in
            let (stream, reader) = try await Self.openStream(session)
            defer { reader.cancel() }
            let ids = try await session.messenger.send(
                .object(["ciphertext": .string("aGk=")]), metadata: ["analysisId": .string("a1")],
                to: [session.admin])
            try await reader.waitFor(1)
            #expect(reader.ids == ids)
            try await stream.acknowledge(ids)
            #expect(try await session.messenger.pull().isEmpty)
        }
    }

    @Test(
        "a stream cut by the server is reopened, and what came meanwhile arrives once",
        arguments: [HubGeneration.transitional, .current])
    func cutAndResume(generation: HubGeneration) async throws {
        try await Self.run(generation) { session in
            let (stream, reader) = try await Self.openStream(session)
            defer { reader.cancel() }
            let first = try await session.messenger.send(.string("one"), to: [session.admin])
            try await reader.waitFor(1)

            #expect(session.hub.cutMessengerStreams() == 1)
            // Sent while the client waits to reconnect; the first message is still unacknowledged.
            let second = try await session.messenger.send(.string("two"), to: [session.admin])
            try await reader.waitFor(2)
            #expect(reader.ids == first + second)
            try await eventually("the second connection", timeout: .seconds(30)) { stream.connections >= 2 }
            #expect(session.hub.openMessengerStreams == 1)
            let streams = session.hub.requests.filter { $0.path == "/messenger/messages/stream" }
            #expect(streams.count >= 1)
            // Both messages are still pending (none acknowledged), yet each was yielded once.
            #expect(try await session.messenger.pull().count == 2)
            #expect(reader.ids.count == 2)
        }
    }

    @Test("the raw event stream: messagePending on connect, then pings")
    func rawEvents() async throws {
        try await Self.run(.current) { session in
            session.hub.messengerHeartbeat = .milliseconds(50)
            var types: [String] = []
            var recipient: String?
            for try await event in try await session.messenger.eventStream() {
                types.append(event.type)
                if event.type == "messagePending" { recipient = event.data }
                if event.type == "ping" { break }
            }
            #expect(types == ["messagePending", "ping"])
            #expect(recipient?.contains(session.admin.id.uuidString.lowercased()) == true)
        }
    }

    @Test("a long poll through curl returns when the message arrives")
    func longPoll() async throws {
        try await Self.run(.current) { session in
            let messenger = session.messenger
            let poll = Task { try await messenger.pull(wait: .seconds(25)) }
            try await eventually("a parked poll", timeout: .seconds(30)) { session.hub.messengerListeners == 1 }
            let ids = try await messenger.send(.null, to: [session.admin])
            #expect(try await poll.value.map(\.id) == ids)
        }
    }

    @Test("Hub 0.8 has no messenger: sending fails with 404 and the stream ends with it")
    func legacy() async throws {
        try await Self.run(.legacy) { session in
            let error = await #expect(throws: HubAPIError.self) {
                try await session.messenger.send(.null, to: [session.admin])
            }
            #expect(error?.status == 404)
            let reader = MessageStreamRecorder(session.messenger.messages())
            try await reader.waitForEnd()
            #expect((reader.error as? HubAPIError)?.status == 404)
        }
    }
}
