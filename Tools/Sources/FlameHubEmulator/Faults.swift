import Synchronization

/// A scripted failure for the next matching requests (test hook).
///
/// ```swift
/// emulator.injectFault(.init(pathPrefix: "/core/nodes", count: 2, action: .status(503, retryAfter: 1)))
/// ```
public struct Fault: Sendable, Equatable {
    /// What happens to a matching request.
    public enum Action: Sendable, Equatable {
        /// Answer with this status (error body of the service) and optional `Retry-After` seconds.
        case status(Int, retryAfter: Int? = nil)
        /// Wait, then handle the request normally.
        case delay(Duration)
        /// Handle normally but close the connection after half of the body was sent.
        case dropConnection
        /// Handle normally but send only the first half of the body (with a matching
        /// `Content-Length`), so the JSON is cut off.
        case truncatedBody
        /// Handle normally but replace the body with bytes that are not JSON.
        case invalidJSON
        /// Handle normally but send the body at this many bytes per second.
        case slowBody(bytesPerSecond: Int)
    }

    /// Matches request paths (including the service prefix, e.g. `/auth/token`) starting with this.
    public var pathPrefix: String
    /// Only this HTTP method (`GET`, …); `nil` = any.
    public var method: String?
    /// How many matching requests are affected.
    public var count: Int
    public var action: Action

    public init(pathPrefix: String, method: String? = nil, count: Int = 1, action: Action) {
        self.pathPrefix = pathPrefix
        self.method = method
        self.count = count
        self.action = action
    }
}

/// One request as seen by the emulator (test hook).
public struct LoggedRequest: Sendable, Equatable {
    public var method: String
    /// Full path including the service prefix (`/core/nodes`).
    public var path: String
    /// Raw query string as sent (still percent-encoded), `nil` when absent.
    public var query: String?
    /// Request headers; names lower-cased, repeated headers joined with `, `.
    public var headers: [String: String]
    public var status: Int

    var json: EmulatorJSON {
        [
            "method": .string(method), "path": .string(path), "query": query.map(EmulatorJSON.string) ?? .null,
            "headers": .object(headers.mapValues(EmulatorJSON.string)), "status": .int(status),
        ]
    }
}

/// Pending faults and the request log, shared by all connections.
final class TestHooks: Sendable {
    private let faults = Mutex<[Fault]>([])
    private let log = Mutex<[LoggedRequest]>([])
    /// The log is capped so a long benchmark cannot exhaust memory.
    static let logCapacity = 10_000

    func add(_ fault: Fault) {
        guard fault.count > 0 else { return }
        faults.withLock { $0.append(fault) }
    }

    func clearFaults() { faults.withLock { $0.removeAll() } }

    /// Consumes one use of the first fault matching the request.
    func takeFault(method: String, path: String) -> Fault.Action? {
        faults.withLock { pending in
            guard
                let index = pending.firstIndex(where: { fault in
                    path.hasPrefix(fault.pathPrefix) && (fault.method.map { $0.uppercased() == method } ?? true)
                })
            else { return nil }
            let action = pending[index].action
            pending[index].count -= 1
            if pending[index].count <= 0 { pending.remove(at: index) }
            return action
        }
    }

    func record(_ entry: LoggedRequest) {
        log.withLock { entries in
            if entries.count >= Self.logCapacity { entries.removeFirst(entries.count - Self.logCapacity + 1) }
            entries.append(entry)
        }
    }

    var requests: [LoggedRequest] { log.withLock { $0 } }

    func clearRequests() { log.withLock { $0.removeAll() } }
}

extension Fault {
    /// Decodes the `/_emulator/faults` JSON body:
    /// `{"pathPrefix": "/core/nodes", "method": "GET", "count": 2, "action": "status", "status": 503, "retryAfter": 1}`;
    /// actions: `status`, `delay` (`delayMs`), `drop`, `truncate`, `invalidJson`, `slowBody` (`bytesPerSecond`).
    init?(json: EmulatorJSONObject) {
        guard let prefix = json["pathPrefix"]?.stringValue, let actionName = json["action"]?.stringValue else {
            return nil
        }
        let action: Action
        switch actionName {
        case "status":
            guard let status = json["status"]?.intValue, (100...599).contains(status) else { return nil }
            action = .status(status, retryAfter: json["retryAfter"]?.intValue)
        case "delay":
            action = .delay(.milliseconds(json["delayMs"]?.intValue ?? 1000))
        case "drop": action = .dropConnection
        case "truncate": action = .truncatedBody
        case "invalidJson": action = .invalidJSON
        case "slowBody":
            guard let rate = json["bytesPerSecond"]?.intValue, rate > 0 else { return nil }
            action = .slowBody(bytesPerSecond: rate)
        default: return nil
        }
        self.init(
            pathPrefix: prefix, method: json["method"]?.stringValue, count: json["count"]?.intValue ?? 1, action: action
        )
    }
}
