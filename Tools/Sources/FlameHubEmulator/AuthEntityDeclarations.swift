import FlameHub

extension AuthTable {
    static let scopes = "auth/scopes"
    static let clientScopes = "auth/client-scopes"
    static let roleAttributes = "auth/role-attributes"
    static let userAttributes = "auth/user-attributes"
    static let policies = "auth/policies"
    static let identityProviders = "auth/identity-providers"
    static let sessions = "auth/sessions"
}

/// authup's further entities: scopes, client scopes, role and user attributes, policies and
/// identity providers. Fields from core-kit `domains/*/entity.ts`, rules from the request
/// validators (`controllers/entities/*/utils/valid*.ts`, core-kit `domains/*/validator.ts`) and
/// permissions from `core/entities/*/service.ts`, all at v1.0.0-beta.63 (and beta.26 for legacy).
enum AuthEntityDeclarations {
    static func all(_ generation: HubGeneration) -> [ResourceDefinition] {
        var resources = [
            scopes(generation), clientScopes(generation), attributes(generation, of: "role"),
            attributes(generation, of: "user"), policies(generation), identityProviders(generation),
        ]
        switch generation {
        case .legacy: break
        case .transitional, .current: resources.append(sessions())
        }
        return resources + AuthLinkDeclarations.all(generation) + AuthInfrastructureDeclarations.all(generation)
    }

    /// `/sessions` (beta.53+): one per log-in, named by the tokens' `session_id`; refreshing
    /// keeps it, deleting it revokes every token of it (controllers/entities/session at
    /// v1.0.0-beta.63; `session_read`/`session_delete`).
    static func sessions() -> ResourceDefinition {
        ResourceDefinition(
            entity: "session", table: AuthTable.sessions,
            fields: [
                .id(),
                .string("sub").filterable(),
                .string("subKind").filterable(),
                .string("ipAddress"),
                .string("userAgent"),
                .string("expiresAt"),
                .string("refreshedAt"),
                .string("seenAt"),
                .uuid("clientId").filterable(),
                .uuid("userId").filterable(),
                .uuid("realmId").filterable(),
            ] + Field.timestamps(),
            operations: [.list, .read, .delete],
            access: AccessRules(
                list: .permission("session_read"), read: .permission("session_read"),
                delete: .permission("session_delete")),
            hooks: ResourceHooks(afterDelete: { record, store, _ in
                if let id = record["id"]?.stringValue { store.tokens.revokeFamily(id) }
            }))
    }

    /// Opens (new log-in) or refreshes the session `id` of a token family, where the generation
    /// has sessions.
    static func recordSession(
        _ id: String, opened: Bool, kind: IdentityKind, subject: String, clientId: String?, realmId: String,
        userAgent: String?, expiresAt: Double, generation: HubGeneration, store: inout Store
    ) {
        switch generation {
        case .legacy: return
        case .transitional, .current: break
        }
        let now = Support.timestamp()
        guard opened else {
            if var session = store.find(AuthTable.sessions, id: id) {
                session["refreshedAt"] = .string(now)
                session["expiresAt"] = .string(Support.timestamp(expiresAt))
                session["updatedAt"] = .string(now)
                store.save(AuthTable.sessions, session)
            }
            return
        }
        store.insert(
            sessions(),
            [
                "id": .string(id), "sub": .string(subject), "subKind": .string(kind.rawValue),
                "ipAddress": "127.0.0.1", "userAgent": userAgent.map { .string($0) } ?? .null,
                "expiresAt": .string(Support.timestamp(expiresAt)), "clientId": clientId.map { .string($0) } ?? .null,
                "userId": kind == .user ? .string(subject) : .null, "realmId": .string(realmId),
            ])
    }

