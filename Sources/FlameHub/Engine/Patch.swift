/// One field of an update: leave it unchanged (``unset``, the default) or set it — for nullable
/// fields possibly to `null`. Only set fields are sent (the Python client's `UNSET`).
///
/// ```swift
/// // {"hidden": false, "externalName": null}; `type` is not sent
/// let update = UpdateNode(hidden: false, externalName: nil)
/// try await core.nodes.update(node, update)
/// ```
///
/// Literals set a value: `name: "new-name"`, `active: false`; `nil` sets a nullable field to
/// `null` and does not compile for non-nullable ones.
public enum Patch<Value: Sendable & Hashable>: Sendable, Hashable {
    /// Leave the field as it is on the server (nothing is sent).
    case unset
    /// Set the field to `value`.
    case set(Value)

    /// The value to send, when set.
    public var value: Value? {
        if case .set(let value) = self { return value }
        return nil
    }

    /// Whether the field is sent.
    public var isSet: Bool {
        if case .set = self { return true }
        return false
    }
}

extension Patch: ExpressibleByNilLiteral where Value: ExpressibleByNilLiteral {
    /// Sets a nullable field to `null`.
    public init(nilLiteral: ()) { self = .set(nil) }

    /// Sets a nullable field to `null`.
    public static var null: Patch { .set(nil) }
}

/// Values a ``Patch`` can be written as a string literal for (`String`, `String?`).
public protocol PatchStringLiteral {
    /// The value for a string literal.
    init(patchStringLiteral: String)
}

extension String: PatchStringLiteral {
    public init(patchStringLiteral value: String) { self = value }
}

extension Optional: PatchStringLiteral where Wrapped == String {
    public init(patchStringLiteral value: String) { self = value }
}

extension Patch: ExpressibleByUnicodeScalarLiteral, ExpressibleByExtendedGraphemeClusterLiteral,
    ExpressibleByStringLiteral
where Value: PatchStringLiteral {
    public init(stringLiteral value: String) { self = .set(Value(patchStringLiteral: value)) }
    public init(unicodeScalarLiteral value: String) { self = .set(Value(patchStringLiteral: value)) }
    public init(extendedGraphemeClusterLiteral value: String) { self = .set(Value(patchStringLiteral: value)) }
}

/// Values a ``Patch`` can be written as a boolean literal for (`Bool`, `Bool?`).
public protocol PatchBooleanLiteral {
    /// The value for a boolean literal.
    init(patchBooleanLiteral: Bool)
}

extension Bool: PatchBooleanLiteral {
    public init(patchBooleanLiteral value: Bool) { self = value }
}

extension Optional: PatchBooleanLiteral where Wrapped == Bool {
    public init(patchBooleanLiteral value: Bool) { self = value }
}

extension Patch: ExpressibleByBooleanLiteral where Value: PatchBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .set(Value(patchBooleanLiteral: value)) }
}

extension Patch: Encodable where Value: Encodable {
    /// Encodes the set value; an unset patch is skipped by its keyed container (see below).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .unset: try container.encodeNil()
        case .set(let value): try container.encode(value)
        }
    }
}

extension KeyedEncodingContainer {
    /// Skips unset patches, so synthesized `Encodable` conformances send only the fields that were
    /// set; a set `nil` is sent as `null`.
    public mutating func encode<Value: Encodable>(_ patch: Patch<Value>, forKey key: Key) throws {
        switch patch {
        case .unset: return
        case .set(let value): try encode(value, forKey: key)
        }
    }
}

extension Patch: Decodable where Value: Decodable {
    /// A value that is present — `null` included, for nullable fields — is ``set(_:)``; a missing
    /// key is ``unset``, decided by the keyed container below (a lone value has no "missing").
    public init(from decoder: any Decoder) throws {
        self = .set(try Value(from: decoder))
    }
}

extension KeyedDecodingContainer {
    /// Keeps unset and null apart in synthesized `Decodable` conformances: an absent key decodes
    /// as ``Patch/unset``, a present `null` as `.set(nil)` (and fails for a non-nullable field),
    /// so a decoded update body sends exactly the fields it was given.
    public func decode<Value: Decodable>(_ type: Patch<Value>.Type, forKey key: Key) throws -> Patch<Value> {
        guard contains(key) else { return .unset }
        return .set(try decode(Value.self, forKey: key))
    }
}

extension Patch where Value == AnyResourceID? {
    /// Sets an id field from a UUID, a UUID string or a model.
    public static func id(_ identifier: some ResourceIdentifier) -> Patch { .set(AnyResourceID(identifier)) }
}
