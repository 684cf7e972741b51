/// The `indexes` authup's list schemas declare (`apps/server-core/src/core/entities/*/schema.ts`
/// at v1.0.0-beta.63, each with `filters.indexed` and `sorts.indexed` set), by schema name. rapiq
/// 2.2's `Schema.describe()` renders them as declared, so `meta.schema` names them too.
enum AuthSchemaIndexes {
    static let declared: [String: [[String]]] = [
        "clientPermission": [
            ["id"], ["clientId", "permissionId"], ["permissionId"], ["clientRealmId"], ["permissionRealmId"],
            ["policyId"], ["createdAt"], ["updatedAt"],
        ],
        "clientRole": [
            ["id"], ["roleId", "clientId"], ["clientId"], ["clientRealmId"], ["roleRealmId"], ["createdAt"],
            ["updatedAt"],
        ],
        "clientScope": [
            ["id"], ["clientId", "scopeId"], ["scopeId"], ["default"], ["clientRealmId"], ["scopeRealmId"],
            ["createdAt"], ["updatedAt"],
        ],
        "client": [
            ["id"], ["name", "realmId"], ["displayName"], ["realmId"], ["active"], ["builtIn"], ["createdAt"],
            ["updatedAt"],
        ],
        "consent": [
            ["id"], ["clientId", "sub", "subKind", "scope"], ["sub"], ["subKind"], ["scope"], ["realmId"], ["userId"],
            ["createdAt"], ["updatedAt"],
        ],
        "event": [
            ["id"], ["name", "scope"], ["scope"], ["refType", "refId"], ["refId"], ["clientId"], ["sessionId"],
            ["actorType"], ["actorId"], ["actorName", "requestIpAddress", "createdAt"], ["requestIpAddress"],
            ["realmId"], ["expiring"], ["realmId", "createdAt"], ["createdAt"],
        ],
        "identityProviderAccount": [
            ["id"], ["providerId", "userId"], ["userId"], ["userRealmId"], ["providerUserId", "providerId"],
            ["providerRealmId"], ["createdAt"], ["updatedAt"],
        ],
        "identityProviderRoleMapping": [
            ["id"], ["providerId", "roleId"], ["roleId"], ["providerRealmId"], ["roleRealmId"], ["createdAt"],
            ["updatedAt"],
        ],
        "identityProvider": [
            ["id"], ["name", "realmId"], ["displayName"], ["protocol"], ["enabled"], ["realmId"], ["createdAt"],
            ["updatedAt"],
        ],
        "key": [
            ["id"], ["name", "realmId"], ["type"], ["use"], ["status"], ["realmId"], ["priority", "realmId", "type"],
            ["createdAt"], ["updatedAt"],
        ],
        "permissionPolicy": [
            ["id"], ["permissionId", "policyId"], ["policyId"], ["permissionRealmId"], ["policyRealmId"], ["createdAt"],
            ["updatedAt"],
        ],
        "permission": [
            ["id"], ["name", "clientId", "realmId"], ["displayName"], ["builtIn"], ["realmId"], ["clientId"],
            ["createdAt"], ["updatedAt"],
        ],
        "policy": [
            ["id"], ["name", "realmId"], ["displayName"], ["type"], ["parentId"], ["realmId"], ["builtIn"],
            ["createdAt"], ["updatedAt"],
        ],
        "realm": [["id"], ["name"], ["builtIn"], ["displayName"], ["createdAt"], ["updatedAt"]],
        "roleAttribute": [["id"], ["name", "roleId"], ["roleId"], ["realmId"], ["createdAt"], ["updatedAt"]],
        "rolePermission": [
            ["id"], ["permissionId", "roleId"], ["roleId"], ["roleRealmId"], ["permissionRealmId"], ["policyId"],
            ["createdAt"], ["updatedAt"],
        ],
        "role": [
            ["id"], ["name", "clientId", "realmId"], ["displayName"], ["builtIn"], ["target"], ["clientId"],
            ["realmId"], ["createdAt"], ["updatedAt"],
        ],
        "scope": [
            ["id"], ["name", "realmId"], ["displayName"], ["builtIn"], ["realmId"], ["createdAt"], ["updatedAt"],
        ],
        "sessionToken": [
            ["id"], ["sessionId"], ["clientId"], ["kind"], ["expiresAt"], ["sessionId", "createdAt"], ["createdAt"],
        ],
        "session": [
            ["id"], ["sub"], ["subKind"], ["userId"], ["clientId"], ["realmId"], ["seenAt"], ["expiresAt"],
            ["userId", "seenAt"], ["realmId", "seenAt"], ["createdAt"], ["updatedAt"],
        ],
        "trustAnchor": [["id"], ["name", "realmId"], ["enabled"], ["realmId"], ["createdAt"], ["updatedAt"]],
        "userAttribute": [["id"], ["name", "userId"], ["userId"], ["realmId"], ["createdAt"], ["updatedAt"]],
        "userAuthenticator": [
            ["id"], ["kind"], ["confirmed"], ["userId"], ["realmId"], ["createdAt"], ["updatedAt"], ["lastUsedAt"],
        ],
        "userPermission": [
            ["id"], ["permissionId", "userId"], ["userId"], ["userRealmId"], ["permissionRealmId"], ["policyId"],
            ["createdAt"], ["updatedAt"],
        ],
        "userRole": [
            ["id"], ["roleId", "userId"], ["userId"], ["roleRealmId"], ["userRealmId"], ["createdAt"], ["updatedAt"],
        ],
        "user": [["id"], ["name", "realmId"], ["displayName"], ["realmId"], ["active"], ["createdAt"], ["updatedAt"]],
    ]

    /// The declared indexes of schema `name` as `meta.schema.indexes` renders them, `nil` when
    /// authup declares none.
    static func rendered(_ name: String) -> EmulatorJSON? {
        declared[name].map { .array($0.map { .array($0.map { .string($0) }) }) }
    }
}
