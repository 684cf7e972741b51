import FlameHub
import Hummingbird
import NIOCore
import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The Hub messenger (`/messenger/`): a durable mailbox per identity with long-poll pulls and a
/// server-sent-events stream of wake-ups.
///
/// Emulates `apps/server-messenger` of Hub `v0.14.0` (current) and `v0.12.7` (transitional; the
/// same routes and rules, records in snake_case). Its HTTP API arrived in `v0.11.5`; Hub `v0.8.13`
/// (legacy) served only socket.io next to `GET /` (`packages/server-messenger/src/http/server.ts`),
/// so every other path answers 404 there.
///
/// Routes (`apps/server-messenger/src/adapters/http/controllers/message/module.ts`), all behind
/// `ForceLoggedInMiddleware` (any identity may message any identity; no permission is checked):
/// `POST /messages` → 202 `{data: [id…]}`, `GET /messages?limit=&wait=` → `{messages: […]}`,
/// `POST /messages/ack` → 202 `{data: ids}`, `GET /messages/stream` → `text/event-stream`.
enum MessengerService: ServiceModule {
    static func definition(generation: HubGeneration, configuration: HubEmulator.Configuration) -> ServiceDefinition {
        // `GET /` answers `{timestamp}` without a version in every generation
        // (`apps/server-messenger/src/app/modules/http/module.ts` at `v0.14.0`).
        let status = Route([.get], "/") { _ in .json(["timestamp": .int(Int(Support.now() * 1000))]) }
        var routes = [status]
        switch generation {
        case .legacy:
            break
        case .transitional, .current:
            routes += [
                Route([.post], "/messages", access: .authenticated) { try Messenger.send($0) },
                Route([.get], "/messages", access: .authenticated) { try await Messenger.pull($0) },
                Route([.post], "/messages/ack", access: .authenticated) { try Messenger.ack($0) },
                Route([.get], "/messages/stream", access: .authenticated) { try Messenger.stream($0) },
            ]
        }
        return ServiceDefinition(name: "messenger", errorFormat: .hub(generation), routes: routes)
    }

    static func seed(into store: inout Store, generation: HubGeneration, configuration: HubEmulator.Configuration) {}
}

/// The live part of the messenger that is not state: who waits for a wake-up, and the open
/// event streams (so a test can cut them and ``HubEmulator/stop()`` can end them).
final class MessengerHub: Sendable {
    private struct State {
        var listeners: [String: [Int: @Sendable () -> Void]] = [:]
        var streams: [Int: @Sendable () -> Void] = [:]
        var nextToken = 0
        /// `SSE_HEARTBEAT_MS` of the message controller at `v0.14.0`.
        var heartbeat = Duration.seconds(15)
    }

    private let state = Mutex(State())

    var heartbeat: Duration {
        get { state.withLock { $0.heartbeat } }
        set { state.withLock { $0.heartbeat = newValue } }
    }

    /// Calls `listener` on every wake-up of `recipient` until the returned token is released.
    func subscribe(_ recipient: String, _ listener: @escaping @Sendable () -> Void) -> Int {
        state.withLock { state in
            state.nextToken += 1
            state.listeners[recipient, default: [:]][state.nextToken] = listener
            return state.nextToken
        }
    }

    func unsubscribe(_ recipient: String, _ token: Int) {
        state.withLock { state in
            state.listeners[recipient]?[token] = nil
            if state.listeners[recipient]?.isEmpty == true { state.listeners[recipient] = nil }
        }
    }

    /// Wakes everyone waiting for `recipient` (after the message is stored, as the service does).
    func notify(_ recipient: String) {
        let listeners = state.withLock { Array(($0.listeners[recipient] ?? [:]).values) }
        for listener in listeners { listener() }
    }

    func openStream(_ cut: @escaping @Sendable () -> Void) -> Int {
        state.withLock { state in
            state.nextToken += 1
            state.streams[state.nextToken] = cut
            return state.nextToken
        }
    }

    func closeStream(_ token: Int) {
        _ = state.withLock { $0.streams.removeValue(forKey: token) }
    }

    /// Cuts every open event stream; returns how many there were.
    @discardableResult
    func cutStreams() -> Int {
        let cuts = state.withLock { Array($0.streams.values) }
        for cut in cuts { cut() }
        return cuts.count
    }

    var openStreams: Int { state.withLock { $0.streams.count } }

    var listenerCount: Int { state.withLock { $0.listeners.values.reduce(0) { $0 + $1.count } } }
}

extension HubEmulator {
    /// `http://<host>:<port>/messenger/`
    public var messengerURL: URL {
        URL(string: "http://\(host.contains(":") ? "[\(host)]" : host):\(port)/messenger/")
            ?? URL(fileURLWithPath: "/")
    }

