#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// Typed create bodies of policies and identity providers: authup validates each policy type and
// each provider protocol with its own fields (`apps/server-core/.../policy/utils/
// attributes-validator.ts`, `packages/access/src/policy/built-in/*/types.ts`, core-kit
// `domains/identity-provider/{oauth2,ldap}/types.ts`, all at v1.0.0-beta.63; the same types
// exist at beta.26 and beta.56).

/// What a policy decides on, with the settings of its type (authup's built-in policy types).
public enum PolicyRule: Sendable, Hashable {
    /// Grants when the checked object carries only attributes named in `names`.
    case attributeNames([String])
    /// Grants when the checked object matches the MongoDB-style `query`.
    case attributes(query: [String: JSONValue])
    /// Bundles the policies below it (``CreatePolicy/parentId`` of the children), combined by
    /// `decisionStrategy` (authup's default: unanimous).
    case composite(decisionStrategy: DecisionStrategy?)
    /// Grants between `start` and `end` (ISO 8601 dates or times; either may be absent).
    case date(start: String?, end: String?)
    /// Grants within a time window, optionally repeating (`daily`, `weekly`, `monthly`, `yearly`)
    /// or on a day of the week (0–6), month (1–31) or year (1–366).
    case time(
        start: String?, end: String?, interval: String? = nil, dayOfWeek: Int? = nil, dayOfMonth: Int? = nil,
        dayOfYear: Int? = nil)
    /// Grants to identities of the given kinds (`user`, `client`, `robot`); nil for any.
    case identity(types: [String]?)
    /// Grants when the permission is bound to the identity (the built-in `system.permission-binding`).
    case permissionBinding
    /// Grants when the realm of the identity matches the object's attribute `attributeName`
    /// (`realmId` by default).
    case realmMatch(attributeName: [String]? = nil, strict: Bool? = nil, nullMatchesAll: Bool? = nil)

    /// authup's name of the type (`BuiltInPolicyType`).
    public var type: String {
        switch self {
        case .attributeNames: "attributeNames"
        case .attributes: "attributes"
        case .composite: "composite"
        case .date: "date"
        case .time: "time"
        case .identity: "identity"
        case .permissionBinding: "permissionBinding"
        case .realmMatch: "realmMatch"
        }
    }

    /// The type's own keys, as authup's validators name them.
    var settings: [(String, JSONValue?)] {
        func text(_ value: String?) -> JSONValue? { value.map(JSONValue.string) }
        func number(_ value: Int?) -> JSONValue? { value.map { .number(Double($0)) } }
        switch self {
        case .attributeNames(let names): return [("names", .array(names.map(JSONValue.string)))]
        case .attributes(let query): return [("query", .object(query))]
        case .composite(let strategy): return [("decisionStrategy", text(strategy?.rawValue))]
        case .date(let start, let end): return [("start", text(start)), ("end", text(end))]
        case .time(let start, let end, let interval, let week, let month, let year):
            return [
                ("start", text(start)), ("end", text(end)), ("interval", text(interval)),
                ("dayOfWeek", number(week)), ("dayOfMonth", number(month)), ("dayOfYear", number(year)),
            ]
        case .identity(let types): return [("types", types.map { .array($0.map(JSONValue.string)) })]
        case .permissionBinding: return []
        case .realmMatch(let names, let strict, let nullMatchesAll):
            return [
                ("attributeName", names.map { .array($0.map(JSONValue.string)) }),
                ("attributeNameStrict", strict.map(JSONValue.bool)),
                ("attributeNullMatchAll", nullMatchesAll.map(JSONValue.bool)),
            ]
        }
    }
}

/// The body of `POST /policies`: the shared settings and the typed ``PolicyRule``.
///
/// ```swift
/// let window = try await auth.policies.create(
///     CreatePolicy(name: "office-hours", rule: .time(start: "08:00", end: "18:00", interval: "daily")))
/// ```
public struct CreatePolicy: Encodable, Sendable, Hashable {
    /// 3–128 characters, lower-cased by current servers.
    public var name: String
    public var rule: PolicyRule
    public var displayName: String?
    public var description: String?
    /// Grants where the rule refuses and the other way round.
    public var invert: Bool?
    /// The composite policy this one belongs to.
    public var parentId: AnyResourceID?
    /// nil lets the server pick the caller's realm.
    public var realmId: AnyResourceID?

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: DynamicKey.self)
        try container.encode(name, forKey: DynamicKey("name"))
        try container.encode(rule.type, forKey: DynamicKey("type"))
        try container.encodeIfPresent(displayName, forKey: DynamicKey("displayName"))
        try container.encodeIfPresent(description, forKey: DynamicKey("description"))
        try container.encodeIfPresent(invert, forKey: DynamicKey("invert"))
        try container.encodeIfPresent(parentId, forKey: DynamicKey("parentId"))
        try container.encodeIfPresent(realmId, forKey: DynamicKey("realmId"))
        for (key, value) in rule.settings {
            try container.encodeIfPresent(value, forKey: DynamicKey(key))
        }
    }
}

