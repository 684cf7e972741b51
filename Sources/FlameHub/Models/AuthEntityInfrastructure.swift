#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// authup's infrastructure entities of 1.0.0-beta.53 and later: audit events, signing keys, trust
// anchors and consents (core-kit `domains/{event,key,trust-anchor,consent}` at v1.0.0-beta.63;
// beta.56 has the same shapes but for `Event.sessionId`, new in beta.60).

/// One audit record (`/events`, authup ≥ 1.0.0-beta.53): read-only, written by authup itself
/// (log-ins, entity changes) and swept after its retention period.
public struct AuthEvent: HubModel {
    public var id: UUID
    /// The group, e.g. `oauth2`, `identity`, `entity`.
    public var scope: String
    /// The action, e.g. `login`, `loginFailed`, `created`.
    public var name: String
    /// The kind and id of the record it is about (`session`, `user`, `key`, …).
    public var refType: String?
    public var refId: String?
    public var clientId: UUID?
    /// The session that acted or was affected (authup ≥ 1.0.0-beta.60).
    public var sessionId: UUID?
    /// `user`, `client` or `robot`; with `actorName` a snapshot that outlives the actor.
    public var actorType: String?
    public var actorId: UUID?
    public var actorName: String?
    public var requestPath: String?
    public var requestMethod: String?
    public var requestIpAddress: String?
    public var requestUserAgent: String?
    public var realmId: UUID?
    /// The context authup kept (an allow-list of keys, without personal data).
    public var data: [String: JSONValue]?
    /// Whether the retention sweep removes it at `expiresAt`.
    public var expiring: Bool?
    public var expiresAt: Date?
    public var createdAt: Date?
}

/// A key of a realm (`/keys`, authup ≥ 1.0.0-beta.53): token signing (`sig`) or encryption at
/// rest (`enc`). authup never answers the private part; `decryptionKey` is `nil` on every read.
public struct AuthKey: HubModel {
    public var id: UUID
    public var name: String?
    /// `oct`, `rsa` or `ec`.
    public var type: String?
    /// `sig` or `enc`.
    public var use: String?
    /// The JWT algorithm (`RS256`, `ES256`, …); `nil` for `enc` keys.
    public var signatureAlgorithm: String?
    /// The key with the highest priority of its use signs.
    public var priority: Int?
    /// `active`, `passive` (verifies, does not sign) or `disabled`.
    public var status: String?
    /// An X.509 certificate chain (PEM) published as `x5c` in the JWKS.
    public var certificate: String?
    /// The private key; redacted in descriptions and logs.
    public var decryptionKey: SecretString?
    /// The public key (PEM).
    public var encryptionKey: String?
    public var realmId: UUID?
    public var createdAt: Date?
    public var updatedAt: Date?
}

/// A CA certificate a realm trusts (`/trust-anchors`, authup ≥ 1.0.0-beta.53), e.g. for client
/// certificates and the private-key-JWT assertions of clients.
public struct TrustAnchor: HubModel {
    public var id: UUID
    public var name: String
    /// The PEM certificate or chain.
    public var certificate: String
    public var enabled: Bool?
    public var realmId: UUID?
    public var createdAt: Date?
    public var updatedAt: Date?
}

/// A scope a subject granted to a client (`/consents`, authup ≥ 1.0.0-beta.53), one row per
/// scope; deleting it makes the client ask again.
public struct AuthConsent: HubModel {
    public var id: UUID
    /// The subject's id and kind (`user`, `client`).
    public var sub: String
    public var subKind: String
    /// One lower-case OAuth2 scope.
    public var scope: String
    /// `nil`: does not expire.
    public var expiresAt: Date?
    public var clientId: UUID
    public var realmId: UUID?
    /// Set when the subject is a user.
    public var userId: UUID?
    public var createdAt: Date?
    public var updatedAt: Date?
}

/// The body of `POST /keys`: without `decryptionKey` authup generates the key pair; a new key
/// gets the highest priority of its use unless `priority` is given (so creating one rotates).
/// The name (3–128 characters) defaults to `<use>-<random>`; the realm to the caller's.
public struct CreateKey: Encodable, Sendable, Hashable {
    /// `sig` or `enc`.
    public var use: String
    public var name: String?
    /// For `sig` keys, e.g. `RS256`, `ES256`.
    public var signatureAlgorithm: String?
    public var priority: Int?
    /// `active` (the default), `passive` or `disabled`.
    public var status: String?
    public var realmId: AnyResourceID?
    /// A private key to import (PEM, 16–16384 characters) instead of a generated one.
    public var decryptionKey: SecretString?
    public var encryptionKey: String?
    /// A certificate chain (PEM) for an imported signing key.
    public var certificate: String?

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

/// The body of `POST /keys/:id`: the key material, use and realm cannot change.
public struct UpdateKey: Encodable, Sendable, Hashable {
    public var name: Patch<String>
    public var priority: Patch<Int>
    public var status: Patch<String>

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

/// The body of `POST /trust-anchors`: name 3–128 characters, a PEM certificate of 64–65536.
public struct CreateTrustAnchor: Encodable, Sendable, Hashable {
    public var name: String
    public var certificate: String
    public var enabled: Bool?
    public var realmId: AnyResourceID?

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

/// The body of `POST /trust-anchors/:id`: the certificate cannot change.
public struct UpdateTrustAnchor: Encodable, Sendable, Hashable {
    public var name: Patch<String>
    public var enabled: Patch<Bool>

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

// Decodable so that a caller (the `flamehub` CLI among them) can build a body from JSON; an
// absent `Patch` field stays unset, an explicit `null` clears.
extension CreateKey: Decodable {}
extension UpdateKey: Decodable {}
extension CreateTrustAnchor: Decodable {}
extension UpdateTrustAnchor: Decodable {}
