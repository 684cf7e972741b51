@testable import FlameHub
import FlameHubTesting
import HTTPTypes
import Synchronization
import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A scripted messenger: a mailbox answering pulls and acks, and a queue of answers to
/// `GET /messages/stream` (a status, a failure, or an open stream the test feeds and cuts).
final class FakeMessenger: HTTPTransport {
    enum StreamReply: Sendable {
        case status(Int)
        case failure(any Error)
        case open(AsyncThrowingStream<[UInt8], any Error>)
    }

    private struct State {
        var mailbox: [String] = []
        var streamScript: [StreamReply] = []
        var requests: [(HTTPRequest, String?)] = []
        var idle: [AsyncThrowingStream<[UInt8], any Error>.Continuation] = []
    }

    private let state = Mutex(State())

    static let recipient = "6b2dc9e0-2a4e-4c4e-9d5e-7b1a3c6b1f10"

    static func message(_ id: String, camel: Bool = true) -> String {
        camel
            ? """
            {"id":"\(id)","senderType":"user","senderId":"\(Fixture.userID)","recipientType":"client",\
            "recipientId":"\(recipient)","data":"aGk=","metadata":{"analysisId":"x","node_key":1},\
            "createdAt":"2026-01-02T03:04:05.678Z"}
            """
            : """
            {"id":"\(id)","sender_type":"user","sender_id":"\(Fixture.userID)","recipient_type":"client",\
            "recipient_id":"\(recipient)","data":{"k":"v"},"metadata":null,"created_at":"2026-01-02T03:04:05.678Z"}
            """
    }

    func deliver(_ ids: String...) { state.withLock { $0.mailbox += ids } }

    func script(_ replies: StreamReply...) { state.withLock { $0.streamScript += replies } }

    /// Requests so far as `METHOD path`.
    var lines: [String] { state.withLock { $0.requests.map { "\($0.0.method.rawValue) \($0.0.path ?? "")" } } }

    var requests: [(HTTPRequest, String?)] { state.withLock { $0.requests } }

    func count(_ line: String) -> Int { lines.filter { $0 == line }.count }

