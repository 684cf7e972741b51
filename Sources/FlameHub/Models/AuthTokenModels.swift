#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// The OAuth2/OpenID documents of authup's token endpoints. These keep OAuth2's snake_case names in
// every generation (hub-auth-api.md, beta.54 row); the decoder reads either casing.

/// A permission listed in an introspection answer.
public struct TokenPermission: Codable, Sendable, Hashable {
    public var name: String
    public var clientId: String?
    public var realmId: String?
}

/// The answer of `POST /token/introspect`: whether a token is usable, and whose it is.
///
/// authup 1.0.0-beta.63 answers RFC 7662-style (`active: false` with status 200 for dead tokens,
/// the claims of expired ones included); older releases answer 400 `invalid_token`,
/// `expired_token` or `inactive_token`. ``AuthClient/introspect(_:)`` returns an inactive
/// introspection for either.
public struct TokenIntrospection: Sendable, Hashable {
    /// Whether the token can be used now.
    public var active: Bool
    /// Why the token is not active, when the server said (`expired_token`, `inactive_token`,
    /// `invalid_token`; older releases only).
    public var inactiveReason: String?
    /// The subject's id (`sub`).
    public var subject: String?
    /// `user`, `client` or `robot` (`sub_kind`).
    public var subjectKind: String?
    public var realmId: String?
    public var realmName: String?
    public var clientId: String?
    /// The token's id (`jti`).
    public var tokenId: String?
    public var scope: String?
    public var issuer: String?
    public var issuedAt: Date?
    public var expiresAt: Date?
    /// The subject's effective permissions (active tokens only; beta.63 leaves them out of
    /// inactive answers).
    public var permissions: [TokenPermission]
    /// The whole answer, for claims without a property (OpenID claims of the subject such as
    /// `preferred_username` or `email`).
    public var claims: [String: JSONValue]

    /// An inactive token's introspection.
    public static func inactive(reason: String?) -> TokenIntrospection {
        TokenIntrospection(claims: [:], active: false, reason: reason)
    }

    init(claims: [String: JSONValue], active: Bool? = nil, reason: String? = nil) {
        self.claims = claims
        self.active = active ?? (claims["active"] == .bool(true))
        inactiveReason = reason
        subject = claims["sub"]?.stringValue
        subjectKind = claims["sub_kind"]?.stringValue
        realmId = claims["realm_id"]?.stringValue
        realmName = claims["realm_name"]?.stringValue
        clientId = claims["client_id"]?.stringValue
        tokenId = claims["jti"]?.stringValue
        scope = claims["scope"]?.stringValue
        issuer = claims["iss"]?.stringValue
        issuedAt = Self.date(claims["iat"])
        expiresAt = Self.date(claims["exp"])
        permissions =
            claims["permissions"].flatMap { value -> [TokenPermission]? in
                guard case .array(let items) = value else { return nil }
                return items.compactMap { item in
                    guard let name = item["name"]?.stringValue else { return nil }
                    return TokenPermission(
                        name: name, clientId: item["client_id"]?.stringValue, realmId: item["realm_id"]?.stringValue)
                }
            } ?? []
    }

    static func date(_ value: JSONValue?) -> Date? {
        guard case .number(let seconds)? = value else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }
}

/// One public key of a JSON Web Key Set (RFC 7517).
public struct JSONWebKey: Codable, Sendable, Hashable {
    /// `RSA`, `EC` or `oct`.
    public var kty: String
    /// The key's id, matched against a token header's `kid`.
    public var kid: String?
    /// The signature algorithm, e.g. `RS256`.
    public var alg: String?
    /// `sig` for signing keys.
    public var use: String?
    /// RSA modulus and exponent (base64url).
    public var n: String?
    public var e: String?
    /// EC curve and coordinates (base64url).
    public var crv: String?
    public var x: String?
    public var y: String?
}

/// `GET /jwks`: the keys that sign a realm's tokens.
public struct JSONWebKeySet: Codable, Sendable, Hashable {
    public var keys: [JSONWebKey]

    public init(keys: [JSONWebKey]) {
        self.keys = keys
    }
}

/// `GET /.well-known/openid-configuration` (OpenID Connect Discovery 1.0, §3); members the
/// server leaves out are nil.
public struct OpenIDConfiguration: Codable, Sendable, Hashable {
    public var issuer: String
    public var authorizationEndpoint: String?
    public var tokenEndpoint: String?
    public var introspectionEndpoint: String?
    public var revocationEndpoint: String?
    public var userinfoEndpoint: String?
    public var jwksUri: String?
    public var grantTypesSupported: [String]?
    public var responseTypesSupported: [String]?
    public var scopesSupported: [String]?
    public var subjectTypesSupported: [String]?
    public var idTokenSigningAlgValuesSupported: [String]?
    public var tokenEndpointAuthMethodsSupported: [String]?
}
