/// The declarations of the auth service's resources.
public enum AuthResources {
    /// `/realms`: every operation.
    public enum Realms: CRUDResource, ReplaceableResource {
        public typealias Model = Realm
        public typealias Create = CreateRealm
        public typealias Update = UpdateRealm
        public static let path = "realms"
    }

    /// `/users`: every operation.
    public enum Users: CRUDResource, ReplaceableResource, SelfReadableResource {
        public typealias Model = User
        public typealias Create = CreateUser
        public typealias Update = UpdateUser
        public static let path = "users"
    }

    /// `/robots`: every operation, legacy generation only (removed in authup 1.0.0-beta.54).
    public enum Robots: CRUDResource, ReplaceableResource, SelfReadableResource {
        public typealias Model = Robot
        public typealias Create = CreateRobot
        public typealias Update = UpdateRobot
        public static let path = "robots"
        public static var generations: Set<HubGeneration> { [.legacy] }
    }

    /// `/clients`: every operation.
    public enum Clients: CRUDResource, ReplaceableResource, SelfReadableResource {
        public typealias Model = Client
        public typealias Create = CreateClient
        public typealias Update = UpdateClient
        public static let path = "clients"
        /// `GET /clients/@me` exists on current servers only.
        public static func generations(for operation: ResourceOperation) -> Set<HubGeneration> {
            operation == .me ? [.current] : generations
        }
    }

    /// `/permissions`: every operation.
    public enum Permissions: CRUDResource, ReplaceableResource {
        public typealias Model = Permission
        public typealias Create = CreatePermission
        public typealias Update = UpdatePermission
        public static let path = "permissions"
    }

    /// `/roles`: every operation.
    public enum Roles: CRUDResource, ReplaceableResource {
        public typealias Model = Role
        public typealias Create = CreateRole
        public typealias Update = UpdateRole
        public static let path = "roles"
    }

    /// `/role-permissions`: list, get, create, delete; update on current servers.
    public enum RolePermissions: CRUDResource, PermissionAssignment {
        public typealias Model = RolePermission
        public typealias Create = CreateRolePermission
        public static let path = "role-permissions"
    }

    /// `/user-permissions`: list, get, create, delete; update on current servers.
    public enum UserPermissions: CRUDResource, PermissionAssignment {
        public typealias Model = UserPermission
        public typealias Create = CreateUserPermission
        public static let path = "user-permissions"
    }

    /// `/client-permissions`: list, get, create, delete; update on current servers.
    public enum ClientPermissions: CRUDResource, PermissionAssignment {
        public typealias Model = ClientPermission
        public typealias Create = CreateClientPermission
        public static let path = "client-permissions"
    }

    /// `/user-roles`: list, get, create, delete.
    public enum UserRoles: Assignment {
        public typealias Model = UserRole
        public typealias Create = CreateUserRole
        public static let path = "user-roles"
    }

    /// `/client-roles`: list, get, create, delete.
    public enum ClientRoles: Assignment {
        public typealias Model = ClientRole
        public typealias Create = CreateClientRole
        public static let path = "client-roles"
    }

    /// `/robot-permissions`: list, get, create, delete; legacy generation only.
    public enum RobotPermissions: Assignment {
        public typealias Model = RobotPermission
        public typealias Create = CreateRobotPermission
        public static let path = "robot-permissions"
        public static var generations: Set<HubGeneration> { [.legacy] }
    }

    /// `/robot-roles`: list, get, create, delete; legacy generation only.
    public enum RobotRoles: Assignment {
        public typealias Model = RobotRole
        public typealias Create = CreateRobotRole
        public static let path = "robot-roles"
        public static var generations: Set<HubGeneration> { [.legacy] }
    }

    /// `/scopes`: every operation, `PUT /scopes/:id` included.
    public enum Scopes: CRUDResource, ReplaceableResource {
        public typealias Model = AuthScope
        public typealias Create = CreateScope
        public typealias Update = UpdateScope
        public static let path = "scopes"
    }

    /// `/client-scopes`: list, get, create, delete.
    public enum ClientScopes: Assignment {
        public typealias Model = ClientScope
        public typealias Create = CreateClientScope
        public static let path = "client-scopes"
    }

    /// `/role-attributes`: every operation.
    public enum RoleAttributes: CRUDResource {
        public typealias Model = RoleAttribute
        public typealias Create = CreateRoleAttribute
        public typealias Update = UpdateAttribute
        public static let path = "role-attributes"
    }

    /// `/user-attributes`: every operation.
    public enum UserAttributes: CRUDResource {
        public typealias Model = UserAttribute
        public typealias Create = CreateUserAttribute
        public typealias Update = UpdateAttribute
        public static let path = "user-attributes"
    }

    /// `/policies`: every operation; the bodies carry a typed ``PolicyRule``.
    public enum Policies: CRUDResource {
        public typealias Model = AuthPolicy
        public typealias Create = CreatePolicy
        public typealias Update = UpdatePolicy
        public static let path = "policies"
    }

    /// `/permission-policies`: list, get, create, delete; authup ≥ 1.0.0-beta.31 (not the legacy
    /// generation's beta.26).
    public enum PermissionPolicies: Assignment {
        public typealias Model = PermissionPolicy
        public typealias Create = CreatePermissionPolicy
        public static let path = "permission-policies"
        public static var generations: Set<HubGeneration> { AuthResources.generations(\.hasAuthupSessions) }
    }