    /// `/scopes`: lists and reads are public (`@DGet('', [])`); the name is lower-cased on
    /// current servers (ScopeValidator).
    static func scopes(_ generation: HubGeneration) -> ResourceDefinition {
        ResourceDefinition(
            entity: "scope", table: AuthTable.scopes,
            fields: [
                .id(),
                .bool("builtIn").defaults(false).filterable(),
                AuthDeclarations.name(generation),
                .string("displayName").writable().length(3...256),
                .string("description").writable().length(5...4096),
                .uuid("realmId").createOnly().filterable().references(
                    AuthTable.realms, as: "realm", onDelete: .cascade),
            ] + Field.timestamps(),
            uniqueKeys: [["name", "realmId"]], lookupFields: ["name"],
            // `@DPut('/:id')` in controllers/entities/scope/module.ts at v1.0.0-beta.26 and beta.63.
            operations: [.list, .read, .create, .update, .replace, .delete],
            access: .permissions("scope", read: .public),
            hooks: ResourceHooks(
                prepareCreate: { record, store, context in
                    AuthDeclarations.defaultScopedRealm(&record, store, context)
                },
                beforeDelete: { record, _, _ in
                    if record["builtIn"] == true {
                        throw EmulatorError.badRequest("A built-in scope can not be deleted.")
                    }
                })
        )
    }

    /// `/client-scopes`: a junction without update; legacy rows carry no timestamps
    /// (core-kit `domains/client-scope/entity.ts` at v1.0.0-beta.26).
    static func clientScopes(_ generation: HubGeneration) -> ResourceDefinition {
        var fields: [Field] = [
            .id(),
            .bool("default").writable().defaults(false),
            .uuid("clientId").createOnly(required: true).notNull().filterable()
                .references(AuthTable.clients, as: "client", onDelete: .cascade),
            .uuid("clientRealmId").copied(from: "clientId", field: "realmId"),
            .uuid("scopeId").createOnly(required: true).notNull().filterable()
                .references(AuthTable.scopes, as: "scope", onDelete: .cascade),
            .uuid("scopeRealmId").copied(from: "scopeId", field: "realmId"),
        ]
        // beta.56 has the timestamps too (adapters/database/domains/client-scope/entity.ts).
        switch generation {
        case .legacy: break
        case .transitional, .current: fields += Field.timestamps()
        }
        return ResourceDefinition(
            entity: "client-scope", table: AuthTable.clientScopes, fields: fields,
            uniqueKeys: [["clientId", "scopeId"]],
            operations: [.list, .read, .create, .delete],
            access: AccessRules(
                list: .public, read: .public, create: .permission("client_scope_create"),
                delete: .permission("client_scope_delete")))
    }

    /// `/role-attributes` and `/user-attributes`: name 3–255, value 3–512 characters; writes
    /// need `role_update` / `user_update`. A user attribute without `userId` is the caller's own.
    static func attributes(_ generation: HubGeneration, of owner: String) -> ResourceDefinition {
        let table = owner == "role" ? AuthTable.roleAttributes : AuthTable.userAttributes
        let ownerTable = owner == "role" ? AuthTable.roles : AuthTable.users
        let write = Access.permission("\(owner)_update")
        return ResourceDefinition(
            entity: "\(owner)-attribute", table: table,
            fields: [
                .id(),
                .string("name").required().length(3...255).filterable(),
                .string("value").writable().length(3...512),
                .uuid("\(owner)Id").createOnly(required: owner == "role").filterable()
                    .references(ownerTable, as: owner, onDelete: .cascade),
                .uuid("realmId").filterable().copied(from: "\(owner)Id", field: "realmId"),
            ] + Field.timestamps(),
            uniqueKeys: [["name", "\(owner)Id"]],
            operations: [.list, .read, .create, .update, .delete],
            access: AccessRules(create: write, update: write, delete: write),
            hooks: ResourceHooks(prepareCreate: { record, _, context in
                if owner == "user", context.body["userId"] == nil, let identity = context.identity,
                    identity.kind == .user
                {
                    record["userId"] = .string(identity.id)
                }
            })
        )
    }

