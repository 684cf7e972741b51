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
    @ResourceMethods("Realm", "Realms", [.list, .get, .create, .update, .delete])
    public var realms: Resource<AuthResources.Realms> { resource() }
    /// `/users`.
    @ResourceMethods("User", "Users", [.list, .get, .create, .update, .delete])
    public var users: Resource<AuthResources.Users> { resource() }
    /// `/robots` (legacy generation).
    @ResourceMethods("Robot", "Robots", [.list, .get, .create, .update, .delete])
    public var robots: Resource<AuthResources.Robots> { resource() }
    /// `/clients`.
    @ResourceMethods("Client", "Clients", [.list, .get, .create, .update, .delete])
    public var clients: Resource<AuthResources.Clients> { resource() }
    /// `/permissions`.
    @ResourceMethods("Permission", "Permissions", [.list, .get, .create, .update, .delete])
    public var permissions: Resource<AuthResources.Permissions> { resource() }
    /// `/roles`.
    @ResourceMethods("Role", "Roles", [.list, .get, .create, .update, .delete])
    public var roles: Resource<AuthResources.Roles> { resource() }
    /// `/role-permissions`.
    @ResourceMethods("RolePermission", "RolePermissions", [.list, .get, .create, .update, .delete])
    public var rolePermissions: Resource<AuthResources.RolePermissions> { resource() }
    /// `/user-permissions`.
    @ResourceMethods("UserPermission", "UserPermissions", [.list, .get, .create, .update, .delete])
    public var userPermissions: Resource<AuthResources.UserPermissions> { resource() }
    /// `/user-roles`.
    @ResourceMethods("UserRole", "UserRoles", [.list, .get, .create, .delete])
    public var userRoles: Resource<AuthResources.UserRoles> { resource() }
    /// `/robot-permissions` (legacy generation).
    @ResourceMethods("RobotPermission", "RobotPermissions", [.list, .get, .create, .delete])
    public var robotPermissions: Resource<AuthResources.RobotPermissions> { resource() }
    /// `/robot-roles` (legacy generation).
    @ResourceMethods("RobotRole", "RobotRoles", [.list, .get, .create, .delete])
    public var robotRoles: Resource<AuthResources.RobotRoles> { resource() }
    /// `/client-permissions`.
    @ResourceMethods("ClientPermission", "ClientPermissions", [.list, .get, .create, .update, .delete])
    public var clientPermissions: Resource<AuthResources.ClientPermissions> { resource() }
    /// `/client-roles`.
    @ResourceMethods("ClientRole", "ClientRoles", [.list, .get, .create, .delete])
    public var clientRoles: Resource<AuthResources.ClientRoles> { resource() }
}
