/// The client of the auth service (authup): realms, users, robots (legacy), clients,
/// permissions, roles and their assignments.
///
/// ```swift
/// let auth = PasswordAuth(username: "admin", password: "start123", baseURL: "http://localhost:3000/auth/")
/// let client = AuthClient(baseURL: "http://localhost:3000/auth/", auth: auth)
/// let admin = try await client.users.find(filter: ["name": "admin"]).first
/// print(admin?.realm?.name ?? "-")                      // relations are included automatically
/// let robots = try await client.robots.find(filter: ["name": "system"], fields: ["secret"])
/// ```
///
/// Operations a generation lacks throw ``HubClientError`` (``HubClientError/Code/unsupportedByServer``)
/// before sending; operations no generation has do not exist.
public struct AuthClient: HubClient {
    public static let service = HubService.auth
    /// `https://auth.privateaim.dev`.
    public static let defaultBaseURL = "https://auth.privateaim.dev"
    public let context: HubContext

    public init(context: HubContext) {
        self.context = context
    }

    /// `/realms`.
    public var realms: Resource<AuthResources.Realms> { resource() }
    /// `/users`.
    public var users: Resource<AuthResources.Users> { resource() }
    /// `/robots` (legacy generation).
    public var robots: Resource<AuthResources.Robots> { resource() }
    /// `/clients`.
    public var clients: Resource<AuthResources.Clients> { resource() }
    /// `/permissions`.
    public var permissions: Resource<AuthResources.Permissions> { resource() }
    /// `/roles`.
    public var roles: Resource<AuthResources.Roles> { resource() }
    /// `/role-permissions`.
    public var rolePermissions: Resource<AuthResources.RolePermissions> { resource() }
    /// `/user-permissions`.
    public var userPermissions: Resource<AuthResources.UserPermissions> { resource() }
    /// `/user-roles`.
    public var userRoles: Resource<AuthResources.UserRoles> { resource() }
    /// `/robot-permissions` (legacy generation).
    public var robotPermissions: Resource<AuthResources.RobotPermissions> { resource() }
    /// `/robot-roles` (legacy generation).
    public var robotRoles: Resource<AuthResources.RobotRoles> { resource() }
    /// `/client-permissions`.
    public var clientPermissions: Resource<AuthResources.ClientPermissions> { resource() }
    /// `/client-roles`.
    public var clientRoles: Resource<AuthResources.ClientRoles> { resource() }
    /// `/scopes`.
    public var scopes: Resource<AuthResources.Scopes> { resource() }
    /// `/client-scopes`.
    public var clientScopes: Resource<AuthResources.ClientScopes> { resource() }
    /// `/role-attributes`.
    public var roleAttributes: Resource<AuthResources.RoleAttributes> { resource() }
    /// `/user-attributes`.
    public var userAttributes: Resource<AuthResources.UserAttributes> { resource() }
    /// `/policies`.
    public var policies: Resource<AuthResources.Policies> { resource() }
    /// `/permission-policies` (current generation).
    public var permissionPolicies: Resource<AuthResources.PermissionPolicies> { resource() }
    /// `/identity-providers`.
    public var identityProviders: Resource<AuthResources.IdentityProviders> { resource() }
    /// `/identity-provider-role-mappings`.
    public var identityProviderRoleMappings: Resource<AuthResources.IdentityProviderRoleMappings> { resource() }
    /// `/identity-provider-accounts` (current generation).
    public var identityProviderAccounts: Resource<AuthResources.IdentityProviderAccounts> { resource() }
    /// `/sessions` (current generation).
    public var sessions: Resource<AuthResources.Sessions> { resource() }
    /// `/session-tokens` (authup ≥ 1.0.0-beta.63).
    public var sessionTokens: Resource<AuthResources.SessionTokens> { resource() }
    /// `/events`: authup's audit log (authup ≥ 1.0.0-beta.53).
    public var events: Resource<AuthResources.Events> { resource() }
    /// `/keys`: a realm's signing and encryption keys (authup ≥ 1.0.0-beta.53).
    public var keys: Resource<AuthResources.Keys> { resource() }
    /// `/trust-anchors`: a realm's trusted CA certificates (authup ≥ 1.0.0-beta.53).
    public var trustAnchors: Resource<AuthResources.TrustAnchors> { resource() }
    /// `/consents`: the scopes subjects granted to clients (authup ≥ 1.0.0-beta.53).
    public var consents: Resource<AuthResources.Consents> { resource() }
}