    /// authup's built-in policy types (`packages/access/src/policy/built-in/constants.ts`, the
    /// same at beta.26, beta.56 and beta.63).
    static let policyTypes = [
        "composite", "date", "time", "attributeNames", "attributes", "realmMatch", "identity", "permissionBinding",
    ]

    /// `/policies`: reads need one of `permission_read|update|delete`, writes
    /// `permission_create|update|delete` (`core/entities/policy/service.ts` at beta.56 and
    /// beta.63, `policy/handlers/*.ts` at beta.26). The validator (`policy/utils/validation.ts`):
    /// name 3–128 (lower-cased on current servers), displayName 3–256, type required on create
    /// (3–128 characters there; the emulator takes only the built-in types),
    /// `parentId` a policy; the type's own settings (`attributes-validator.ts`) are kept beside
    /// the shared ones, as authup's extra-attribute repository returns them.
    static func policies(_ generation: HubGeneration) -> ResourceDefinition {
        ResourceDefinition(
            entity: "policy", table: AuthTable.policies,
            fields: [
                .id(),
                .bool("builtIn").defaults(false).filterable(),
                Field.enumeration("type", policyTypes).createOnly(required: true).notNull().filterable(),
                AuthDeclarations.name(generation),
                .string("displayName").writable().length(3...256),
                .string("description").writable(),
                .bool("invert").writable().defaults(false),
                .uuid("parentId").writable().filterable().references(
                    AuthTable.policies, as: "parent", onDelete: .cascade),
                .uuid("realmId").createOnly().filterable().references(
                    AuthTable.realms, as: "realm", onDelete: .cascade),
                // The types' own settings (packages/access/src/policy/built-in/*/types.ts).
                Field.enumeration("decisionStrategy", ["unanimous", "affirmative", "consensus"]).writable(),
                .json("names").writable(),
                .json("query").writable(),
                .json("types").writable(),
                .string("start").writable(),
                .string("end").writable(),
                Field.enumeration("interval", ["daily", "weekly", "monthly", "yearly"]).writable(),
                .integer("dayOfWeek").writable(),
                .integer("dayOfMonth").writable(),
                .integer("dayOfYear").writable(),
                .json("attributeName").writable(),
                .bool("attributeNameStrict").writable().defaults(false),
                .bool("attributeNullMatchAll").writable().defaults(false),
            ] + Field.timestamps(),
            uniqueKeys: [["name", "realmId"]], lookupFields: ["name"],
            operations: [.list, .read, .create, .update, .delete],
            access: AccessRules(
                list: AuthLinkDeclarations.oneOf(["permission_read", "permission_update", "permission_delete"]),
                read: AuthLinkDeclarations.oneOf(["permission_read", "permission_update", "permission_delete"]),
                create: .permission("permission_create"), update: .permission("permission_update"),
                delete: .permission("permission_delete")),
            hooks: ResourceHooks(
                prepareCreate: { record, store, context in
                    AuthDeclarations.defaultScopedRealm(&record, store, context)
                    if record["type"] == "attributeNames", record["names"]?.arrayValue == nil {
                        throw EmulatorError.validation([
                            ValidationIssue(field: "names", code: "required", message: "The names must be a list.")
                        ])
                    }
                },
                beforeDelete: { record, _, _ in
                    if record["builtIn"] == true {
                        throw EmulatorError.badRequest("A built-in policy can not be deleted.")
                    }
                }))
    }

