import FlameHub
import HTTPTypes

extension AuthTable {
    static let permissionPolicies = "auth/permission-policies"
    static let identityProviderRoleMappings = "auth/identity-provider-role-mappings"
    static let identityProviderAccounts = "auth/identity-provider-accounts"
    static let sessionTokens = "auth/session-tokens"
}

/// authup's link entities (permission policies, identity-provider role mappings and accounts,
/// session tokens) and the routes beside the resources: bulk deletion of sessions and session
/// tokens and the permission check. Rules from `apps/server-core/src/core/entities/*/service.ts`
/// and core-kit `domains/*/validator.ts` at v1.0.0-beta.63 (beta.56 for transitional, and
/// `packages/server-core/src/http/controllers/entities/identity-provide-role` at beta.26).
enum AuthLinkDeclarations {
    static func all(_ generation: HubGeneration) -> [ResourceDefinition] {
        var resources = [identityProviderRoleMappings(generation)]
        switch generation {
        case .legacy: break
        case .transitional: resources.append(permissionPolicies(generation))
        case .current: resources += [permissionPolicies(generation), identityProviderAccounts(), sessionTokens()]
        }
        return resources
    }

    static func routes(_ generation: HubGeneration) -> [Route] {
        var routes = [
            Route([.post], "/permissions/:id/check", access: .authenticated) { context in try checkPermission(context) }
        ]
        switch generation {
        case .legacy: break
        case .transitional:
            routes.append(Route([.delete], "/sessions", access: .authenticated) { try deleteSessions($0) })
        case .current:
            routes += [
                Route([.delete], "/sessions", access: .authenticated) { try deleteSessions($0) },
                Route([.delete], "/session-tokens", access: .authenticated) { try deleteSessionTokens($0) },
            ]
        }
        return routes
    }

    /// Any one of `names` admits (authup's `preEvaluateOneOf`).
    static func oneOf(_ names: [String]) -> Access {
        .custom { identity in
            guard let identity else { throw EmulatorError(.unauthorized) }
            guard names.contains(where: identity.has) else {
                throw EmulatorError(.permissionDenied(permission: names[0]))
            }
        }
    }

    /// `/permission-policies` (beta.31+): attaches policy `policyId` to permission `permissionId`;
    /// reads need `permission_read` or `permission_update`, writes `permission_update`
    /// (`core/entities/permission-policy/service.ts`; validator: both ids required UUIDs).
    static func permissionPolicies(_ generation: HubGeneration) -> ResourceDefinition {
        // A junction like role-permissions, with the permission's own access rules.
        var resource = AuthDeclarations.junction(
            generation, table: AuthTable.permissionPolicies,
            left: AuthDeclarations.Side(name: "permission", table: AuthTable.permissions),
            right: AuthDeclarations.Side(name: "policy", table: AuthTable.policies))
        resource.access = AccessRules(
            list: oneOf(["permission_read", "permission_update"]),
            read: oneOf(["permission_read", "permission_update"]),
            create: .permission("permission_update"), delete: .permission("permission_update"))
        return resource
    }

    /// `/identity-provider-role-mappings`: gives users of provider `providerId` role `roleId`
    /// when their claim `name` matches `value`. Validator (core-kit
    /// `domains/identity-provider-role-mapping/validator.ts`, beta.63): `name` ≤ 64, `value` ≤ 128
    /// characters, `synchronizationMode` once/always/inherit (beta.26 has no mode and no limits).
    static func identityProviderRoleMappings(_ generation: HubGeneration) -> ResourceDefinition {
        let legacy = generation == .legacy
        var fields: [Field] = [
            .id(),
            .uuid("providerId").createOnly(required: true).notNull().filterable()
                .references(AuthTable.identityProviders, as: "provider", onDelete: .cascade),
            .uuid("providerRealmId").filterable().copied(from: "providerId", field: "realmId"),
            .uuid("roleId").createOnly(required: true).notNull().filterable()
                .references(AuthTable.roles, as: "role", onDelete: .cascade),
            .uuid("roleRealmId").filterable().copied(from: "roleId", field: "realmId"),
            legacy ? .string("name").writable() : .string("name").writable().length(0...64),
            legacy ? .string("value").writable() : .string("value").writable().length(0...128),
            .bool("valueIsRegex").writable().defaults(false),
        ]
        if !legacy {
            fields.append(Field.enumeration("synchronizationMode", ["once", "always", "inherit"]).writable())
        }
        let read = [
            "identity_provider_read", "identity_provider_update", "identity_provider_delete",
        ]
        return ResourceDefinition(
            entity: "identity-provider-role-mapping", table: AuthTable.identityProviderRoleMappings,
            fields: fields + Field.timestamps(),
            relations: [
                Relation(
                    name: "provider", localField: "providerId", target: AuthTable.identityProviders,
                    includableOnRead: false),
                Relation(name: "role", localField: "roleId", target: AuthTable.roles, includableOnRead: false),
            ],
            uniqueKeys: [["providerId", "roleId"]],
            operations: [.list, .read, .create, .update, .delete],
            access: AccessRules(
                // beta.63 admits `identity_provider_role_read` too; beta.26 has no such permission.
                list: oneOf(legacy ? read : ["identity_provider_role_read"] + read),
                read: oneOf(legacy ? read : ["identity_provider_role_read"] + read),
                create: .permission("identity_provider_role_create"),
                update: .permission("identity_provider_role_update"),
                delete: .permission("identity_provider_role_delete")),
            readHonoursQuery: false,
            conflictMessage: legacy ? nil : "The identity-provider-role-mapping already exists.")
    }

