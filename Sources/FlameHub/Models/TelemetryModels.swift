#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// Records and bodies of the telemetry service (Hub 0.12.3+ here: `apps/server-telemetry` at
// `v0.12.7` and `v0.14.0`, `packages/telemetry-kit/src/domains`). Log lines are ``LogEntry``.

/// A telemetry event: something that happened to a Hub entity (`/events`).
public struct TelemetryEvent: HubModel {
    public var id: UUID
    /// The entity's domain, e.g. `analysis`, `node`, `analysisNode`.
    public var refType: String
    /// The entity's id.
    public var refId: UUID?
    /// The component or process, e.g. `build`, `push`, `modelChanges`.
    public var scope: String
    /// What happened, e.g. `started`, `finished`.
    public var name: String
    /// Free-form details, e.g. `{"diff": {"name": {"next": …, "previous": …}}}`.
    public var data: [String: JSONValue]?
    /// Whether the event is removed at ``expiresAt``.
    public var expiring: Bool?
    public var requestPath: String?
    public var requestMethod: String?
    public var requestIpAddress: String?
    public var requestUserAgent: String?
    /// `user`, `client` or `robot`.
    public var actorType: String?
    public var actorId: UUID?
    public var actorName: String?
    public var realmId: UUID?
    public var expiresAt: Date?
    public var createdAt: Date
    public var updatedAt: Date
}

/// The body of `POST /events` (`EventValidator` in `packages/telemetry-kit` at `v0.14.0`).
///
/// `data` is sent as given in every generation: its keys are the caller's, not the Hub's.
public struct CreateTelemetryEvent: Sendable, Hashable {
    /// 3–128 characters.
    public var refType: String
    public var refId: AnyResourceID?
    /// 3–128 characters.
    public var scope: String
    /// 3–128 characters.
    public var name: String
    public var data: [String: JSONValue]?
    public var expiring: Bool?
    public var expiresAt: Date?
    public var requestPath: String?
    public var requestMethod: String?
    /// An IPv4 address.
    public var requestIpAddress: String?
    public var requestUserAgent: String?
    public var actorType: String?
    public var actorId: AnyResourceID?
    public var actorName: String?
    public var realmId: AnyResourceID?

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

extension CreateTelemetryEvent {
    /// The body with top-level keys in `casing` and `data` untouched (the engine's key conversion
    /// would rename the caller's own `data` keys on snake_case Hubs).
    func jsonBytes(casing: KeyCasing) throws -> [UInt8] {
        var object: [String: JSONValue] = [
            "refType": .string(refType), "scope": .string(scope), "name": .string(name),
        ]
        func put(_ key: String, _ value: String?) { if let value { object[key] = .string(value) } }
        put("refId", try refId.map { try $0.uuid().lowercasedString })
        if let data { object["data"] = .object(data) }
        if let expiring { object["expiring"] = .bool(expiring) }
        put("expiresAt", expiresAt.map(ISO8601.format))
        put("requestPath", requestPath)
        put("requestMethod", requestMethod)
        put("requestIpAddress", requestIpAddress)
        put("requestUserAgent", requestUserAgent)
        put("actorType", actorType)
        put("actorId", try actorId.map { try $0.uuid().lowercasedString })
        put("actorName", actorName)
        put("realmId", try realmId.map { try $0.uuid().lowercasedString })
        return try PlainJSON.encode(
            Dictionary(uniqueKeysWithValues: object.map { (casing.convert($0.key), $0.value) }))
    }
}

/// Where a log line comes from (`channel`).
public struct LogChannel: HubStringEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `http`.
    public static let http = Self(rawValue: "http")
    /// `websocket`.
    public static let websocket = Self(rawValue: "websocket")
    /// `background`.
    public static let background = Self(rawValue: "background")
    /// `system`.
    public static let system = Self(rawValue: "system")
}

/// The body of `POST /logs` (`LogValidator` in `packages/telemetry-kit` at `v0.14.0`).
///
/// Its keys are single words, so it is spelled alike in every generation; `labels` are sent as given.
public struct CreateLog: Encodable, Sendable, Hashable {
    /// 3–4096 characters.
    public var message: String
    public var level: LogLevel
    /// The writing service, 3–64 characters (e.g. `hub-server-core`).
    public var service: String
    public var channel: LogChannel
    /// Default: the time the Hub receives the line.
    public var time: Date?
    public var labels: [String: String]?

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

/// JSON with the keys its value spells, for bodies whose keys are not the Hub's to re-case
/// (Harbor hooks, log labels, event data).
enum PlainJSON {
    static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISO8601.format(date))
        }
        return Array(try encoder.encode(value))
    }
}
