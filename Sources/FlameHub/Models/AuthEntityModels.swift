#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// authup's further entities (core-kit `domains/*/entity.ts` at v1.0.0-beta.26 and beta.63).
// Fields only some releases send are optional; keys decode from snake_case and camelCase.

/// An OAuth2 scope (`/scopes`), e.g. the built-in `global`, `openid`, `email`.
public struct AuthScope: HubModel {
    public var id: UUID
    public var name: String
    public var builtIn: Bool?
    public var displayName: String?
    public var description: String?
    public var realmId: UUID?
    public var createdAt: Date?
    public var updatedAt: Date?
}

/// A scope granted to a client (`/client-scopes`); `isDefault` scopes apply without being asked for.
public struct ClientScope: HubModel {
    public var id: UUID
    public var isDefault: Bool?
    public var clientId: UUID
    public var clientRealmId: UUID?
    public var scopeId: UUID
    public var scopeRealmId: UUID?
    public var client: Client?
    public var scope: AuthScope?
    /// Not sent by legacy servers.
    public var createdAt: Date?
    public var updatedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, clientId, clientRealmId, scopeId, scopeRealmId, client, scope, createdAt, updatedAt
        case isDefault = "default"
    }
}

/// A name/value attribute of a role (`/role-attributes`).
public struct RoleAttribute: HubModel {
    public var id: UUID
    public var name: String
    public var value: String?
    public var roleId: UUID
    public var realmId: UUID?
    public var createdAt: Date?
    public var updatedAt: Date?
}

/// A name/value attribute of a user (`/user-attributes`).
public struct UserAttribute: HubModel {
    public var id: UUID
    public var name: String
    public var value: String?
    public var userId: UUID
    public var realmId: UUID?
    public var createdAt: Date?
    public var updatedAt: Date?
}

/// An access policy (`/policies`): a tree of typed rules (`attributes`, `date`, `time`,
/// `identity`, `realmMatch`, `permissionBinding`, `composite`) that permissions refer to; only
/// the settings every type shares are decoded.
public struct AuthPolicy: HubModel {
    public var id: UUID
    public var name: String
    public var type: String
    public var builtIn: Bool?
    public var displayName: String?
    public var description: String?
    public var invert: Bool?
    public var parentId: UUID?
    public var realmId: UUID?
    public var createdAt: Date?
    public var updatedAt: Date?
    /// Settings of some types, when the server sends them: `composite`, `realmMatch`.
    public var decisionStrategy: DecisionStrategy?
    /// `attributeNames`.
    public var names: [String]?
    /// `identity`.
    public var types: [String]?
    /// `date` and `time`.
    public var start: String?
    public var end: String?
    /// `time`: `daily`, `weekly`, `monthly`, `yearly`.
    public var interval: String?
    /// The descendants, in ``AuthClient/expandedPolicy(_:)`` answers of legacy servers.
    public var children: [AuthPolicy]?
}

/// A policy attached to a permission (`/permission-policies`, authup ≥ 1.0.0-beta.31).
public struct PermissionPolicy: HubModel {
    public var id: UUID
    public var permissionId: UUID
    public var permissionRealmId: UUID?
    public var policyId: UUID
    public var policyRealmId: UUID?
    public var createdAt: Date?
    public var updatedAt: Date?
}

/// An external identity provider of a realm (`/identity-providers`): OAuth2, OpenID Connect or
/// LDAP, possibly from a preset (`github`, `google`, …).
public struct IdentityProvider: HubModel {
    public var id: UUID
    public var name: String
    public var displayName: String?
    /// `oauth2`, `oidc` or `ldap`.
    public var `protocol`: String?
    public var preset: String?
    public var enabled: Bool?
    public var realmId: UUID
    /// OAuth2 and OpenID Connect providers.
    public var clientId: String?
    public var tokenUrl: String?
    public var authorizeUrl: String?
    public var userInfoUrl: String?
    public var scope: String?
    /// LDAP providers.
    public var url: String?
    public var baseDn: String?
    public var createdAt: Date?
    public var updatedAt: Date?
}

/// A role granted to the users of an identity provider whose claim `name` matches `value`
/// (`/identity-provider-role-mappings`).
public struct IdentityProviderRoleMapping: HubModel {
    public var id: UUID
    public var providerId: UUID
    public var providerRealmId: UUID?
    public var roleId: UUID
    public var roleRealmId: UUID?
    public var name: String?
    public var value: String?
    public var valueIsRegex: Bool?
    /// `once` or `always`.
    public var synchronizationMode: String?
    public var createdAt: Date?
    public var updatedAt: Date?
}

/// The link of a user to its account at an identity provider (`/identity-provider-accounts`,
/// authup ≥ 1.0.0-beta.60).
public struct IdentityProviderAccount: HubModel {
    public var id: UUID
    public var providerUserId: String?
    public var providerUserName: String?
    public var providerUserEmail: String?
    public var userId: UUID
    public var userRealmId: UUID?
    public var providerId: UUID
    public var providerRealmId: UUID?
    public var createdAt: Date?
    public var updatedAt: Date?
}

/// A login session (`/sessions`, authup ≥ 1.0.0-beta.53): one per log-in, shared by the tokens
/// refreshed from it; deleting it ends them all.
public struct AuthSession: HubModel {
    public var id: UUID
    /// The subject's id and kind (`user` or `client`).
    public var sub: String?
    public var subKind: String?
    public var ipAddress: String?
    public var userAgent: String?
    public var expiresAt: Date?
    public var refreshedAt: Date?
    public var seenAt: Date?
    public var clientId: UUID?
    public var userId: UUID?
    public var realmId: UUID?
    public var createdAt: Date?
    public var updatedAt: Date?
}

/// One access or refresh token of a session (`/session-tokens`, authup ≥ 1.0.0-beta.60).
public struct AuthSessionToken: HubModel {
    public var id: UUID
    public var sessionId: UUID
    public var clientId: UUID?
    /// `access` or `refresh`.
    public var kind: String?
    /// The refresh token this one was issued from.
    public var parentId: UUID?
    public var refreshTokenId: UUID?
    public var ipAddress: String?
    public var userAgent: String?
    public var consumedAt: Date?
    public var revokedAt: Date?
    public var expiresAt: Date?
    public var session: AuthSession?
    public var client: Client?
    public var createdAt: Date?

    public static var includableRelations: [String] { [] }
}

/// The answer of a permission check (`POST /permissions/:id/check`): whether the caller (or the
/// identity in the body) holds the permission under its policies.
public struct PermissionCheckResult: Sendable, Hashable, Decodable {
    /// `success` or `error`.
    public var status: String
    /// The serialized reason of a refusal (authup's error: `code`, `message`, …).
    public var data: [String: JSONValue]?

    /// Whether the permission was granted.
    public var granted: Bool { status == "success" }
}