    /// `/identity-provider-accounts` (beta.60+): a user's link to its account at a provider,
    /// made by the provider log-in flow, which the emulator does not run — a fresh installation
    /// has none. Read with `identity_provider_account_read`, removed with `…_delete`.
    static func identityProviderAccounts() -> ResourceDefinition {
        ResourceDefinition(
            entity: "identity-provider-account", table: AuthTable.identityProviderAccounts,
            fields: [
                .id(),
                .string("providerUserId").filterable(),
                .string("providerUserName").filterable(),
                .string("providerUserEmail"),
                .uuid("userId").filterable().references(AuthTable.users, as: "user", onDelete: .cascade),
                .uuid("userRealmId").filterable().copied(from: "userId", field: "realmId"),
                .uuid("providerId").filterable().references(
                    AuthTable.identityProviders, as: "provider", onDelete: .cascade),
                .uuid("providerRealmId").filterable().copied(from: "providerId", field: "realmId"),
            ] + Field.timestamps(),
            operations: [.list, .read, .delete],
            access: AccessRules(
                list: .permission("identity_provider_account_read"),
                read: .permission("identity_provider_account_read"),
                delete: .permission("identity_provider_account_delete")))
    }

    /// `/session-tokens` (beta.60+): one row per access and refresh token of a session, written
    /// by the token endpoint (``recordTokens(session:access:refresh:parent:clientId:…)``);
    /// deleting one revokes that token (`core/entities/session-token/service.ts`).
    static func sessionTokens() -> ResourceDefinition {
        ResourceDefinition(
            entity: "session-token", table: AuthTable.sessionTokens,
            fields: [
                .id(),
                .uuid("sessionId").filterable().references(AuthTable.sessions, as: "session", onDelete: .cascade),
                .uuid("clientId").filterable(),
                Field.enumeration("kind", ["access", "refresh"]).filterable(),
                .uuid("parentId"),
                .uuid("refreshTokenId"),
                .string("ipAddress"),
                .string("userAgent"),
                .string("consumedAt"),
                .string("revokedAt"),
                .string("expiresAt"),
                .string("createdAt").defaults(.now),
            ],
            operations: [.list, .read, .delete],
            access: AccessRules(
                list: .permission("session_read"), read: .permission("session_read"),
                delete: .permission("session_delete")),
            hooks: ResourceHooks(afterDelete: { record, store, _ in
                if let id = record["id"]?.stringValue { store.tokens.revokeToken(jti: id) }
            }))
    }

    /// Records the tokens just issued for session `session` (current generation only); the
    /// refresh token that was exchanged is marked consumed.
    static func recordTokens(
        session: String, access: String, refresh: String?, parent: String?, clientId: String?, userAgent: String?,
        accessExpiresAt: Double, refreshExpiresAt: Double, generation: HubGeneration, store: inout Store
    ) {
        switch generation {
        case .legacy, .transitional: return
        case .current: break
        }
        let resource = sessionTokens()
        let now = Support.timestamp()
        if let parent, var consumed = store.find(AuthTable.sessionTokens, id: parent) {
            consumed["consumedAt"] = .string(now)
            store.save(AuthTable.sessionTokens, consumed)
        }
        let common: EmulatorJSONObject = [
            "sessionId": .string(session), "clientId": clientId.map { .string($0) } ?? .null,
            "ipAddress": "127.0.0.1", "userAgent": userAgent.map { .string($0) } ?? .null,
        ]
        var accessRow = common
        accessRow["id"] = .string(access)
        accessRow["kind"] = "access"
        accessRow["refreshTokenId"] = refresh.map { .string($0) } ?? .null
        accessRow["expiresAt"] = .string(Support.timestamp(accessExpiresAt))
        store.insert(resource, accessRow)
        if let refresh {
            var refreshRow = common
            refreshRow["id"] = .string(refresh)
            refreshRow["kind"] = "refresh"
            refreshRow["parentId"] = parent.map { .string($0) } ?? .null
            refreshRow["expiresAt"] = .string(Support.timestamp(refreshExpiresAt))
            store.insert(resource, refreshRow)
        }
    }

