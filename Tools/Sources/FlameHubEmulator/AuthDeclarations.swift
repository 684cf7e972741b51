import FlameHub

/// Table names of the auth service.
enum AuthTable {
    static let realms = "auth/realms"
    static let users = "auth/users"
    static let robots = "auth/robots"
    static let clients = "auth/clients"
    static let permissions = "auth/permissions"
    static let roles = "auth/roles"
    static let rolePermissions = "auth/role-permissions"
    static let userPermissions = "auth/user-permissions"
    static let userRoles = "auth/user-roles"
    static let robotPermissions = "auth/robot-permissions"
    static let robotRoles = "auth/robot-roles"
    static let clientPermissions = "auth/client-permissions"
    static let clientRoles = "auth/client-roles"
}

/// Declarations of authup's resources (hub-auth-api.md section 6), per generation.
enum AuthDeclarations {
    static func all(_ generation: HubGeneration) -> [ResourceDefinition] {
        var resources = [
            realms(generation), users(generation), clients(generation), permissions(generation), roles(generation),
        ]
        if generation == .legacy { resources.append(robots()) }
        resources += junctions(generation)
        resources += AuthEntityDeclarations.all(generation)
        return resources
    }

    /// Name rule shared by realms, users, clients, roles and permissions.
    static func name(_ generation: HubGeneration, length: ClosedRange<Int> = 3...128) -> Field {
        .string("name").required().length(length).pattern(generation != .legacy ? .lowerName : .name)
            .lowercased(generation != .legacy).filterable().sortable()
    }

    /// The built-in realm and the caller's realm fallback.
    static func masterRealm(_ store: Store) -> EmulatorJSONObject? {
        store.first(AuthTable.realms, where: "name", equals: "master")
    }

    /// `realmId` default of users, robots and clients: the caller's realm.
    static func defaultCallerRealm(_ record: inout EmulatorJSONObject, _ store: Store, _ context: HookContext) {
        guard context.body["realmId"] == nil else { return }
        record["realmId"] = context.identity.map { .string($0.realmId) } ?? masterRealm(store)?["id"] ?? .null
    }

    /// `realmId` default of permissions and roles: legacy gives master-realm callers a global
    /// (`null`) entry; current always uses the caller's realm (send `null` for global).
    static func defaultScopedRealm(_ record: inout EmulatorJSONObject, _ store: Store, _ context: HookContext) {
        guard context.body["realmId"] == nil else { return }
        if context.generation == .legacy, context.identity?.isMaster ?? true {
            record["realmId"] = .null
        } else {
            defaultCallerRealm(&record, store, context)
        }
    }

    static let realmRelation = Relation(
        name: "realm", localField: "realmId", target: AuthTable.realms, filterFields: ["name"])

    // MARK: Realms

    static func realms(_ generation: HubGeneration) -> ResourceDefinition {
        ResourceDefinition(
            entity: "realm", table: AuthTable.realms,
            fields: [
                .id(),
                name(generation),
                .string("displayName").writable().length(3...256).filterable(),
                .string("description").writable().length(5...4096),
                .bool("builtIn").defaults(false).filterable(),
            ] + Field.timestamps(),
            uniqueKeys: [["name"]], lookupFields: ["name"],
            operations: [.list, .read, .create, .update, .replace, .delete],
            access: .permissions("realm", read: .public),
            readHonoursQuery: false,
            replaceCreatesUnknownIDs: generation == .legacy,
            deleteRequiresUUID: generation == .legacy,
            hooks: ResourceHooks(
                prepareUpdate: { record, existing, _, _ in
                    if existing["builtIn"] == true, record["name"] != existing["name"] {
                        throw EmulatorError.badRequest("The name of the master realm can not be changed.")
                    }
                },
                afterCreate: { record, store, context in
                    // beta.62 provisions the public console clients in every new realm.
                    guard context.generation == .current, let realmID = record["id"] else { return }
                    for name in ["admin-console", "account-console"] {
                        store.insert(currentClients(), consoleClient(name, realm: realmID))
                    }
                },
                beforeDelete: { record, _, _ in
                    if record["builtIn"] == true {
                        throw EmulatorError.badRequest("A built-in realm can not be deleted.")
                    }
                })
        )
    }

