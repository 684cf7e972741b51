#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// Create and update bodies of the auth service. Create bodies send the fields that are not nil;
// update bodies send only the fields whose ``Patch`` is set (`nil` sends `null`). Keys are
// written in the server's casing by the engine.

/// The body of `POST /realms`.
public struct CreateRealm: Encodable, Sendable, Hashable {
    public var name: String
    public var displayName: String?
    public var description: String?

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

/// The body of `POST /realms/:id`.
public struct UpdateRealm: Encodable, Sendable, Hashable {
    public var name: Patch<String>
    public var displayName: Patch<String?>
    public var description: Patch<String?>

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

/// The body of `POST /users`. Current servers require `email`.
public struct CreateUser: Encodable, Sendable, Hashable {
    public var name: String
    public var email: String?
    public var password: SecretString?
    public var displayName: String?
    public var firstName: String?
    public var lastName: String?
    public var active: Bool?
    public var nameLocked: Bool?
    public var status: String?
    public var statusMessage: String?
    public var realmId: AnyResourceID?

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

/// The body of `POST /users/:id`.
public struct UpdateUser: Encodable, Sendable, Hashable {
    public var name: Patch<String>
    public var email: Patch<String?>
    public var password: Patch<SecretString>
    public var displayName: Patch<String?>
    public var firstName: Patch<String?>
    public var lastName: Patch<String?>
    public var active: Patch<Bool>
    public var nameLocked: Patch<Bool>
    public var status: Patch<String?>
    public var statusMessage: Patch<String?>

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

/// The body of `POST /robots` (legacy generation). The server generates a name and secret when
/// they are omitted; the create response is the only one carrying the plaintext secret.
public struct CreateRobot: Encodable, Sendable, Hashable {
    public var name: String?
    public var displayName: String?
    public var description: String?
    public var secret: SecretString?
    public var active: Bool?
    public var userId: AnyResourceID?
    public var realmId: AnyResourceID?

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

/// The body of `POST /robots/:id` (legacy generation).
public struct UpdateRobot: Encodable, Sendable, Hashable {
    public var name: Patch<String>
    public var displayName: Patch<String?>
    public var description: Patch<String?>
    public var secret: Patch<SecretString>
    public var active: Patch<Bool>
    public var userId: Patch<AnyResourceID?>

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

/// The body of `POST /clients`. On current servers a client only gets a secret (and can use the
/// client-credentials grant) with `authMethod: .secret`.
public struct CreateClient: Encodable, Sendable, Hashable {
    public var name: String
    public var displayName: String?
    public var description: String?
    public var active: Bool?
    public var authMethod: ClientAuthMethod?
    public var tokenBindingMethod: TokenBindingMethod?
    public var secret: SecretString?
    public var secretHashed: Bool?
    public var isConfidential: Bool?
    public var redirectUri: String?
    /// authup ≥ 1.0.0-beta.54; older servers drop it.
    public var postLogoutRedirectUri: String?
    /// Sent as the Python client 1.1.0 sends it; authup up to 1.0.0-beta.63 drops it.
    public var backchannelLogoutUri: String?
    public var baseUrl: String?
    public var rootUrl: String?
    public var grantTypes: String?
    public var scope: String?
    public var realmId: AnyResourceID?

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

/// The body of `POST /clients/:id`.
public struct UpdateClient: Encodable, Sendable, Hashable {
    public var name: Patch<String>
    public var displayName: Patch<String?>
    public var description: Patch<String?>
    public var active: Patch<Bool>
    public var authMethod: Patch<ClientAuthMethod>
    public var tokenBindingMethod: Patch<TokenBindingMethod>
    public var secret: Patch<SecretString?>
    public var secretHashed: Patch<Bool>
    public var isConfidential: Patch<Bool>
    public var redirectUri: Patch<String?>
    /// authup ≥ 1.0.0-beta.54; older servers drop it.
    public var postLogoutRedirectUri: Patch<String?>
    /// Sent as the Python client 1.1.0 sends it; authup up to 1.0.0-beta.63 drops it.
    public var backchannelLogoutUri: Patch<String?>
    public var baseUrl: Patch<String?>
    public var rootUrl: Patch<String?>
    public var grantTypes: Patch<String?>
    public var scope: Patch<String?>

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

/// The body of `POST /permissions`. `realmId: nil` creates a global permission; leaving it unset
/// lets the server pick the caller's realm.
public struct CreatePermission: Encodable, Sendable, Hashable {
    public var name: String
    public var displayName: String?
    public var description: String?
    public var clientId: AnyResourceID?
    public var realmId: Patch<AnyResourceID?>
    /// Legacy generation only.
    public var policyId: AnyResourceID?
    /// Current generation only.
    public var decisionStrategy: DecisionStrategy?

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

/// The body of `POST /permissions/:id`.
public struct UpdatePermission: Encodable, Sendable, Hashable {
    public var name: Patch<String>
    public var displayName: Patch<String?>
    public var description: Patch<String?>
    public var clientId: Patch<AnyResourceID?>
    /// Legacy generation only.
    public var policyId: Patch<AnyResourceID?>
    /// Current generation only.
    public var decisionStrategy: Patch<DecisionStrategy?>

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

/// The body of `POST /roles`. `realmId: nil` creates a global role.
public struct CreateRole: Encodable, Sendable, Hashable {
    public var name: String
    public var displayName: String?
    public var description: String?
    /// Current generation only.
    public var clientId: AnyResourceID?
    public var realmId: Patch<AnyResourceID?>

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

/// The body of `POST /roles/:id`.
public struct UpdateRole: Encodable, Sendable, Hashable {
    public var name: Patch<String>
    public var displayName: Patch<String?>
    public var description: Patch<String?>
    /// Current generation only.
    public var clientId: Patch<AnyResourceID?>

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

/// The body of a junction create (`POST /role-permissions`, `/user-roles`, …): the holder's id,
/// the granted permission's or role's id, and for permissions an optional policy and realm
/// scope. Written through the aliases: `CreateUserRole(admin, role: adminRole)`,
/// `CreateRolePermission(role, permission: permission, realmScope: .own)`.
public struct CreateAssignment<Holder: AssignmentParty, Granted: AssignmentParty>: Encodable, Sendable, Hashable {
    /// The role, user, robot or client that receives the grant.
    public var holderId: AnyResourceID
    /// The permission or role granted.
    public var grantedId: AnyResourceID
    /// The policy of a permission grant.
    public var policyId: AnyResourceID?
    /// The realm scope of a permission grant (current generation only).
    public var realmScope: RealmScope?