    /// The `filter[key]=value` equalities of the query on `keys` (the only ones authup reads as
    /// a bulk target); nil when there is a filter on another key or with an operator.
    static func targetEqualities(_ context: HandlerContext, keys: Set<String>) -> [String: String]? {
        var found: [String: String] = [:]
        for (key, values) in RapiqQuery(context.query).filters {
            let name = KeyCasing.camelCase.convert(key)
            guard keys.contains(name), values.count == 1, let value = values.first, !value.isEmpty,
                let first = value.first, !"!~<>".contains(first), !value.contains(","), value != "null"
            else { return nil }
            found[name] = value
        }
        return found
    }

    /// `DELETE /sessions` (beta.52+, 202 `{count}`): a target filter (`id`, `sub`, `subKind`,
    /// `userId`, `clientId`, `realmId`) ends the matching sessions and needs `session_delete`
    /// (the caller's own always go); none ends the caller's other sessions, keeping the one of
    /// its token (`core/entities/session/service.ts` `deleteMany`).
    static func deleteSessions(_ context: HandlerContext) throws -> EmulatorResponse {
        guard let identity = context.identity else { throw EmulatorError(.unauthorized) }
        let targets =
            targetEqualities(
                context, keys: ["id", "sub", "subKind", "userId", "clientId", "realmId"]) ?? [:]
        let admin = !targets.isEmpty
        if admin, !identity.has("session_delete") {
            throw EmulatorError(.permissionDenied(permission: "session_delete"))
        }
        let current = context.state.withStore { store in store.tokens.family(ofAccess: identity.tokenId) }
        let count = context.state.withStore { store -> Int in
            let doomed = store.rows(AuthTable.sessions) { session in
                let own =
                    session["sub"]?.stringValue == identity.id
                    && session["subKind"]?.stringValue == identity.kind.rawValue
                if admin {
                    return targets.allSatisfy { session[$0.key]?.stringValue == $0.value }
                        && (own || identity.isMaster || session["realmId"]?.stringValue == identity.realmId)
                }
                return own && session["id"]?.stringValue != current
            }
            for session in doomed {
                guard let id = session["id"]?.stringValue else { continue }
                _ = store.delete(AuthTable.sessions, id: id)
                _ = store.deleteAll(AuthTable.sessionTokens) { $0["sessionId"]?.stringValue == id }
                store.tokens.revokeFamily(id)
            }
            return doomed.count
        }
        return .json(["count": .int(count)], status: 202)
    }

    /// `DELETE /session-tokens` (beta.60+, 202 `{count}`): needs an equality on `id`,
    /// `sessionId` or `clientId` (else 400); without `session_delete` only the caller's own
    /// sessions' tokens go (`core/entities/session-token/service.ts` `deleteMany`).
    static func deleteSessionTokens(_ context: HandlerContext) throws -> EmulatorResponse {
        guard let identity = context.identity else { throw EmulatorError(.unauthorized) }
        guard let targets = targetEqualities(context, keys: ["id", "sessionId", "clientId"]), !targets.isEmpty
        else {
            throw EmulatorError.badRequest("A bulk revoke must be scoped by id, sessionId or clientId.")
        }
        let all = identity.has("session_delete")
        let count = context.state.withStore { store -> Int in
            let doomed = store.rows(AuthTable.sessionTokens) { token in
                guard targets.allSatisfy({ token[$0.key]?.stringValue == $0.value }) else { return false }
                if all { return true }
                let session = token["sessionId"]?.stringValue.flatMap { store.find(AuthTable.sessions, id: $0) }
                return session?["sub"]?.stringValue == identity.id
                    && session?["subKind"]?.stringValue == identity.kind.rawValue
            }
            for token in doomed {
                guard let id = token["id"]?.stringValue else { continue }
                _ = store.delete(AuthTable.sessionTokens, id: id)
                store.tokens.revokeToken(jti: id)
            }
            return doomed.count
        }
        return .json(["count": .int(count)], status: 202)
    }

    /// `POST /permissions/:id/check` (every release, 202): the permission by id or name (404
    /// when unknown), checked for the caller. The emulator evaluates no policies: the answer is
    /// whether the caller holds the permission, `{status: "success"}` or `{status: "error",
    /// data: {code, message}}` as `controllers/entities/permission/module.ts` (beta.63) and
    /// `permission/handlers/check.ts` (beta.26) send it.
    static func checkPermission(_ context: HandlerContext) throws -> EmulatorResponse {
        guard let identity = context.identity else { throw EmulatorError(.unauthorized) }
        let id = context.parameters["id"] ?? ""
        let permission = context.state.withStore { store in
            Support.isUUID(id)
                ? store.find(AuthTable.permissions, id: id)
                : store.rows(AuthTable.permissions) { $0["name"]?.stringValue == id }.first
        }
        guard let permission, let name = permission["name"]?.stringValue else {
            throw EmulatorError.notFound("permission")
        }
        if identity.has(name) { return .json(["status": "success"], status: 202) }
        // The serialized refusal, in the words of the emulator's 403 (Errors.swift).
        return .json(
            [
                "status": "error",
                "data": [
                    "code": "permission_denied", "message": .string("The permission \(name) has not been granted."),
                ],
            ], status: 202)
    }
}