    /// A built-in public console client (`authMethod: none`) of a realm.
    static func consoleClient(_ name: String, realm: EmulatorJSON) -> EmulatorJSONObject {
        [
            "name": .string(name), "displayName": .string(name), "builtIn": true, "authMethod": "none",
            "grantTypes": "authorization_code refresh_token", "realmId": realm,
        ]
    }

    // MARK: Users

    static func users(_ generation: HubGeneration) -> ResourceDefinition {
        let legacy = generation == .legacy
        var email = Field.string("email").writable().pattern(.email).lowercased(!legacy).optionalField()
        if !legacy { email = email.required() }
        let statusVisibility: (Field) -> Field = { legacy ? $0.hidden() : $0 }
        return ResourceDefinition(
            entity: "user", table: AuthTable.users,
            fields: [
                .id(),
                name(generation),
                .bool("nameLocked").writable().defaults(true),
                .string("firstName").writable().length(3...128),
                .string("lastName").writable().length(3...128),
                .string("displayName").writable().length(3...256).sortable().filterable(!legacy).defaults(
                    .copy("name")),
                .string("avatar"),
                .string("cover"),
                email,
                .string("password").writable().length(legacy ? 5...512 : 10...512).hidden(),
                statusVisibility(.string("status").writable().length(legacy ? 5...256 : 3...256)),
                statusVisibility(.string("statusMessage").writable().length(legacy ? 5...256 : 3...256)),
                .bool("active").writable().defaults(true).filterable(!legacy),
                .uuid("realmId").createOnly().filterable().references(
                    AuthTable.realms, as: "realm", onDelete: .cascade),
            ] + Field.timestamps(),
            relations: [realmRelation],
            uniqueKeys: [["name", "realmId"]], lookupFields: ["name"],
            operations: [.list, .read, .create, .update, .replace, .delete],
            access: .permissions("user"),
            replaceCreatesUnknownIDs: legacy,
            selfAliases: ["@me": .user, "@self": .user],
            selfExtraFields: legacy ? ["email"] : [],
            deleteRequiresUUID: legacy,
            hooks: ResourceHooks(
                prepareCreate: { record, store, context in
                    defaultCallerRealm(&record, store, context)
                    try checkReservedUserName(record["name"]?.stringValue)
                    hashPassword(&record)
                },
                prepareUpdate: { record, existing, _, context in
                    // New authup silently keeps the name of a name-locked user.
                    if context.generation != .legacy, existing["nameLocked"] != false,
                        context.body["nameLocked"] != false
                    {
                        record["name"] = existing["name"]
                    }
                    if record["name"] != existing["name"] { try checkReservedUserName(record["name"]?.stringValue) }
                    if context.body["password"] != nil { hashPassword(&record) }
                },
                beforeDelete: { record, _, context in
                    if context.identity?.kind == .user, record["id"]?.stringValue == context.identity?.id {
                        throw EmulatorError.badRequest("The own user can not be deleted.")
                    }
                },
                presentWrite: { extra, record, context in
                    // Write responses echo the password: legacy the plaintext sent, current the hash.
                    if context.generation == .legacy {
                        extra["password"] = record["$password"] ?? record["password"] ?? .null
                    } else {
                        extra["password"] = record["password"] ?? .null
                    }
                },
                readable: { record, identity in
                    // Without `user_read` a caller only sees itself (rows are dropped and `total`
                    // shrinks accordingly, as authup does).
                    guard let identity else { return false }
                    return identity.has("user_read")
                        || (identity.kind == .user && record["id"]?.stringValue == identity.id)
                })
        )
    }

    static func checkReservedUserName(_ name: String?) throws {
        guard let name else { return }
        for prefix in ["bot", "system", "everyone", "here"] where name.lowercased().hasPrefix(prefix) {
            throw EmulatorError.validation([
                ValidationIssue(field: "name", code: "custom", message: "The name \(name) is reserved.")
            ])
        }
    }

    /// Replaces a plaintext `password` by its hash, keeping the plaintext as transient `$password`.
    static func hashPassword(_ record: inout EmulatorJSONObject) {
        guard let plain = record["password"]?.stringValue, !SecretHash.looksHashed(plain) else { return }
        record["$password"] = .string(plain)
        record["password"] = .string(SecretHash.make(plain))
    }

    // MARK: Robots (legacy)

