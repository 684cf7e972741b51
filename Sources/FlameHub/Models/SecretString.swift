/// A secret (robot or client secret, account password) that never shows in descriptions, logs
/// or dumps; read it explicitly with ``revealed``.
public struct SecretString: Codable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible,
    CustomDebugStringConvertible, CustomReflectable
{
    /// The secret itself.
    public var revealed: String

    /// Wraps `value`.
    public init(_ value: String) {
        revealed = value
    }

    public init(stringLiteral value: String) {
        revealed = value
    }

    public init(from decoder: any Decoder) throws {
        revealed = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(revealed)
    }

    public var description: String { Redaction.placeholder }
    public var debugDescription: String { Redaction.placeholder }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
