/// A string value the Hub sends from a fixed vocabulary, e.g. a client's `authMethod`.
///
/// The known values are static constants (`ClientAuthMethod.secret`), usable in `switch`
/// statements; a value this SDK does not know yet decodes as is instead of failing the whole
/// record, and is sent back unchanged.
public protocol HubStringEnum: RawRepresentable, Codable, Hashable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible
where RawValue == String {
    /// The value `rawValue`, known or not.
    init(rawValue: String)
}

extension HubStringEnum {
    public init(stringLiteral value: String) { self.init(rawValue: value) }
    public var description: String { rawValue }
}

/// How a client authenticates at the token endpoint (`authMethod`).
public struct ClientAuthMethod: HubStringEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `none`: a public client without a secret (the server's default).
    public static let publicClient = Self(rawValue: "none")
    /// `secret`: client id and secret; needed for the client-credentials grant.
    public static let secret = Self(rawValue: "secret")
    /// `tls`: mutual TLS.
    public static let tls = Self(rawValue: "tls")
}

/// How a client's tokens are bound (`tokenBindingMethod`).
public struct TokenBindingMethod: HubStringEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `none`.
    public static let unbound = Self(rawValue: "none")
    /// `tls`.
    public static let tls = Self(rawValue: "tls")
}

/// The realm scope of a permission assignment (current authup).
public struct RealmScope: HubStringEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `none`.
    public static let noRealm = Self(rawValue: "none")
    /// `own` (the server's default).
    public static let own = Self(rawValue: "own")
    /// `ownOrNull`.
    public static let ownOrNull = Self(rawValue: "ownOrNull")
    /// `any`.
    public static let any = Self(rawValue: "any")
}

/// How the policies of a permission are combined (current authup).
public struct DecisionStrategy: HubStringEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `unanimous`.
    public static let unanimous = Self(rawValue: "unanimous")
    /// `affirmative`.
    public static let affirmative = Self(rawValue: "affirmative")
    /// `consensus`.
    public static let consensus = Self(rawValue: "consensus")
}

/// The kind of a node (`type`).
public struct NodeType: HubStringEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `default`.
    public static let `default` = Self(rawValue: "default")
    /// `aggregator`.
    public static let aggregator = Self(rawValue: "aggregator")
}

/// The kind of a registry project (`type`).
public struct RegistryProjectType: HubStringEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `default`.
    public static let `default` = Self(rawValue: "default")
    /// `aggregator`.
    public static let aggregator = Self(rawValue: "aggregator")
    /// `incoming`.
    public static let incoming = Self(rawValue: "incoming")
    /// `outgoing`.
    public static let outgoing = Self(rawValue: "outgoing")
    /// `masterImages`.
    public static let masterImages = Self(rawValue: "masterImages")
    /// `node`.
    public static let node = Self(rawValue: "node")
}