    static func robots() -> ResourceDefinition {
        ResourceDefinition(
            entity: "robot", table: AuthTable.robots,
            fields: [
                .id(),
                .string("name").writable().length(3...128).pattern(.name).filterable()
                    .defaults(.generated { .string(Support.randomAlphanumeric(36)) }),
                .string("displayName").writable().length(3...256),
                .string("description").writable().length(3...4096),
                .string("secret").writable().length(3...256).optionalField()
                    .defaults(.generated { .string(Support.randomAlphanumeric(64)) }),
                .bool("active").writable().defaults(true),
                .uuid("userId").writable().filterable().sortable().references(
                    AuthTable.users, as: "user", onDelete: .cascade),
                .uuid("realmId").createOnly().filterable().sortable()
                    .references(AuthTable.realms, as: "realm", onDelete: .cascade),
            ] + Field.timestamps(),
            relations: [realmRelation, Relation(name: "user", localField: "userId", target: AuthTable.users)],
            uniqueKeys: [["name", "realmId"]], lookupFields: ["name"],
            operations: [.list, .read, .create, .update, .replace, .delete],
            access: .permissions("robot"),
            selfAliases: ["@me": .robot, "@self": .robot],
            deleteRequiresUUID: true,
            hooks: ResourceHooks(
                prepareCreate: { record, store, context in
                    defaultCallerRealm(&record, store, context)
                    hashSecret(&record)
                },
                prepareUpdate: { record, existing, store, context in
                    if isSystemRobot(existing, store), record["name"] != existing["name"] {
                        throw EmulatorError.badRequest("The system robot can not be renamed.")
                    }
                    if context.body["secret"] != nil { hashSecret(&record) }
                },
                beforeDelete: { record, store, _ in
                    if isSystemRobot(record, store) {
                        throw EmulatorError.badRequest("The system robot can not be deleted.")
                    }
                },
                presentWrite: { extra, record, _ in
                    // The plaintext is returned once: on create and on an update that set it.
                    extra["secret"] = record["$secret"] ?? record["secret"] ?? .null
                })
        )
    }

    static func isSystemRobot(_ record: EmulatorJSONObject, _ store: Store) -> Bool {
        record["name"] == "system" && record["realmId"] == masterRealm(store)?["id"]
    }

    /// Stores the stand-in bcrypt hash of the robot secret; the plaintext stays transient.
    static func hashSecret(_ record: inout EmulatorJSONObject) {
        guard let plain = record["secret"]?.stringValue else { return }
        record["$secret"] = .string(plain)
        record["secret"] = .string(SecretHash.make(plain))
    }

    // MARK: Clients

    static func clients(_ generation: HubGeneration) -> ResourceDefinition {
        generation == .legacy ? legacyClients() : currentClients()
    }

    static let reservedClientNames: Set<String> = ["system", "admin-console", "account-console"]

    static func currentClients() -> ResourceDefinition {
        ResourceDefinition(
            entity: "client", table: AuthTable.clients,
            fields: [
                .id(),
                .bool("active").writable().defaults(true).filterable(),
                .bool("builtIn").defaults(false).filterable(),
                name(.current).sortable(false),
                .string("displayName").writable().length(3...256).filterable().defaults(.copy("name")),
                .string("description").writable().length(3...4096),
                .string("secret").writable().length(3...256).optionalField(),
                .bool("secretHashed").writable().defaults(false),
                .bool("secretEncrypted").writable().defaults(false),
                .string("baseUrl").writable(),
                .string("rootUrl").writable(),
                .string("redirectUri").writable(),
                .string("postLogoutRedirectUri").writable(),
                .string("grantTypes").writable().length(3...512),
                .string("scope").writable().length(3...512),
                Field.enumeration("authMethod", ["none", "secret", "tls"]).notNull().writable().defaults("none"),
                Field.enumeration("tokenBindingMethod", ["none", "tls"]).notNull().writable().defaults("none"),
                .uuid("accessPolicyId").writable(),
                .uuid("realmId").createOnly().filterable().references(
                    AuthTable.realms, as: "realm", onDelete: .cascade),
            ] + Field.timestamps(),
            relations: [realmRelation],
            uniqueKeys: [["name", "realmId"]], lookupFields: ["name"],
            operations: [.list, .read, .create, .update, .replace, .delete],
            access: AccessRules(
                list: .permission("client_read"), read: .custom(clientReadAccess), create: .permission("client_create"),
                update: .permission("client_update"), delete: .permission("client_delete")),
            replaceCreatesUnknownIDs: false,
            selfAliases: ["@me": .client, "@self": .client],
            hooks: ResourceHooks(
                prepareCreate: { record, store, context in
                    defaultCallerRealm(&record, store, context)
                    if let name = record["name"]?.stringValue, reservedClientNames.contains(name) {
                        throw EmulatorError.badRequest("The client name '\(name)' is reserved.")
                    }
                    normalizeClientSecret(&record, generateWhenMissing: true)
                },
                prepareUpdate: { record, existing, _, context in
                    if existing["builtIn"] == true, record["name"] != existing["name"] {
                        throw EmulatorError.badRequest(
                            "The client name '\(existing["name"]?.stringValue ?? "")' is reserved.")
                    }
                    let secretChanged = context.body["secret"] != nil && record["secret"] != existing["secret"]
                    if secretChanged || record["secretHashed"] != existing["secretHashed"]
                        || record["authMethod"] != existing["authMethod"]
                    {
                        normalizeClientSecret(&record, generateWhenMissing: true, rehash: secretChanged)
                    }
                },
                beforeDelete: { record, _, _ in
                    if record["builtIn"] == true {
                        throw EmulatorError.badRequest("A built-in client can not be deleted.")
                    }
                })
        )
    }