    /// Test hook: closes every open messenger event stream mid-response, as a restarting
    /// messenger or a proxy timeout would. Returns how many streams were cut.
    @discardableResult
    public func cutMessengerStreams() -> Int { core.messenger.cutStreams() }

    /// How many messenger event streams are open now.
    public var openMessengerStreams: Int { core.messenger.openStreams }

    /// How many long polls and event streams wait for a wake-up now (test hook).
    public var messengerListeners: Int { core.messenger.listenerCount }

    /// The interval of the event stream's `ping` events (the Hub's is 15 s).
    public var messengerHeartbeat: Duration {
        get { core.messenger.heartbeat }
        set { core.messenger.heartbeat = newValue }
    }
}

/// The message controller and service (`apps/server-messenger/src/core/entities/message/service.ts`).
enum Messenger {
    static let table = "messenger/messages"
    /// `DEFAULT_PULL_LIMIT`, `MAX_PULL_LIMIT`, `MAX_PULL_WAIT_MS`, `DEFAULT_TTL_MS` at `v0.14.0`.
    static let defaultLimit = 50
    static let maxLimit = 100
    static let maxWaitMilliseconds = 30_000
    static let timeToLive = 24.0 * 60 * 60

    static func key(kind: String, id: String) -> String { "\(kind)/\(id.lowercased())" }

    static func caller(_ context: HandlerContext) throws -> (kind: String, id: String) {
        guard let identity = context.identity else {
            throw EmulatorError.badRequest("The request is not associated with an authenticated identity.")
        }
        return (identity.kind.rawValue, identity.id)
    }

    /// `POST /messages`: validates every recipient (`validateRecipients`), stores one row per
    /// recipient, then wakes the recipients; 202 with the new ids.
    static func send(_ context: HandlerContext) throws -> EmulatorResponse {
        let sender = try caller(context)
        let body = try context.bodyObject()
        guard let recipients = body["recipients"]?.arrayValue, !recipients.isEmpty else {
            throw EmulatorError.badRequest("At least one recipient is required.")
        }
        let parties: [(kind: String, id: String)] = try recipients.map { recipient in
            guard let type = recipient.objectValue?["type"]?.stringValue,
                let id = recipient.objectValue?["id"]?.stringValue
            else { throw EmulatorError.badRequest("Each recipient must define a type and an id.") }
            guard Support.isUUID(id) else { throw EmulatorError.badRequest("Each recipient id must be a uuid.") }
            guard ["user", "robot", "client"].contains(type) else {
                throw EmulatorError.badRequest("Each recipient type must be one of user, robot or client.")
            }
            return (type, id)
        }
        let now = Support.now()
        let rows = context.state.withStore { store in
            parties.map { party in
                store.insert(
                    table,
                    [
                        "senderType": .string(sender.kind), "senderId": .string(sender.id),
                        "recipientType": .string(party.kind), "recipientId": .string(party.id),
                        "recipientKey": .string(key(kind: party.kind, id: party.id)),
                        "data": body["data"] ?? .null, "metadata": body["metadata"] ?? .null,
                        "createdAt": .string(Support.timestamp(now)), "expiresAt": .double(now + timeToLive),
                    ])
            }
        }
        for party in Set(parties.map { key(kind: $0.kind, id: $0.id) }) { context.core.messenger.notify(party) }
        return .json(["data": .array(rows.map { $0["id"] ?? .null })], status: 202)
    }