    func send(_ request: HTTPRequest, body: RequestBody?) async throws -> (HTTPResponse, ResponseBody) {
        var text: String?
        if let body { text = String(decoding: try await body.collect(upTo: 1 << 20), as: UTF8.self) }
        state.withLock { $0.requests.append((request, text)) }
        let path = request.path ?? ""
        func json(_ status: Int, _ text: String) -> (HTTPResponse, ResponseBody) {
            (HTTPResponse(status: .init(code: status)), ResponseBody(bytes: Array(text.utf8)))
        }
        if path.hasSuffix("/messages/stream") {
            let reply = state.withLock { $0.streamScript.isEmpty ? nil : $0.streamScript.removeFirst() }
            switch reply {
            case .status(let status)?:
                return json(status, #"{"statusCode":\#(status),"code":"x","message":"scripted"}"#)
            case .failure(let error)?:
                throw error
            case .open(let stream)?:
                return (HTTPResponse(status: .ok), ResponseBody(stream: stream))
            case nil:
                // Nothing scripted: a stream that stays open and silent until the client leaves.
                let (stream, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
                state.withLock { $0.idle.append(continuation) }
                return (HTTPResponse(status: .ok), ResponseBody(stream: stream))
            }
        }
        if path.hasSuffix("/messages/ack") {
            let ids = Set((text ?? "").split(separator: "\"").map(String.init))
            state.withLock { $0.mailbox.removeAll { ids.contains($0) } }
            return json(202, #"{"data":[]}"#)
        }
        if path.contains("/messages") && request.method == .get {
            let pending = state.withLock { $0.mailbox }
            return json(200, #"{"messages":[\#(pending.map { Self.message($0) }.joined(separator: ","))]}"#)
        }
        return json(404, #"{"statusCode":404,"code":"not_found","message":"no route"}"#)
    }
}

/// The delays a stream asked to sleep.
final class Sleeps: Sendable {
    let values = Mutex<[Duration]>([])
}

extension Fixture {
    static let user = UUID(uuidString: userID) ?? UUID()
}

@Suite("MessengerClient")
struct MessengerClientTests {
    static let m1 = "00000000-0000-4000-8000-000000000001"
    static let m2 = "00000000-0000-4000-8000-000000000002"
    static let m3 = "00000000-0000-4000-8000-000000000003"

    static func text(_ id: UUID) -> String { id.uuidString.lowercased() }

    static func client(_ transport: some HTTPTransport) -> MessengerClient {
        MessengerClient(
            context: HubContext(
                baseURL: "http://hub.test/messenger/", service: .messenger, auth: StaticAuth("t"), transport: transport,
                dialect: nil))
    }

    /// A stream whose sleeps return at once and are recorded; jitter fixed to `random`.
    static func stream(
        _ transport: some HTTPTransport, options: MessageStreamOptions = MessageStreamOptions(), random: Double = 0,
        sleeps: Sleeps
    ) -> MessageStream {
        MessageStream(
            client: client(transport), options: options,
            sleep: { duration in
                sleeps.values.withLock { $0.append(duration) }
                await Task.yield()
            }, random: { _ in random })
    }

    @Test("send posts recipients, data and verbatim metadata, and returns the stored ids")
    func send() async throws {
        let mock = MockTransport()
        mock.enqueue(.json(202, #"{"data":["\#(Self.m1)","\#(Self.m2)"]}"#))
        let recipient = try #require(UUID(uuidString: FakeMessenger.recipient))
        let ids = try await Self.client(mock).send(
            .string("aGk="), metadata: ["analysis_id": .string("a")], to: [.client(recipient), .user(Fixture.user)])
        #expect(ids.map { $0.uuidString.lowercased() } == [Self.m1, Self.m2])
        let request = try #require(mock.requests.first)
        #expect(request.request.method == .post)
        #expect(request.request.path == "/messenger/messages")
        #expect(
            request.bodyText
                == #"{"data":"aGk=","metadata":{"analysis_id":"a"},"recipients":[{"id":"\#(FakeMessenger.recipient)","type":"client"},{"id":"\#(Fixture.userID)","type":"user"}]}"#
        )
    }

    @Test(
        "send is never repeated, not even behind the retry middleware",
        arguments: [
            MockTransport.Reply.json(503, #"{"statusCode":503,"code":"x","message":"busy"}"#),
            .failure(TransportError(.receiveFailed, message: "reset", mayHaveReachedServer: true)),
            .failure(TransportError(.requestTimeout, message: "slow", mayHaveReachedServer: true)),
        ])
    func sendNotRetried(reply: MockTransport.Reply) async throws {
        let mock = MockTransport()
        mock.enqueue(reply, .json(202, #"{"data":["\#(Self.m1)"]}"#))
        let transport = mock.with([RetryMiddleware(policy: RetryPolicy(baseDelay: .milliseconds(1)))])
        await #expect(throws: (any Error).self) {
            try await Self.client(transport).send(.null, to: [.user(Fixture.user)])
        }
        #expect(mock.requests.count == 1)
    }

    @Test("pull sends limit and wait (capped at 30 s) and reads both key casings")
    func pull() async throws {
        let mock = MockTransport()
        mock.enqueue(
            .json(
                200,
                #"{"messages":[\#(FakeMessenger.message(Self.m1)),\#(FakeMessenger.message(Self.m2, camel: false))]}"#))
        mock.enqueue(.json(200, #"{"messages":[]}"#))
        let client = Self.client(mock)
        let messages = try await client.pull(limit: 10, wait: .seconds(5))
        #expect(messages.map { $0.id.uuidString.lowercased() } == [Self.m1, Self.m2])
        #expect(messages[0].sender == .user(Fixture.user))
        #expect(messages[0].recipientType == .client)
        #expect(messages[0].data == .string("aGk="))
        // Metadata keys are the sender's, not re-cased.
        #expect(messages[0].metadata?["node_key"] == .number(1))
        #expect(messages[1].data == .object(["k": .string("v")]))
        #expect(messages[1].metadata == nil)
        _ = try await client.pull(wait: .seconds(90))
        #expect(
            mock.requests.map(\.request.path) == [
                "/messenger/messages?limit=10&wait=5000", "/messenger/messages?wait=30000",
            ])
    }

    @Test("a long poll that outlives wait plus the grace gives up with requestTimeout")
    func longPollDeadline() async throws {
        let mock = MockTransport { _ in
            try await Task.sleep(for: .seconds(600))
            return .json(200, #"{"messages":[]}"#)
        }
        let error = await #expect(throws: TransportError.self) {
            try await Self.client(mock).pull(limit: nil, wait: .milliseconds(20), grace: .milliseconds(20))
        }
        #expect(error?.code == .requestTimeout)
    }

    @Test("acknowledge posts lower-case ids; an empty list sends nothing")
    func acknowledge() async throws {
        let mock = MockTransport()
        mock.enqueue(.json(202, #"{"data":["\#(Self.m1)"]}"#))
        let client = Self.client(mock)
        try await client.acknowledge([])
        try await client.acknowledge([try #require(UUID(uuidString: Self.m1.uppercased()))])
        #expect(mock.requests.count == 1)
        #expect(mock.requests.first?.request.path == "/messenger/messages/ack")
        #expect(mock.requests.first?.bodyText == #"{"ids":["\#(Self.m1)"]}"#)
    }

    @Test("the event stream asks for text/event-stream and sends Last-Event-ID only when given")
    func eventStreamRequest() async throws {
        let mock = MockTransport()
        mock.enqueue(.response(200, body: Array("event: messagePending\ndata: {}\n\n".utf8)))
        mock.enqueue(.response(200, body: []))
        let client = Self.client(mock)
        var events: [ServerSentEvent] = []
        for try await event in try await client.eventStream() { events.append(event) }
        #expect(events == [ServerSentEvent(type: "messagePending", data: "{}")])
        for try await _ in try await client.eventStream(lastEventID: "41") {}
        #expect(mock.requests.map { $0.request.headerFields[.accept] } == ["text/event-stream", "text/event-stream"])
        #expect(mock.requests.map { $0.request.headerFields[.lastEventID] } == [nil, "41"])
    }

    @Test("failed connections back off exponentially with the server's retry as base, then the stream recovers")
    func reconnectBackoff() async throws {
        let fake = FakeMessenger()
        let (first, feed) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        fake.script(
            .status(503), .failure(TransportError(.connectionFailed, message: "refused")), .status(502), .open(first))
        fake.deliver(Self.m1)
        let sleeps = Sleeps()
        let options = MessageStreamOptions(
            reconnect: ReconnectPolicy(initialDelay: .milliseconds(100), maxDelay: .milliseconds(250)))
        let reader = MessageStreamRecorder(Self.stream(fake, options: options, sleeps: sleeps))
        defer { reader.cancel() }
        try await reader.waitFor(1)
        #expect(sleeps.values.withLock { $0 } == [.milliseconds(100), .milliseconds(200), .milliseconds(250)])
        // The server asks for 40 ms between reconnections, then cuts the stream.
        feed.yield(Array("retry: 40\n\n".utf8))
        feed.finish(throwing: TransportError(.receiveFailed, message: "reset", mayHaveReachedServer: true))
        try await eventually("the fifth connection") { fake.count("GET /messenger/messages/stream") >= 5 }
        #expect(sleeps.values.withLock { $0.last } == .milliseconds(40))
        #expect(reader.ids.map(Self.text) == [Self.m1])
    }

    @Test("jitter takes its fraction off the delay")
    func jitter() {
        let policy = ReconnectPolicy(initialDelay: .seconds(1), maxDelay: .seconds(8), jitter: 0.5)
        #expect(policy.delay(forAttempt: 1, random: { _ in 0 }) == .seconds(1))
        #expect(policy.delay(forAttempt: 1, random: { _ in 1 }) == .milliseconds(500))
        #expect(policy.delay(forAttempt: 3, random: { _ in 0.5 }) == .seconds(3))
        #expect(policy.delay(forAttempt: 50, random: { _ in 0 }) == .seconds(8))
        #expect(policy.delay(forAttempt: 2, serverRetry: .milliseconds(300), random: { _ in 0 }) == .milliseconds(600))
    }

    @Test("nothing is lost across a reconnection and nothing is yielded twice")
    func noLossAcrossReconnect() async throws {
        let fake = FakeMessenger()
        let (first, feed) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let (second, _) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        fake.script(.open(first), .open(second))
        fake.deliver(Self.m1)
        let sleeps = Sleeps()
        let stream = Self.stream(fake, sleeps: sleeps)
        let reader = MessageStreamRecorder(stream)
        defer { reader.cancel() }
        try await reader.waitFor(1)
        // m2 arrives but its wake-up is lost with the connection, and the second stream says nothing.
        fake.deliver(Self.m2)
        feed.finish(throwing: TransportError(.receiveFailed, message: "reset", mayHaveReachedServer: true))
        try await reader.waitFor(2)
        #expect(reader.ids.map(Self.text) == [Self.m1, Self.m2])
        #expect(fake.count("GET /messenger/messages/stream") == 2)
        // m1 (still unacknowledged) came with the second pull too, and was not yielded again.
        try await stream.acknowledge([try #require(UUID(uuidString: Self.m1))])
        #expect(fake.requests.last.map { $0.1 } == #"{"ids":["\#(Self.m1)"]}"#)
    }

    @Test("every messagePending wake-up pulls; pings do not")
    func wakeUpsPull() async throws {
        let fake = FakeMessenger()
        let (first, feed) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        fake.script(.open(first))
        let sleeps = Sleeps()
        let reader = MessageStreamRecorder(Self.stream(fake, sleeps: sleeps))
        defer { reader.cancel() }
        try await eventually("the pull after connecting") { fake.count("GET /messenger/messages") >= 1 }
        fake.deliver(Self.m3)
        feed.yield(Array("event: ping\ndata: 1\n\n".utf8))
        feed.yield(Array("event: messagePending\ndata: {\"recipient\":{}}\n\n".utf8))
        try await reader.waitFor(1)
        #expect(reader.ids.map(Self.text) == [Self.m3])
        #expect(fake.count("GET /messenger/messages/stream") == 1)
    }

    @Test("a resumed stream sends the last event id it saw")
    func resumesFromLastEventID() async throws {
        let fake = FakeMessenger()
        let (first, feed) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        fake.script(.open(first))
        let sleeps = Sleeps()
        let reader = MessageStreamRecorder(Self.stream(fake, sleeps: sleeps))
        defer { reader.cancel() }
        feed.yield(Array("id: 17\nevent: messagePending\ndata: {}\n\n".utf8))
        feed.finish()
        try await eventually("the second connection") { fake.count("GET /messenger/messages/stream") >= 2 }
        let streams = fake.requests.filter { $0.0.path?.hasSuffix("/stream") == true }
        #expect(streams.map { $0.0.headerFields[.lastEventID] } == [nil, "17"])
    }

    @Test("a client error on connecting ends the stream with it (a legacy Hub's 404)")
    func permanentFailure() async throws {
        let fake = FakeMessenger()
        fake.script(.status(404))
        let sleeps = Sleeps()
        let reader = MessageStreamRecorder(Self.stream(fake, sleeps: sleeps))
        try await reader.waitForEnd()
        #expect((reader.error as? HubAPIError)?.status == 404)
        #expect(sleeps.values.withLock { $0.isEmpty })
    }

    @Test("maxAttempts failures in a row end the stream with the last error")
    func maxAttempts() async throws {
        let fake = FakeMessenger()
        fake.script(.status(503), .status(503), .status(503))
        let sleeps = Sleeps()
        let options = MessageStreamOptions(reconnect: ReconnectPolicy(maxAttempts: 3))
        let reader = MessageStreamRecorder(Self.stream(fake, options: options, sleeps: sleeps))
        try await reader.waitForEnd()
        #expect((reader.error as? HubAPIError)?.status == 503)
        #expect(fake.count("GET /messenger/messages/stream") == 3)
    }

    @Test("cancelling the consumer ends the stream and closes the connection")
    func cancellation() async throws {
        let fake = FakeMessenger()
        let closed = Mutex(false)
        let (first, feed) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        feed.onTermination = { _ in closed.withLock { $0 = true } }
        fake.script(.open(first))
        let sleeps = Sleeps()
        let reader = MessageStreamRecorder(Self.stream(fake, sleeps: sleeps))
        try await eventually("the connection") { fake.count("GET /messenger/messages/stream") >= 1 }
        reader.cancel()
        try await reader.waitForEnd()
        try await eventually("the connection closed") { closed.withLock { $0 } }
        #expect(reader.error == nil)
    }

    @Test("an unacknowledged message is yielded again after the redelivery interval, an acknowledged one never")
    func redelivery() throws {
        let fake = FakeMessenger()
        let driver = MessageStreamDriver(
            client: Self.client(fake), options: MessageStreamOptions(redeliveryInterval: .seconds(60)),
            sleep: { _ in }, random: { _ in 0 })
        let decoded = try HubCoding.decode(
            [Message].self,
            from: Array("[\(FakeMessenger.message(Self.m1)),\(FakeMessenger.message(Self.m2))]".utf8), request: "test")
        let start = ContinuousClock.now
        #expect(driver.select(decoded, now: start).count == 2)
        #expect(driver.select(decoded, now: start + .seconds(30)).isEmpty)
        #expect(driver.select([decoded[0]], now: start + .seconds(61)).map(\.id) == [decoded[0].id])
        // m2 vanished from the mailbox (acknowledged elsewhere): forgotten, so new again if it came back.
        #expect(driver.select([decoded[1]], now: start + .seconds(62)).map(\.id) == [decoded[1].id])
    }
}