/// The body of `POST /policies/:id`: the shared settings; the rule's own settings, when given,
/// replace the stored ones (its type cannot change).
public struct UpdatePolicy: Encodable, Sendable, Hashable {
    public var name: Patch<String>
    public var displayName: Patch<String?>
    public var description: Patch<String?>
    public var invert: Patch<Bool>
    public var parentId: Patch<AnyResourceID?>
    /// The rule's settings (and type, which must stay the same); nil leaves them.
    public var rule: PolicyRule?

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: DynamicKey.self)
        // A set Patch is sent, `nil` as `null`; an unset one is not.
        func patch<T: Encodable>(_ key: String, _ field: Patch<T>) throws {
            if case .set(let value) = field { try container.encode(value, forKey: DynamicKey(key)) }
        }
        try patch("name", name)
        try patch("displayName", displayName)
        try patch("description", description)
        try patch("invert", invert)
        try patch("parentId", parentId)
        if let rule {
            try container.encode(rule.type, forKey: DynamicKey("type"))
            for (key, value) in rule.settings {
                try container.encodeIfPresent(value, forKey: DynamicKey(key))
            }
        }
    }
}

/// The OAuth2 settings that OAuth2 and OpenID Connect providers share.
public struct OAuth2ProviderSettings: Sendable, Hashable {
    /// 3–128 characters.
    public var clientId: String
    public var clientSecret: SecretString?
    public var tokenUrl: String
    public var authorizeUrl: String
    public var tokenRevokeUrl: String?
    public var userInfoUrl: String?
    /// Space-separated scopes to ask for.
    public var scope: String?

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

/// The settings of an LDAP directory.
public struct LDAPProviderSettings: Sendable, Hashable {
    /// `ldap://…` or `ldaps://…`.
    public var url: String
    public var baseDn: String
    /// The bind user and its password.
    public var user: String?
    public var password: SecretString?
    public var timeout: Int?
    public var startTls: Bool?
    public var userBaseDn: String?
    public var userFilter: String?
    public var userNameAttribute: String?
    public var userMailAttribute: String?
    public var userDisplayNameAttribute: String?
    public var groupBaseDn: String?
    public var groupFilter: String?
    public var groupNameAttribute: String?
    public var groupClass: String?
    public var groupMemberAttribute: String?
    public var groupMemberUserAttribute: String?
    // The attribute mappings keep authup's defaults unless given.

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

/// How a provider is reached: the protocol with its settings.
public enum IdentityProviderProtocolSettings: Sendable, Hashable {
    /// Plain OAuth2 (`authorizeUrl`, `tokenUrl`, `userInfoUrl`).
    case oauth2(OAuth2ProviderSettings)
    /// OpenID Connect on top of the OAuth2 settings.
    case oidc(OAuth2ProviderSettings)
    /// An LDAP directory searched with a bind user.
    case ldap(LDAPProviderSettings)

    /// authup's protocol name.
    public var name: String {
        switch self {
        case .oauth2: "oauth2"
        case .oidc: "oidc"
        case .ldap: "ldap"
        }
    }
}

/// The body of `POST /identity-providers`: the shared settings and the typed protocol settings.
///
/// ```swift
/// let github = try await auth.identityProviders.create(
///     CreateIdentityProvider(name: "github", protocol: .oauth2(OAuth2ProviderSettings(
///         clientId: "…", clientSecret: "…", tokenUrl: "https://github.com/login/oauth/access_token",
///         authorizeUrl: "https://github.com/login/oauth/authorize"))))
/// ```
public struct CreateIdentityProvider: Encodable, Sendable, Hashable {
    /// 3–128 characters, lower-cased by current servers.
    public var name: String
    public var settings: IdentityProviderProtocolSettings
    public var displayName: String?
    /// An OAuth2 preset (`github`, `google`, `facebook`, …) that fills in the endpoints.
    public var preset: String?
    public var enabled: Bool?
    /// nil lets the server pick the caller's realm.
    public var realmId: AnyResourceID?