    /// A client may read itself; anything else needs `client_read`.
    @Sendable static func clientReadAccess(_ identity: Identity?) throws {
        guard let identity else { throw EmulatorError(.unauthorized) }
        if identity.kind == .client || identity.has("client_read") { return }
        throw EmulatorError(.permissionDenied(permission: "client_read"))
    }

    /// authup's client secret rules: only `authMethod: secret` keeps a secret (generated when
    /// missing); `secretHashed` stores the hash unless the value already is one.
    static func normalizeClientSecret(
        _ record: inout EmulatorJSONObject, generateWhenMissing: Bool, rehash: Bool = true
    ) {
        guard record["authMethod"] == "secret" else {
            record["secret"] = .null
            record["secretHashed"] = false
            record["secretEncrypted"] = false
            return
        }
        if record["secret"]?.stringValue == nil, generateWhenMissing {
            record["secret"] = .string(Support.randomAlphanumeric(64))
        }
        if record["secretHashed"] == true, rehash, let plain = record["secret"]?.stringValue,
            !SecretHash.looksHashed(plain)
        {
            record["secret"] = .string(SecretHash.make(plain))
        }
    }

    /// Old-generation clients (present in beta.26, unused by Hub 0.8.13): plaintext secret,
    /// never generated; filters `name`, `realm_id`, `realm.name`.
    static func legacyClients() -> ResourceDefinition {
        ResourceDefinition(
            entity: "client", table: AuthTable.clients,
            fields: [
                .id(),
                .bool("builtIn").defaults(false),
                .string("name").required().length(3...256).pattern(.name).filterable(),
                .string("displayName").writable().length(3...256),
                .string("description").writable().length(5...4096),
                .string("secret").writable().length(3...256).optionalField(),
                .string("redirectUri").writable(),
                .string("grantTypes").writable(),
                .string("scope").writable(),
                .string("baseUrl").writable(),
                .string("rootUrl").writable(),
                .bool("isConfidential").writable().defaults(false),
                .uuid("realmId").createOnly().filterable().references(
                    AuthTable.realms, as: "realm", onDelete: .cascade),
                .uuid("userId").writable().references(AuthTable.users, as: "user", onDelete: .cascade),
            ] + Field.timestamps(),
            relations: [realmRelation],
            uniqueKeys: [["name", "realmId"]], lookupFields: ["name"],
            operations: [.list, .read, .create, .update, .replace, .delete],
            access: .permissions("client"),
            hooks: ResourceHooks(prepareCreate: { record, store, context in defaultCallerRealm(&record, store, context)
            })
        )
    }

    // MARK: Permissions

