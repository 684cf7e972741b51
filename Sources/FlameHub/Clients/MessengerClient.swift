#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import HTTPTypes

/// The client of the Hub messenger (`apps/server-messenger`, Hub 0.11.5 and later; mounted under
/// `/messenger/` by the Hub's nginx): a durable mailbox per identity.
///
/// ```swift
/// let messenger = MessengerClient(baseURL: "http://localhost:3000/messenger/", auth: auth)
/// try await messenger.send(SendMessage(to: [.client(nodeClientID)], data: "aGVsbG8="))
/// for try await message in messenger.messages() {
///     handle(message)
///     try await messenger.acknowledge([message.id])
/// }
/// ```
///
/// Messages stay in the recipient's mailbox until acknowledged (or 24 h passed): delivery is at
/// least once, and ``Message/id`` tells a repeated delivery apart. ``messages(options:)`` joins
/// the server-sent wake-ups and the pulls into one sequence that survives reconnections.
///
/// The messenger serves no version on `GET /` (only a timestamp) and its answers read the same in
/// every generation that has it, so the client never detects a dialect. Hub 0.8 (legacy) has no
/// messenger over HTTP (only socket.io): requests fail with ``HubAPIError`` 404 there.
public struct MessengerClient: HubClient {
    public static let service = HubService.messenger
    /// `https://messenger.privateaim.dev`.
    public static let defaultBaseURL = "https://messenger.privateaim.dev"
    public let context: HubContext

    /// The messenger's cap on a long-poll `wait` (`MAX_PULL_WAIT_MS` in
    /// `apps/server-messenger/src/core/entities/message/service.ts` at `v0.14.0`).
    public static let maxWait = Duration.seconds(30)
    /// The messenger's cap on a pull's `limit` (`MAX_PULL_LIMIT`; the default is 50).
    public static let maxLimit = 100
    /// How much longer than `wait` a long poll may take before the client gives up on it.
    public static let longPollGrace = Duration.seconds(15)

    public init(context: HubContext) {
        self.context = context
    }

    /// Sends `message` (`POST /messages`, answered 202) and returns the ids of the stored
    /// messages, one per recipient.
    ///
    /// Not idempotent, so never repeated by the client: a failure after the request may have
    /// reached the server is thrown, and sending again may deliver the message twice.
    @discardableResult
    public func send(_ message: SendMessage) async throws -> [UUID] {
        let bytes = try await context.send(.post, path: "messages", body: try Self.encode(message)).1
        return try context.decode(MessengerIDList.self, bytes, .post, "messages").data ?? []
    }

    /// Sends `data` (and `metadata`) to `recipients`; see ``send(_:)``.
    @discardableResult
    public func send(_ data: JSONValue?, metadata: [String: JSONValue]? = nil, to recipients: [MessageParty])
        async throws -> [UUID]
    {
        try await send(SendMessage(to: recipients, data: data, metadata: metadata))
    }

    /// The caller's pending messages, oldest first (`GET /messages?limit=&wait=`).
    ///
    /// - Parameters:
    ///   - limit: at most this many (the server's default 50, capped at ``maxLimit``).
    ///   - wait: a long poll: when nothing is pending, the server waits up to this long
    ///     (capped at ``maxWait``) for a message before answering with none. The request is given
    ///     up after `wait` plus ``longPollGrace`` (``TransportError/Code/requestTimeout``); a
    ///     transport's own request timeout (``CurlConfiguration/Timeouts/request``, none by
    ///     default) must be longer than that too.
    public func pull(limit: Int? = nil, wait: Duration? = nil) async throws -> [Message] {
        try await pull(limit: limit, wait: wait, grace: Self.longPollGrace)
    }

    func pull(limit: Int?, wait: Duration?, grace: Duration) async throws -> [Message] {
        var items: [String] = []
        if let limit { items.append("limit=\(limit)") }
        var waited = Duration.zero
        if let wait, wait > .zero {
            waited = min(wait, Self.maxWait)
            items.append("wait=\(Self.milliseconds(waited))")
        }
        let query = items.joined(separator: "&")
        let operation: @Sendable () async throws -> [Message] = { [context] in
            let bytes = try await context.send(.get, path: "messages", query: query).1
            return try context.decode(MessagePullAnswer.self, bytes, .get, "messages").messages ?? []
        }
        guard waited > .zero else { return try await operation() }
        let url = HubURL.join(context.baseURL, "messages")
        return try await Deadline.run(after: waited + grace, url: url, operation)
    }

    /// Acknowledges (deletes) the caller's messages `ids` (`POST /messages/ack`, answered 202).
    /// Ids that are not the caller's pending messages are ignored by the server.
    public func acknowledge(_ ids: [UUID]) async throws {
        guard !ids.isEmpty else { return }
        let body = AcknowledgeMessages(ids: ids.map { $0.lowercasedString })
        _ = try await context.send(.post, path: "messages/ack", body: try Self.encode(body))
    }

    /// Opens one server-sent-events connection (`GET /messages/stream`) and returns its events
    /// as they arrive, without reconnecting.
    ///
    /// The messenger sends a `messagePending` event (data `{"recipient": {...}}`, no payload)
    /// on connect and whenever a message for the caller arrives, and a `ping` event every 15 s.
    /// ``messages(options:)`` builds on this.
    ///
    /// - Parameter lastEventID: sent as `Last-Event-ID` to resume after the event with that id
    ///   (the messenger of Hub 0.14 sends no ids, so there is nothing to resume from there).
    public func eventStream(lastEventID: String? = nil) async throws -> ServerSentEventStream {
        let (_, body) = try await context.open(
            .get, path: "messages/stream", body: nil, accept: "text/event-stream",
            headers: lastEventID.flatMap { $0.isEmpty ? nil : [.lastEventID: $0] } ?? [:])
        return ServerSentEventStream(body: body, lastEventID: lastEventID ?? "")
    }

    /// The caller's messages, as an endless sequence: pulled on every `messagePending` wake-up
    /// of the event stream, which is reopened with backoff whenever it fails or ends.
    ///
    /// No pending message is lost: after every (re)connection the pending messages are pulled,
    /// whatever the stream said. A message is yielded once; one not acknowledged (through
    /// ``MessageStream/acknowledge(_:)`` or ``acknowledge(_:)``) within
    /// ``MessageStreamOptions/redeliveryInterval`` is yielded again. The sequence ends with an
    /// error when the server refuses the stream or a pull with a client error (401, 403, 404:
    /// e.g. a legacy Hub), or after ``ReconnectPolicy/maxAttempts`` failures in a row; cancel
    /// the iterating task to stop it.
    public func messages(options: MessageStreamOptions = MessageStreamOptions()) -> MessageStream {
        MessageStream(client: self, options: options, sleep: { try await Task.sleep(for: $0) })
    }

    static func encode(_ value: some Encodable) throws -> [UInt8] {
        // A plain encoder: metadata keys are the caller's and must not be re-cased.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(value))
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}

extension HTTPField.Name {
    /// `Last-Event-ID`, the header a reconnecting event-stream client sends.
    static let lastEventID = HTTPField.Name("Last-Event-ID")!
}

/// Runs an operation with a time limit, independent of the transport's own timeouts.
enum Deadline {
    /// The result of `operation`, or ``TransportError/Code/requestTimeout`` after `limit` (the
    /// operation is cancelled then, which aborts its transfer).
    static func run<T: Sendable>(
        after limit: Duration, url: String, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw TransportError(
                    .requestTimeout, message: "no answer within \(limit)", url: Redaction.redactQuery(url),
                    mayHaveReachedServer: true)
            }
            return value
        }
    }
}