    /// `/identity-providers`: the settings every protocol shares; list public, reads and writes
    /// need the `identity_provider_*` permissions.
    static func identityProviders(_ generation: HubGeneration) -> ResourceDefinition {
        ResourceDefinition(
            entity: "identity-provider", table: AuthTable.identityProviders,
            fields: [
                .id(),
                AuthDeclarations.name(generation),
                .string("displayName").writable().length(3...256),
                Field.enumeration("protocol", ["oauth2", "oidc", "ldap"]).writable(),
                .string("preset").writable(),
                .bool("enabled").writable().defaults(true),
                .uuid("realmId").createOnly().filterable().references(
                    AuthTable.realms, as: "realm", onDelete: .cascade),
                // OAuth2 and OpenID Connect (core-kit domains/identity-provider/oauth2/validator.ts).
                .string("clientId").writable().length(3...128),
                .string("clientSecret").writable().length(3...128).hidden(),
                .string("tokenUrl").writable(),
                .string("tokenRevokeUrl").writable(),
                .string("authorizeUrl").writable(),
                .string("userInfoUrl").writable(),
                .string("scope").writable().length(3...2000),
                // LDAP (domains/identity-provider/ldap/validator.ts).
                .string("url").writable(),
                .integer("timeout").writable(),
                .bool("startTls").writable().defaults(false),
                .string("baseDn").writable(),
                .string("user").writable(),
                .string("password").writable().hidden(),
                .string("userBaseDn").writable(),
                .string("userFilter").writable(),
                .string("userNameAttribute").writable(),
                .string("userMailAttribute").writable(),
                .string("userDisplayNameAttribute").writable(),
                .string("groupBaseDn").writable(),
                .string("groupFilter").writable(),
                .string("groupNameAttribute").writable(),
                .string("groupClass").writable(),
                .string("groupMemberAttribute").writable(),
                .string("groupMemberUserAttribute").writable(),
            ] + Field.timestamps(),
            uniqueKeys: [["name", "realmId"]], lookupFields: ["name"],
            operations: [.list, .read, .create, .update, .delete],
            access: .permissions("identity_provider", read: .public),
            hooks: ResourceHooks(prepareCreate: { record, store, context in
                AuthDeclarations.defaultCallerRealm(&record, store, context)
                try checkProtocolSettings(record)
            }))
    }

    /// The settings each protocol requires: OAuth2/OIDC `clientId`, `tokenUrl`, `authorizeUrl`
    /// (absolute URLs) unless a preset fills them in; LDAP `url` and `baseDn`.
    static func checkProtocolSettings(_ record: EmulatorJSONObject) throws {
        let required: [String]
        switch record["protocol"]?.stringValue {
        case "oauth2", "oidc":
            required = record["preset"]?.stringValue == nil ? ["clientId", "tokenUrl", "authorizeUrl"] : ["clientId"]
        case "ldap": required = ["url", "baseDn"]
        default:
            throw EmulatorError.validation([
                ValidationIssue(field: "protocol", code: "required", message: "The protocol is required.")
            ])
        }
        var issues = required.filter { record[$0]?.stringValue?.isEmpty ?? true }.map {
            ValidationIssue(field: $0, code: "required", message: "The \($0) is required.")
        }
        for key in ["tokenUrl", "authorizeUrl", "tokenRevokeUrl", "userInfoUrl", "url"] {
            guard let text = record[key]?.stringValue, !issues.contains(where: { $0.field == key }) else { continue }
            let schemes = key == "url" ? ["ldap://", "ldaps://"] : ["http://", "https://"]
            if !schemes.contains(where: text.hasPrefix) {
                issues.append(ValidationIssue(field: key, code: "invalid_format", message: "Invalid URL"))
            }
        }
        if !issues.isEmpty { throw EmulatorError.validation(issues) }
    }

    /// The built-in scopes every authup seeds (core-kit `domains/scope/constants.ts`, ScopeName).
    static func seed(into store: inout Store, generation: HubGeneration) {
        guard let resource = all(generation).first(where: { $0.table == AuthTable.scopes }) else { return }
        for name in ["global", "openid", "email", "roles", "identity"] {
            _ = store.insert(resource, ["name": .string(name), "builtIn": true, "realmId": .null])
        }
    }
}