    static func permissions(_ generation: HubGeneration) -> ResourceDefinition {
        let legacy = generation == .legacy
        var fields: [Field] = [
            .id(),
            name(generation),
            .string("displayName").writable().length(3...256).filterable(),
            .string("description").writable().length(5...4096),
            .bool("builtIn").defaults(false).filterable(),
        ]
        if legacy {
            fields += [.string("target"), .uuid("policyId").writable()]
        } else {
            fields.append(Field.enumeration("decisionStrategy", ["unanimous", "affirmative", "consensus"]).writable())
        }
        fields += [
            .uuid("clientId").writable().filterable(!legacy).references(
                AuthTable.clients, as: "client", onDelete: .cascade),
            .uuid("realmId").createOnly().filterable(!legacy).references(
                AuthTable.realms, as: "realm", onDelete: .cascade),
        ]
        return ResourceDefinition(
            entity: "permission", table: AuthTable.permissions,
            fields: fields + Field.timestamps(),
            uniqueKeys: [["name", "clientId", "realmId"]], lookupFields: ["name"],
            operations: [.list, .read, .create, .update, .replace, .delete],
            access: .permissions("permission"),
            readHonoursQuery: false,
            replaceCreatesUnknownIDs: legacy,
            deleteRequiresUUID: legacy,
            hooks: ResourceHooks(
                prepareCreate: { record, store, context in defaultScopedRealm(&record, store, context) },
                prepareUpdate: { record, existing, _, _ in
                    if existing["builtIn"] == true, record["name"] != existing["name"] {
                        throw EmulatorError.badRequest("A built-in permission can not be renamed.")
                    }
                },
                afterWrite: { record, store, context in
                    // A new permission is bound to the built-in admin role at once.
                    guard let permissionID = record["id"]?.stringValue,
                        let admin = store.first(AuthTable.roles, where: "name", equals: "admin"),
                        let adminID = admin["id"],
                        store.rows(
                            AuthTable.rolePermissions,
                            where: { $0["roleId"] == adminID && $0["permissionId"] == .string(permissionID) }
                        )
                        .isEmpty
                    else { return }
                    var binding: EmulatorJSONObject = ["roleId": adminID, "permissionId": .string(permissionID)]
                    if context.generation != .legacy { binding["realmScope"] = "any" }
                    store.insert(
                        junctionDefinitions(context.generation)[AuthTable.rolePermissions] ?? rolePermissionsFallback,
                        binding)
                },
                beforeDelete: { record, _, _ in
                    if record["builtIn"] == true {
                        throw EmulatorError.badRequest("A built-in permission can not be deleted.")
                    }
                })
        )
    }

    // MARK: Roles

    static func roles(_ generation: HubGeneration) -> ResourceDefinition {
        let legacy = generation == .legacy
        return ResourceDefinition(
            entity: "role", table: AuthTable.roles,
            fields: [
                .id(),
                name(generation),
                .string("displayName").writable().length(3...256).filterable(!legacy),
                .string("description").writable().length(5...4096),
                .string("target").filterable(),
                .bool("builtIn").defaults(false).filterable(!legacy),
                legacy
                    ? .uuid("clientId")
                    : .uuid("clientId").writable().filterable().references(
                        AuthTable.clients, as: "client", onDelete: .cascade),
                .uuid("realmId").createOnly().filterable().references(
                    AuthTable.realms, as: "realm", onDelete: .cascade),
            ] + Field.timestamps(),
            relations: legacy
                ? []
                : [Relation(name: "realm", localField: "realmId", target: AuthTable.realms, includableOnRead: false)],
            uniqueKeys: [["name", "clientId", "realmId"]], lookupFields: ["name"],
            operations: [.list, .read, .create, .update, .replace, .delete],
            access: .permissions("role"),
            readHonoursQuery: false,
            readProjection: legacy
                ? ["id", "name", "displayName", "target", "description", "realmId", "createdAt", "updatedAt"] : nil,
            replaceCreatesUnknownIDs: legacy,
            deleteRequiresUUID: legacy,
            hooks: ResourceHooks(
                prepareCreate: { record, store, context in defaultScopedRealm(&record, store, context) },
                beforeDelete: { record, _, _ in
                    if record["name"] == "admin" {
                        throw EmulatorError.badRequest("The default admin role can not be deleted.")
                    }
                })
        )
    }

    // MARK: Junctions

    /// One side of a junction: `role` → `roleId`, `roleRealmId`, relation `role`.
    struct Side {
        var name: String
        var table: String
    }

    static let rolePermissionsFallback = junction(
        .current, table: AuthTable.rolePermissions, left: Side(name: "role", table: AuthTable.roles),
        right: Side(name: "permission", table: AuthTable.permissions))

    static func junctionDefinitions(_ generation: HubGeneration) -> [String: ResourceDefinition] {
        Dictionary(uniqueKeysWithValues: junctions(generation).map { ($0.table, $0) })
    }

