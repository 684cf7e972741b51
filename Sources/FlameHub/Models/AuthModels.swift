#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// Records of the auth service (authup). Properties are the union of both generations' fields;
// those only one generation sends are optional. Keys decode from snake_case and camelCase.

/// A realm (tenant) of the auth service.
public struct Realm: HubModel {
    public var id: UUID
    public var name: String
    public var displayName: String?
    public var description: String?
    public var builtIn: Bool?
    public var createdAt: Date
    public var updatedAt: Date
}

/// A user account.
public struct User: HubModel {
    public var id: UUID
    public var name: String
    public var nameLocked: Bool?
    public var firstName: String?
    public var lastName: String?
    public var displayName: String?
    /// Only present when requested with `fields: ["email"]` (or after a write).
    public var email: String?
    public var active: Bool?
    public var avatar: String?
    public var cover: String?
    /// Current generation only.
    public var status: String?
    /// Current generation only.
    public var statusMessage: String?
    public var realmId: UUID
    /// Embedded automatically (`include=realm`).
    public var realm: Realm?
    public var createdAt: Date
    public var updatedAt: Date

    public static var includableRelations: [String] { ["realm"] }
    public static var optionalFields: [String] { ["email"] }
}

/// A robot: the machine identity of legacy Hubs (authup < 1.0.0-beta.54).
public struct Robot: HubModel {
    public var id: UUID
    public var name: String
    public var displayName: String?
    public var description: String?
    /// Only present in create/update responses or when requested with `fields: ["secret"]`
    /// (then the stored bcrypt hash).
    public var secret: SecretString?
    public var active: Bool?
    public var userId: UUID?
    public var realmId: UUID
    public var realm: Realm?
    public var user: User?
    public var createdAt: Date
    public var updatedAt: Date

    public static var includableRelations: [String] { ["realm", "user"] }
    public static var optionalFields: [String] { ["secret"] }
}

/// An OAuth2 client: the machine identity of current Hubs (present, little used, on legacy ones).
public struct Client: HubModel {
    public var id: UUID
    public var name: String
    public var builtIn: Bool?
    public var displayName: String?
    public var description: String?
    public var active: Bool?
    public var authMethod: ClientAuthMethod?
    public var tokenBindingMethod: TokenBindingMethod?
    /// Only present in write responses or when requested with `fields: ["secret"]`.
    public var secret: SecretString?
    public var secretHashed: Bool?
    public var secretEncrypted: Bool?
    /// Legacy generation only.
    public var isConfidential: Bool?
    public var redirectUri: String?
    /// Where authup may send the user after log-out (RP-initiated logout); authup ≥ 1.0.0-beta.54.
    public var postLogoutRedirectUri: String?
    /// The OpenID back-channel logout endpoint: sent and read by the Python client 1.1.0, kept
    /// by no authup release up to 1.0.0-beta.63 (which drops it), so it reads nil there.
    public var backchannelLogoutUri: String?
    public var baseUrl: String?
    public var rootUrl: String?
    public var grantTypes: String?
    public var scope: String?
    public var accessPolicyId: UUID?
    /// Legacy generation only.
    public var userId: UUID?
    public var realmId: UUID?
    public var realm: Realm?
    public var createdAt: Date
    public var updatedAt: Date

    public static var includableRelations: [String] { ["realm"] }
    public static var optionalFields: [String] { ["secret"] }
}

/// A permission name that roles, users, robots and clients can be granted.
public struct Permission: HubModel {
    public var id: UUID
    public var name: String
    public var displayName: String?
    public var description: String?
    public var builtIn: Bool?
    /// Legacy generation only.
    public var target: String?
    /// Legacy generation only.
    public var policyId: UUID?
    /// Current generation only.
    public var decisionStrategy: DecisionStrategy?
    public var clientId: UUID?
    public var realmId: UUID?
    public var createdAt: Date
    public var updatedAt: Date
}

/// A role: a named set of permissions.
public struct Role: HubModel {
    public var id: UUID
    public var name: String
    public var displayName: String?
    public var description: String?
    public var target: String?
    /// Absent from legacy single-record reads.
    public var builtIn: Bool?
    public var clientId: UUID?
    public var realmId: UUID?
    /// Embedded on current servers' lists.
    public var realm: Realm?
    public var createdAt: Date
    public var updatedAt: Date

    public static var includableRelations: [String] { ["realm"] }
}

/// A permission granted to a role.
public struct RolePermission: HubModel {
    public var id: UUID
    public var roleId: UUID
    public var roleRealmId: UUID?
    public var permissionId: UUID
    public var permissionRealmId: UUID?
    public var policyId: UUID?
    /// Current generation only.
    public var realmScope: RealmScope?
    public var role: Role?
    public var permission: Permission?
    public var createdAt: Date
    public var updatedAt: Date

    public static var includableRelations: [String] { ["role", "permission"] }
}

/// A permission granted directly to a user.
public struct UserPermission: HubModel {
    public var id: UUID
    public var userId: UUID
    public var userRealmId: UUID?
    public var permissionId: UUID
    public var permissionRealmId: UUID?
    public var policyId: UUID?
    /// Current generation only.
    public var realmScope: RealmScope?
    public var user: User?
    public var permission: Permission?
    public var createdAt: Date
    public var updatedAt: Date

    public static var includableRelations: [String] { ["user", "permission"] }
}

/// A role assigned to a user.
public struct UserRole: HubModel {
    public var id: UUID
    public var userId: UUID
    public var userRealmId: UUID?
    public var roleId: UUID
    public var roleRealmId: UUID?
    public var user: User?
    public var role: Role?
    public var createdAt: Date
    public var updatedAt: Date

    public static var includableRelations: [String] { ["user", "role"] }
}

/// A permission granted to a robot (legacy generation).
public struct RobotPermission: HubModel {
    public var id: UUID
    public var robotId: UUID
    public var robotRealmId: UUID?
    public var permissionId: UUID
    public var permissionRealmId: UUID?
    public var policyId: UUID?
    public var robot: Robot?
    public var permission: Permission?
    public var createdAt: Date
    public var updatedAt: Date

    public static var includableRelations: [String] { ["robot", "permission"] }
}

/// A role assigned to a robot (legacy generation).
public struct RobotRole: HubModel {
    public var id: UUID
    public var robotId: UUID
    public var robotRealmId: UUID?
    public var roleId: UUID
    public var roleRealmId: UUID?
    public var robot: Robot?
    public var role: Role?
    public var createdAt: Date
    public var updatedAt: Date

    public static var includableRelations: [String] { ["robot", "role"] }
}

/// A permission granted to a client.
public struct ClientPermission: HubModel {
    public var id: UUID
    public var clientId: UUID
    public var clientRealmId: UUID?
    public var permissionId: UUID
    public var permissionRealmId: UUID?
    public var policyId: UUID?
    /// Current generation only.
    public var realmScope: RealmScope?
    public var client: Client?
    public var permission: Permission?
    public var createdAt: Date
    public var updatedAt: Date

    public static var includableRelations: [String] { ["client", "permission"] }
}

/// A role assigned to a client.
public struct ClientRole: HubModel {
    public var id: UUID
    public var clientId: UUID
    public var clientRealmId: UUID?
    public var roleId: UUID
    public var roleRealmId: UUID?
    public var client: Client?
    public var role: Role?
    public var createdAt: Date
    public var updatedAt: Date

    public static var includableRelations: [String] { ["client", "role"] }
}