    /// Creates a body.
    public init(
        name: String, protocol settings: IdentityProviderProtocolSettings, displayName: String? = nil,
        preset: String? = nil, enabled: Bool? = nil, realmId: AnyResourceID? = nil
    ) {
        self.name = name
        self.settings = settings
        self.displayName = displayName
        self.preset = preset
        self.enabled = enabled
        self.realmId = realmId
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: DynamicKey.self)
        func put<T: Encodable>(_ key: String, _ value: T?) throws {
            try container.encodeIfPresent(value, forKey: DynamicKey(key))
        }
        try put("name", name)
        try put("protocol", settings.name)
        try put("displayName", displayName)
        try put("preset", preset)
        try put("enabled", enabled)
        try put("realmId", realmId)
        switch settings {
        case .oauth2(let oauth), .oidc(let oauth):
            try put("clientId", oauth.clientId)
            try put("clientSecret", oauth.clientSecret)
            try put("tokenUrl", oauth.tokenUrl)
            try put("authorizeUrl", oauth.authorizeUrl)
            try put("tokenRevokeUrl", oauth.tokenRevokeUrl)
            try put("userInfoUrl", oauth.userInfoUrl)
            try put("scope", oauth.scope)
        case .ldap(let ldap):
            try put("url", ldap.url)
            try put("baseDn", ldap.baseDn)
            try put("user", ldap.user)
            try put("password", ldap.password)
            try put("timeout", ldap.timeout)
            try put("startTls", ldap.startTls)
            try put("userBaseDn", ldap.userBaseDn)
            try put("userFilter", ldap.userFilter)
            try put("userNameAttribute", ldap.userNameAttribute)
            try put("userMailAttribute", ldap.userMailAttribute)
            try put("userDisplayNameAttribute", ldap.userDisplayNameAttribute)
            try put("groupBaseDn", ldap.groupBaseDn)
            try put("groupFilter", ldap.groupFilter)
            try put("groupNameAttribute", ldap.groupNameAttribute)
            try put("groupClass", ldap.groupClass)
            try put("groupMemberAttribute", ldap.groupMemberAttribute)
            try put("groupMemberUserAttribute", ldap.groupMemberUserAttribute)
        }
    }
}

/// A coding key named at run time (the typed bodies' flattened settings).
struct DynamicKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

// Decodable so that a caller (the `flamehub` CLI among them) can build the typed bodies from
// the flat JSON authup takes: `type` (or `protocol`) picks the rule (or settings) read beside.
extension PolicyRule {
    init(type: String, from container: KeyedDecodingContainer<DynamicKey>) throws {
        func value<T: Decodable>(_ key: String) throws -> T? {
            try container.decodeIfPresent(T.self, forKey: DynamicKey(key))
        }
        switch type {
        case "attributeNames": self = .attributeNames(try value("names") ?? [])
        case "attributes": self = .attributes(query: try value("query") ?? [:])
        case "composite": self = .composite(decisionStrategy: try value("decisionStrategy"))
        case "date": self = .date(start: try value("start"), end: try value("end"))
        case "time":
            self = .time(
                start: try value("start"), end: try value("end"), interval: try value("interval"),
                dayOfWeek: try value("dayOfWeek"), dayOfMonth: try value("dayOfMonth"),
                dayOfYear: try value("dayOfYear"))
        case "identity": self = .identity(types: try value("types"))
        case "permissionBinding": self = .permissionBinding
        case "realmMatch":
            self = .realmMatch(
                attributeName: try value("attributeName"), strict: try value("attributeNameStrict"),
                nullMatchesAll: try value("attributeNullMatchAll"))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: DynamicKey("type"), in: container, debugDescription: "unknown policy type '\(type)'")
        }
    }
}

extension CreatePolicy: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: DynamicKey.self)
        self.init(
            name: try container.decode(String.self, forKey: DynamicKey("name")),
            rule: try PolicyRule(type: try container.decode(String.self, forKey: DynamicKey("type")), from: container),
            displayName: try container.decodeIfPresent(String.self, forKey: DynamicKey("displayName")),
            description: try container.decodeIfPresent(String.self, forKey: DynamicKey("description")),
            invert: try container.decodeIfPresent(Bool.self, forKey: DynamicKey("invert")),
            parentId: try container.decodeIfPresent(AnyResourceID.self, forKey: DynamicKey("parentId")),
            realmId: try container.decodeIfPresent(AnyResourceID.self, forKey: DynamicKey("realmId")))
    }
}

extension OAuth2ProviderSettings: Decodable {}
extension LDAPProviderSettings: Decodable {}

extension CreateIdentityProvider: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: DynamicKey.self)
        let settings: IdentityProviderProtocolSettings
        switch try container.decode(String.self, forKey: DynamicKey("protocol")) {
        case "oauth2": settings = .oauth2(try OAuth2ProviderSettings(from: decoder))
        case "oidc": settings = .oidc(try OAuth2ProviderSettings(from: decoder))
        case "ldap": settings = .ldap(try LDAPProviderSettings(from: decoder))
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: DynamicKey("protocol"), in: container, debugDescription: "unknown protocol '\(other)'")
        }
        self.init(
            name: try container.decode(String.self, forKey: DynamicKey("name")), protocol: settings,
            displayName: try container.decodeIfPresent(String.self, forKey: DynamicKey("displayName")),
            preset: try container.decodeIfPresent(String.self, forKey: DynamicKey("preset")),
            enabled: try container.decodeIfPresent(Bool.self, forKey: DynamicKey("enabled")),
            realmId: try container.decodeIfPresent(AnyResourceID.self, forKey: DynamicKey("realmId")))
    }
}