    static func junctions(_ generation: HubGeneration) -> [ResourceDefinition] {
        let role = Side(name: "role", table: AuthTable.roles)
        let permission = Side(name: "permission", table: AuthTable.permissions)
        let user = Side(name: "user", table: AuthTable.users)
        let robot = Side(name: "robot", table: AuthTable.robots)
        let client = Side(name: "client", table: AuthTable.clients)
        var list = [
            junction(generation, table: AuthTable.rolePermissions, left: role, right: permission),
            junction(generation, table: AuthTable.userPermissions, left: user, right: permission),
            junction(generation, table: AuthTable.userRoles, left: user, right: role),
        ]
        if generation == .legacy {
            list += [
                junction(generation, table: AuthTable.robotPermissions, left: robot, right: permission),
                junction(generation, table: AuthTable.robotRoles, left: robot, right: role),
            ]
        } else {
            list += [
                junction(generation, table: AuthTable.clientPermissions, left: client, right: permission),
                junction(generation, table: AuthTable.clientRoles, left: client, right: role),
            ]
        }
        return list
    }

    /// A junction resource (`role-permissions`, `user-roles`, …): two foreign keys with their
    /// copied realm ids, unique pair, nested objects in the create response, includes on lists
    /// only, no update (except the new permission junctions' `policyId`/`realmScope`).
    static func junction(_ generation: HubGeneration, table: String, left: Side, right: Side) -> ResourceDefinition {
        let legacy = generation == .legacy
        let isPermission = right.name == "permission"
        var fields: [Field] = [
            .id().filterable(!legacy),
            .uuid("\(left.name)Id").createOnly(required: true).notNull().filterable()
                .references(left.table, as: left.name, onDelete: .cascade),
            .uuid("\(left.name)RealmId").filterable(!legacy).copied(from: "\(left.name)Id", field: "realmId"),
            .uuid("\(right.name)Id").createOnly(required: true).notNull().filterable()
                .references(right.table, as: right.name, onDelete: .cascade),
            .uuid("\(right.name)RealmId").filterable(!legacy).copied(from: "\(right.name)Id", field: "realmId"),
        ]
        if isPermission {
            fields.append(.uuid("policyId").writable().filterable(!legacy))
            if !legacy {
                fields.append(
                    Field.enumeration("realmScope", ["none", "own", "ownOrNull", "any"]).notNull().writable().defaults(
                        "own"))
            }
        }
        let entity = "\(left.name)-\(right.name)"
        let permissionPrefix = "\(left.name)_\(right.name)"
        var operations: Set<Operation> = [.list, .read, .create, .delete]
        if isPermission, !legacy { operations.insert(.update) }
        return ResourceDefinition(
            entity: entity, table: table,
            fields: fields + Field.timestamps(),
            relations: [
                Relation(name: left.name, localField: "\(left.name)Id", target: left.table, includableOnRead: false),
                Relation(name: right.name, localField: "\(right.name)Id", target: right.table, includableOnRead: false),
            ],
            uniqueKeys: [["\(left.name)Id", "\(right.name)Id"]],
            operations: operations,
            access: .permissions(permissionPrefix),
            readHonoursQuery: false,
            deleteRequiresUUID: legacy,
            conflictMessage: legacy ? nil : "The \(entity) already exists.",
            hooks: ResourceHooks(prepareCreate: { record, store, context in
                try checkGrantable(
                    record["\(right.name)Id"], side: right.name, store: store, identity: context.identity)
            })
        )
    }

    /// Granting needs what is granted: the permission itself, or every permission of the role.
    static func checkGrantable(_ id: EmulatorJSON?, side: String, store: Store, identity: Identity?) throws {
        guard let identity, let id = id?.stringValue else { return }
        var required: [String] = []
        if side == "permission" {
            required = store.find(AuthTable.permissions, id: id)?["name"]?.stringValue.map { [$0] } ?? []
        } else if side == "role" {
            let permissionIDs = store.rows(AuthTable.rolePermissions) { $0["roleId"]?.stringValue == id }
                .compactMap { $0["permissionId"]?.stringValue }
            required = permissionIDs.compactMap { store.find(AuthTable.permissions, id: $0)?["name"]?.stringValue }
                .sorted()
        }
        if let missing = required.first(where: { !identity.has($0) }) {
            throw EmulatorError(.permissionDenied(permission: missing))
        }
    }
}
