/// Kind of authenticated subject.
public enum IdentityKind: String, Sendable, Codable {
    case user, robot, client
}

/// The caller behind a verified bearer token, shared by all three services.
public struct Identity: Sendable {
    public var kind: IdentityKind
    public var id: String
    public var realmId: String
    public var realmName: String
    /// Client the token was issued to (client grants).
    public var clientId: String?
    /// Effective permission names (roles and direct grants).
    public var permissions: Set<String>
    /// `jti` of the access token.
    public var tokenId: String

    /// `true` when the identity holds `permission`.
    public func has(_ permission: String) -> Bool { permissions.contains(permission) }

    /// Master-realm identities may write everything (Hub rule).
    public var isMaster: Bool { realmName == "master" }
}

/// Resolves the effective permissions of a subject from the auth tables
/// (`<kind>-roles` → `role-permissions` plus direct `<kind>-permissions`).
enum PermissionResolver {
    static func permissionRows(kind: IdentityKind, id: String, store: Store) -> [EmulatorJSONObject] {
        let subjectKey = "\(kind.rawValue)Id"
        let roleIds = Set(
            store.rows("auth/\(kind.rawValue)-roles") { $0[subjectKey]?.stringValue == id }.compactMap {
                $0["roleId"]?.stringValue
            })
        var permissionIds = Set(
            store.rows("auth/role-permissions") { roleIds.contains($0["roleId"]?.stringValue ?? "") }
                .compactMap { $0["permissionId"]?.stringValue })
        for row in store.rows("auth/\(kind.rawValue)-permissions", where: { $0[subjectKey]?.stringValue == id }) {
            if let permissionId = row["permissionId"]?.stringValue { permissionIds.insert(permissionId) }
        }
        return permissionIds.compactMap { store.find("auth/permissions", id: $0) }
    }

    /// ``permissions(kind:id:store:)`` memoised until the next row change (every authenticated
    /// request needs them; recomputing dominated small requests).
    static func cachedPermissions(kind: IdentityKind, id: String, store: inout Store) -> Set<String> {
        let key = "\(kind.rawValue)/\(id)"
        if let cached = store.permissionCache[key], cached.revision == store.revision { return cached.permissions }
        let permissions = permissions(kind: kind, id: id, store: store)
        if store.permissionCache.count > 1000 { store.permissionCache.removeAll() }
        store.permissionCache[key] = (store.revision, permissions)
        return permissions
    }

    static func permissions(kind: IdentityKind, id: String, store: Store) -> Set<String> {
        Set(permissionRows(kind: kind, id: id, store: store).compactMap { $0["name"]?.stringValue })
    }
}