    /// `GET /messages`: the caller's pending messages, oldest first; with `wait` and none
    /// pending, parks until a wake-up or the budget ends and queries once more. The listener is
    /// registered before the first query, so a message stored meanwhile is not missed.
    static func pull(_ context: HandlerContext) async throws -> EmulatorResponse {
        let recipient = try caller(context)
        let recipientKey = key(kind: recipient.kind, id: recipient.id)
        let limit = resolveLimit(number(context.query.first("limit")))
        let wait = resolveWait(number(context.query.first("wait")))
        let (wakes, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let token = context.core.messenger.subscribe(recipientKey) { wake.yield() }
        defer {
            context.core.messenger.unsubscribe(recipientKey, token)
            wake.finish()
        }
        var messages = pending(context, recipientKey, limit: limit)
        if messages.isEmpty, wait > 0 {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    var iterator = wakes.makeAsyncIterator()
                    _ = await iterator.next()
                }
                group.addTask { try? await Task.sleep(for: .milliseconds(wait)) }
                await group.next()
                group.cancelAll()
                wake.finish()
            }
            messages = pending(context, recipientKey, limit: limit)
        }
        return .json(["messages": .array(messages.map { render($0, generation: context.generation) })])
    }

    /// `POST /messages/ack`: deletes the caller's messages among `ids`; 202 echoing the ids.
    static func ack(_ context: HandlerContext) throws -> EmulatorResponse {
        let recipient = try caller(context)
        let body = try context.bodyObject()
        guard let ids = body["ids"]?.arrayValue, !ids.isEmpty else {
            throw EmulatorError.badRequest("At least one message id is required to acknowledge.")
        }
        let recipientKey = key(kind: recipient.kind, id: recipient.id)
        let wanted = Set(ids.compactMap { $0.stringValue?.lowercased() })
        _ = context.state.withStore { store in
            store.deleteAll(table) { row in
                row["recipientKey"]?.stringValue == recipientKey && wanted.contains(row["id"]?.stringValue ?? "")
            }
        }
        return .json(["data": .array(ids)], status: 202)
    }

    /// `GET /messages/stream`: a `messagePending` event on connect and on every wake-up, a `ping`
    /// event per heartbeat. The payload never crosses the stream; the event names no id.
    static func stream(_ context: HandlerContext) throws -> EmulatorResponse {
        let recipient = try caller(context)
        let recipientKey = key(kind: recipient.kind, id: recipient.id)
        let hub = context.core.messenger
        let pendingEvent = event(
            "messagePending",
            EmulatorJSON.object([
                "recipient": ["type": .string(recipient.kind), "id": .string(recipient.id)]
            ]).serialized())
        var response = EmulatorResponse(
            status: 200,
            body: .stream(contentType: "text/event-stream", length: nil) { writer in
                enum Signal { case pending, ping, cut }
                let (signals, signal) = AsyncStream<Signal>.makeStream(bufferingPolicy: .bufferingNewest(16))
                let listener = hub.subscribe(recipientKey) { signal.yield(.pending) }
                let stream = hub.openStream { signal.yield(.cut) }
                let heartbeat = Task {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: hub.heartbeat)
                        signal.yield(.ping)
                    }
                }
                defer {
                    heartbeat.cancel()
                    hub.unsubscribe(recipientKey, listener)
                    hub.closeStream(stream)
                    signal.finish()
                }
                // Catch-up nudge: whatever was pending before the stream opened.
                try await writer.write(ByteBuffer(string: pendingEvent))
                for await next in signals {
                    switch next {
                    case .pending: try await writer.write(ByteBuffer(string: pendingEvent))
                    case .ping:
                        try await writer.write(ByteBuffer(string: event("ping", "\(Int(Support.now() * 1000))")))
                    case .cut: throw EmulatorResponder.DroppedConnection()
                    }
                }
                try await writer.finish(nil)
            })
        response.headers = [("Cache-Control", "no-cache")]
        return response
    }

    static func event(_ name: String, _ data: String) -> String { "event: \(name)\ndata: \(data)\n\n" }

    static func pending(_ context: HandlerContext, _ recipientKey: String, limit: Int) -> [EmulatorJSONObject] {
        let now = Support.now()
        // The sweeper deletes expired rows once a minute; filtering them here is the same to a client.
        return Array(
            context.state.withStore { store in
                store.rows(table) {
                    $0["recipientKey"]?.stringValue == recipientKey && ($0["expiresAt"]?.doubleValue ?? 0) > now
                }
            }.prefix(limit))
    }

    /// The public fields of a row (`expiresAt` stays internal), spelled as the generation does:
    /// `sender_type`… at `v0.12.7`, `senderType`… at `v0.14.0` (`packages/messenger-kit/src/broker/message/types.ts`).
    static func render(_ row: EmulatorJSONObject, generation: HubGeneration) -> EmulatorJSON {
        let fields = ["id", "senderType", "senderId", "recipientType", "recipientId", "data", "metadata", "createdAt"]
        var object = EmulatorJSONObject()
        for field in fields {
            let name: String
            switch generation {
            case .legacy, .transitional: name = KeyCasing.snakeCase.convert(field)
            case .current: name = field
            }
            object[name] = row[field] ?? .null
        }
        return .object(object)
    }

    /// `Number(value)` of the query string: nil when absent or not a number (NaN is ignored).
    static func number(_ value: String?) -> Double? {
        guard let value else { return nil }
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return 0 }
        guard let number = Double(trimmed), !number.isNaN else { return nil }
        return number
    }

    static func resolveLimit(_ limit: Double?) -> Int {
        guard let limit, limit.isFinite else { return defaultLimit }
        let normalized = limit.rounded(.down)
        guard normalized > 0 else { return defaultLimit }
        return Int(min(normalized, Double(maxLimit)))
    }

    static func resolveWait(_ wait: Double?) -> Int {
        guard let wait, wait.isFinite, wait > 0 else { return 0 }
        return Int(min(wait.rounded(.down), Double(maxWaitMilliseconds)))
    }
}
