import FlameHub
import HTTPTypes
import Synchronization

/// An ``HTTPTransport`` for tests: records every request and answers from a script.
///
/// ```swift
/// let mock = MockTransport()
/// mock.enqueue(.json(200, #"{"data": [], "meta": {"total": 0}}"#))
/// mock.enqueue(.failure(TransportError(.connectionFailed, message: "refused")))
/// let client = CoreClient(baseURL: "http://hub.test/core/", auth: .token("t"), transport: mock)
/// …
/// #expect(mock.requests.map(\.request.path) == ["/core/nodes?page%5Blimit%5D=50&page%5Boffset%5D=0"])
/// ```
///
/// Scripted responses are used in order; a `handler` answers when the script is empty.
public final class MockTransport: HTTPTransport {
    /// A request as the mock received it, with its body read into memory.
    public struct RecordedRequest: Sendable {
        /// The request head.
        public var request: HTTPRequest
        /// The body bytes (a streamed body is read to its end; a multipart form is summarised).
        public var body: [UInt8]?
        /// Whether a body was sent at all.
        public var hadBody: Bool
        /// Whether that body could have been replayed.
        public var bodyWasReplayable: Bool

        /// The body as UTF-8 text.
        public var bodyText: String? { body.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// One scripted answer.
    public struct Reply: Sendable {
        enum Outcome: Sendable {
            case response(HTTPResponse, [[UInt8]], chunkDelay: Duration?)
            case failure(any Error)
        }

        let outcome: Outcome
        /// Waited before answering (to test timeouts, cancellation and concurrency).
        public var delay: Duration?

        /// A response with `status`, header fields and a body sent in one chunk.
        public static func response(
            _ status: Int, headers: HTTPFields = [:], body: [UInt8] = [], delay: Duration? = nil
        ) -> Reply {
            Reply(
                outcome: .response(
                    HTTPResponse(status: .init(code: status), headerFields: headers), body.isEmpty ? [] : [body],
                    chunkDelay: nil), delay: delay)
        }

        /// A JSON response.
        public static func json(_ status: Int, _ text: String, headers: HTTPFields = [:], delay: Duration? = nil)
            -> Reply
        {
            var fields = headers
            if fields[.contentType] == nil { fields[.contentType] = "application/json; charset=utf-8" }
            return .response(status, headers: fields, body: Array(text.utf8), delay: delay)
        }

        /// A response whose body arrives in `chunks`, `chunkDelay` apart.
        public static func streamed(
            _ status: Int, headers: HTTPFields = [:], chunks: [[UInt8]], chunkDelay: Duration? = nil
        ) -> Reply {
            Reply(
                outcome: .response(
                    HTTPResponse(status: .init(code: status), headerFields: headers), chunks, chunkDelay: chunkDelay),
                delay: nil)
        }

        /// A failure thrown instead of a response.
        public static func failure(_ error: any Error, delay: Duration? = nil) -> Reply {
            Reply(outcome: .failure(error), delay: delay)
        }
    }

    private struct State {
        var script: [Reply] = []
        var requests: [RecordedRequest] = []
    }

    private let state = Mutex(State())
    private let handler: (@Sendable (RecordedRequest) async throws -> Reply)?

    /// A mock that answers from its script, then from `handler` (or fails when both are empty).
    public init(handler: (@Sendable (RecordedRequest) async throws -> Reply)? = nil) {
        self.handler = handler
    }

    /// Appends replies to the script.
    public func enqueue(_ replies: Reply...) {
        state.withLock { $0.script.append(contentsOf: replies) }
    }

    /// Every request received so far, in order.
    public var requests: [RecordedRequest] { state.withLock { $0.requests } }

    /// Forgets recorded requests and the remaining script.
    public func reset() {
        state.withLock { $0 = State() }
    }

    public func send(_ request: HTTPRequest, body: RequestBody?) async throws -> (HTTPResponse, ResponseBody) {
        let recorded = RecordedRequest(
            request: request, body: try await Self.read(body), hadBody: body != nil,
            bodyWasReplayable: body?.isReplayable ?? true)
        let scripted: Reply? = state.withLock { state in
            state.requests.append(recorded)
            return state.script.isEmpty ? nil : state.script.removeFirst()
        }
        var reply = scripted
        if reply == nil, let handler { reply = try await handler(recorded) }
        guard let reply else {
            throw TransportError(
                .other, message: "MockTransport has no reply for \(request.method) \(request.urlString)")
        }
        if let delay = reply.delay { try await Task.sleep(for: delay) }
        switch reply.outcome {
        case .failure(let error):
            throw error
        case .response(let head, let chunks, let chunkDelay):
            guard let chunkDelay else {
                return (head, ResponseBody(bytes: chunks.flatMap { $0 }))
            }
            let stream = AsyncThrowingStream<[UInt8], any Error> { continuation in
                let task = Task {
                    for chunk in chunks {
                        do { try await Task.sleep(for: chunkDelay) } catch { break }
                        continuation.yield(chunk)
                    }
                    continuation.finish()
                }
                continuation.onTermination = { _ in task.cancel() }
            }
            return (head, ResponseBody(stream: stream))
        }
    }

    private static func read(_ body: RequestBody?) async throws -> [UInt8]? {
        guard let body else { return nil }
        return try await body.collect(upTo: .max)
    }
}