    init(
        holder: some ResourceIdentifier, granted: some ResourceIdentifier, policyId: AnyResourceID?,
        realmScope: RealmScope?
    ) {
        holderId = AnyResourceID(holder)
        grantedId = AnyResourceID(granted)
        self.policyId = policyId
        self.realmScope = realmScope
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: WireKey.self)
        try container.encode(holderId, forKey: WireKey(Holder.assignmentKey))
        try container.encode(grantedId, forKey: WireKey(Granted.assignmentKey))
        try container.encodeIfPresent(policyId, forKey: WireKey("policyId"))
        try container.encodeIfPresent(realmScope, forKey: WireKey("realmScope"))
    }
}

extension CreateAssignment where Granted == Permission {
    /// Grants `permission` to `holder` (a UUID, UUID string or model each).
    public init(
        _ holder: some ResourceIdentifier, permission: some ResourceIdentifier, policyId: AnyResourceID? = nil,
        realmScope: RealmScope? = nil
    ) {
        self.init(holder: holder, granted: permission, policyId: policyId, realmScope: realmScope)
    }
}

extension CreateAssignment where Granted == Role {
    /// Assigns `role` to `holder` (a UUID, UUID string or model each).
    public init(_ holder: some ResourceIdentifier, role: some ResourceIdentifier) {
        self.init(holder: holder, granted: role, policyId: nil, realmScope: nil)
    }
}

/// A record that can take part in an assignment, with its id key in junction bodies.
public protocol AssignmentParty {
    /// `roleId`, `userId`, `robotId`, `clientId` or `permissionId`.
    static var assignmentKey: String { get }
}

extension Role: AssignmentParty { public static var assignmentKey: String { "roleId" } }
extension User: AssignmentParty { public static var assignmentKey: String { "userId" } }
extension Robot: AssignmentParty { public static var assignmentKey: String { "robotId" } }
extension Client: AssignmentParty { public static var assignmentKey: String { "clientId" } }
extension Permission: AssignmentParty { public static var assignmentKey: String { "permissionId" } }

/// The body of `POST /role-permissions`.
public typealias CreateRolePermission = CreateAssignment<Role, Permission>
/// The body of `POST /user-permissions`.
public typealias CreateUserPermission = CreateAssignment<User, Permission>
/// The body of `POST /client-permissions`.
public typealias CreateClientPermission = CreateAssignment<Client, Permission>
/// The body of `POST /robot-permissions` (legacy generation).
public typealias CreateRobotPermission = CreateAssignment<Robot, Permission>
/// The body of `POST /user-roles`.
public typealias CreateUserRole = CreateAssignment<User, Role>
/// The body of `POST /client-roles`.
public typealias CreateClientRole = CreateAssignment<Client, Role>
/// The body of `POST /robot-roles` (legacy generation).
public typealias CreateRobotRole = CreateAssignment<Robot, Role>

/// The body of `POST /role-permissions/:id`, `/user-permissions/:id`, `/client-permissions/:id`
/// (current generation only).
public struct UpdatePermissionAssignment: Encodable, Sendable, Hashable {
    public var policyId: Patch<AnyResourceID?>
    public var realmScope: Patch<RealmScope>

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

// MARK: - Decoding

// The bodies decode from their own field names (camelCase), so that tools (the `flamehub` CLI,
// JSON files) build them through the same types the SDK sends; an absent update field stays
// `.unset`, a `null` one is sent as `null` (see `KeyedDecodingContainer.decode(_:forKey:)` for
// ``Patch``). Synthesized conformances must live in the file that declares the type.
extension CreateRealm: Decodable {}
extension UpdateRealm: Decodable {}
extension CreateUser: Decodable {}
extension UpdateUser: Decodable {}
extension CreateRobot: Decodable {}
extension UpdateRobot: Decodable {}
extension CreateClient: Decodable {}
extension UpdateClient: Decodable {}
extension CreatePermission: Decodable {}
extension UpdatePermission: Decodable {}
extension CreateRole: Decodable {}
extension UpdateRole: Decodable {}
extension UpdatePermissionAssignment: Decodable {}

extension CreateAssignment: Decodable {
    /// The mirror of ``encode(to:)``: the holder's and the granted record's id keys
    /// (`userId`, `roleId`, …), and for permission grants the policy and realm scope. A role
    /// grant does not read those two, so a caller checking for unread fields sees them.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: WireKey.self)
        holderId = try container.decode(AnyResourceID.self, forKey: WireKey(Holder.assignmentKey))
        grantedId = try container.decode(AnyResourceID.self, forKey: WireKey(Granted.assignmentKey))
        if Granted.self == Permission.self {
            policyId = try container.decodeIfPresent(AnyResourceID.self, forKey: WireKey("policyId"))
            realmScope = try container.decodeIfPresent(RealmScope.self, forKey: WireKey("realmScope"))
        } else {
            policyId = nil
            realmScope = nil
        }
    }
}