    /// `/identity-providers`: every operation; creation takes the typed protocol settings.
    public enum IdentityProviders: CRUDResource {
        public typealias Model = IdentityProvider
        public typealias Create = CreateIdentityProvider
        public typealias Update = UpdateIdentityProvider
        public static let path = "identity-providers"
    }

    /// `/identity-provider-role-mappings`: every operation.
    public enum IdentityProviderRoleMappings: CRUDResource {
        public typealias Model = IdentityProviderRoleMapping
        public typealias Create = CreateIdentityProviderRoleMapping
        public typealias Update = UpdateIdentityProviderRoleMapping
        public static let path = "identity-provider-role-mappings"
    }

    /// `/identity-provider-accounts`: list, get, delete; authup ≥ 1.0.0-beta.60.
    public enum IdentityProviderAccounts: ListableResource, GettableResource, DeletableResource {
        public typealias Model = IdentityProviderAccount
        public static let path = "identity-provider-accounts"
        public static var generations: Set<HubGeneration> {
            AuthResources.generations(\.hasIdentityProviderAccounts)
        }
    }

    /// `/sessions`: list, get, delete (ends the session and its tokens); authup ≥ 1.0.0-beta.53.
    public enum Sessions: ListableResource, GettableResource, DeletableResource {
        public typealias Model = AuthSession
        public static let path = "sessions"
        public static var generations: Set<HubGeneration> { AuthResources.generations(\.hasAuthupSessions) }
    }

    /// `/session-tokens`: list, get, delete (revokes one token); authup ≥ 1.0.0-beta.60. Bulk
    /// revocation is ``AuthClient/revokeSessionTokens(filter:)``.
    public enum SessionTokens: ListableResource, GettableResource, DeletableResource {
        public typealias Model = AuthSessionToken
        public static let path = "session-tokens"
        public static var generations: Set<HubGeneration> { AuthResources.generations(\.hasSessionTokens) }
    }

    /// `/events`: list, get; authup ≥ 1.0.0-beta.53. The audit log is append-only.
    public enum Events: ListableResource, GettableResource {
        public typealias Model = AuthEvent
        public static let path = "events"
        public static var generations: Set<HubGeneration> { AuthResources.generations(\.hasAuthupSessions) }
    }

    /// `/keys`: every operation but `PUT`; authup ≥ 1.0.0-beta.53.
    public enum Keys: CRUDResource {
        public typealias Model = AuthKey
        public typealias Create = CreateKey
        public typealias Update = UpdateKey
        public static let path = "keys"
        public static var generations: Set<HubGeneration> { AuthResources.generations(\.hasAuthupSessions) }
    }

    /// `/trust-anchors`: every operation but `PUT`; authup ≥ 1.0.0-beta.53.
    public enum TrustAnchors: CRUDResource {
        public typealias Model = TrustAnchor
        public typealias Create = CreateTrustAnchor
        public typealias Update = UpdateTrustAnchor
        public static let path = "trust-anchors"
        public static var generations: Set<HubGeneration> { AuthResources.generations(\.hasAuthupSessions) }
    }

    /// `/consents`: list, get, delete (revokes the grant); authup ≥ 1.0.0-beta.53.
    public enum Consents: ListableResource, GettableResource, DeletableResource {
        public typealias Model = AuthConsent
        public static let path = "consents"
        public static var generations: Set<HubGeneration> { AuthResources.generations(\.hasAuthupSessions) }
    }

    /// The generations for which `has` holds.
    static func generations(_ has: (HubGeneration) -> Bool) -> Set<HubGeneration> {
        Set(HubGeneration.allCases.filter(has))
    }

    /// A junction without update (`GET`, `POST`, `GET /:id`, `DELETE /:id`).
    public typealias Assignment = ListableResource & GettableResource & CreatableResource & DeletableResource
}

/// A permission junction: its update (`policyId`, `realmScope`) exists from authup 1.0.0-beta.54
/// on (`POST /:id` in `client-permission/module.ts` at `v1.0.0-beta.56`).
public protocol PermissionAssignment: UpdatableResource where Update == UpdatePermissionAssignment {}

extension PermissionAssignment {
    public static func generations(for operation: ResourceOperation) -> Set<HubGeneration> {
        operation == .update ? [.transitional, .current] : generations
    }
}

extension HubGeneration {
    /// Whether the generation's authup (≥ 1.0.0-beta.53) has sessions, permission policies and
    /// realm-scoped routes.
    var hasAuthupSessions: Bool {
        switch self {
        case .legacy: false
        case .transitional, .current: true
        }
    }

    /// Whether the generation's authup (≥ 1.0.0-beta.60: `controllers/entities/session-token`
    /// first there) serves the tokens of a session.
    var hasSessionTokens: Bool {
        switch self {
        case .legacy, .transitional: false
        case .current: true
        }
    }

    /// Whether the generation's authup (≥ 1.0.0-beta.60) has identity-provider accounts.
    var hasIdentityProviderAccounts: Bool {
        switch self {
        case .legacy, .transitional: false
        case .current: true
        }
    }
}
