import FlameHub

/// authup (`/auth/`): the resources of ``AuthDeclarations``, the token endpoint of ``TokenEndpoint``
/// and the status/info routes, seeded like a fresh Hub installation.
enum AuthService: ServiceModule {
    static func definition(generation: HubGeneration, configuration: HubEmulator.Configuration) -> ServiceDefinition {
        var routes: [Route] = [
            Route([.get], "/") { context in .json(status(context)) },
            Route([.post], "/token") { context in try TokenEndpoint.token(context) },
            Route([.get, .post], "/token/introspect") { context in try TokenEndpoint.introspect(context) },
            Route([.post], "/token/revoke") { context in try TokenEndpoint.revoke(context) },
            Route([.get], "/.well-known/openid-configuration") { context in .json(discovery(context, realm: nil)) },
            Route([.get], "/realms/:id/.well-known/openid-configuration") { context in
                .json(discovery(context, realm: context.parameters["id"]))
            },
            // The RS256 key that signs every token, as authup publishes it (one key for all realms).
            Route([.get], "/jwks") { _ in .json(["keys": [try TokenSigner.shared().publicJWK]]) },
            Route([.get], "/realms/:id/jwks") { _ in .json(["keys": [try TokenSigner.shared().publicJWK]]) },
            Route([.get], "/jwks/:id") { context in
                let signer = try TokenSigner.shared()
                guard context.parameters["id"] == signer.keyId else {
                    throw EmulatorError(
                        .explicit(status: 404, code: "jwk_not_found", message: "The JWK was not found."))
                }
                return .json(signer.publicJWK)
            },
        ]
        routes += AuthLinkDeclarations.routes(generation)
        routes += AuthPolicyRoutes.routes(generation)
        routes += AuthAuthenticatorService.routes(generation)
        switch generation {
        case .legacy:
            // No auth; only acts with Vault configured, which the emulator has no use for.
            routes.append(
                Route([.get], "/robots/:id/integrity") { context in
                    let id = context.parameters["id"] ?? ""
                    let found = context.state.withStore { store in
                        store.find(AuthTable.robots, id: id) != nil
                            || store.first(AuthTable.robots, where: "name", equals: .string(id)) != nil
                    }
                    guard found else { throw EmulatorError.notFound("robot") }
                    return .empty(status: 202)
                })
        case .transitional:
            // No `/userinfo` before beta.57 (`controllers/workflows/userinfo` first at `v1.0.0-beta.57`);
            // the discovery document points at `users/@me` (`entities/realm/module.ts` at `v1.0.0-beta.56`).
            break
        case .current:
            routes.append(Route([.get], "/userinfo", access: .authenticated) { context in try userinfo(context) })
        }
        return ServiceDefinition(
            name: "auth", errorFormat: .authup(generation), routes: routes, resources: AuthDeclarations.all(generation),
            defaultPageLimit: generation == .legacy ? nil : 50, acceptsTokenCookie: generation == .legacy,
            realmScopedPaths: realmScopedPaths(generation))
    }

    /// The resources served below `/realms/:realmId/` too (`@DController([…, '/realms/:realmId/…'])`
    /// in controllers/entities at v1.0.0-beta.53 and beta.63); legacy has none.
    static func realmScopedPaths(_ generation: HubGeneration) -> Set<String> {
        switch generation {
        case .legacy: []
        // Roles have no realm-scoped controller (`entities/role/module.ts`: `@DController('/roles')`).
        case .transitional, .current:
            [
                "users", "clients", "permissions", "policies", "identity-providers", "sessions", "events", "keys",
                "trust-anchors", "consents",
            ]
        }
    }

    /// `GET /`: legacy `{version, timestamp, tokenMaxAge…, redis, vault}`, current `{version, date, features}`.
    static func status(_ context: HandlerContext) -> EmulatorJSON {
        switch context.generation {
        case .legacy:
            return [
                "version": .string(context.generation.authupVersion), "timestamp": .int(Int(Support.now() * 1000)),
                "tokenMaxAgeAccessToken": .int(TokenEndpoint.accessLifetime(context.core)),
                "tokenMaxAgeRefreshToken": .int(TokenEndpoint.refreshLifetime(context.core)), "redis": false,
                "vault": false,
            ]
        // `{version, date, features}` since beta.54 (`controllers/workflows/status/module.ts` at `v1.0.0-beta.56`).
        case .transitional, .current:
            return [
                "version": .string(context.generation.authupVersion), "date": .string(Support.timestamp()),
                "features": [
                    "registration": false, "passwordRecovery": false, "emailVerification": false,
                    "accountConsole": true,
                ],
            ]
        }
    }

    /// OpenID discovery document; endpoints are derived from the request's `Host`.
    static func discovery(_ context: HandlerContext, realm: String?) -> EmulatorJSON {
        let base = "http://\(context.header("Host") ?? "127.0.0.1")/auth"
        let issuer = context.generation != .legacy ? "\(base)/realms/\(realm ?? "master")" : base
        var grants: [EmulatorJSON] = ["authorization_code", "client_credentials", "password", "refresh_token"]
        if context.generation == .legacy { grants.append("robot_credentials") }
        var document: EmulatorJSONObject = [
            "issuer": .string(issuer),
            "authorization_endpoint": .string("\(base)/authorize"),
            "token_endpoint": .string("\(base)/token"),
            "introspection_endpoint": .string("\(base)/token/introspect"),
            "revocation_endpoint": .string("\(base)/token/revoke"),
            "jwks_uri": .string(realm.map { "\(base)/realms/\($0)/jwks" } ?? "\(base)/jwks"),
            "grant_types_supported": .array(grants),
            "response_types_supported": ["code"],
            "scopes_supported": ["global", "openid", "email", "roles", "identity"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        ]
        document["userinfo_endpoint"] = .string(
            context.generation == .current ? "\(base)/userinfo" : "\(base)/users/@me")
        return .object(document)
    }

    /// `GET /userinfo` (current): the flat own user including `email`.
    static func userinfo(_ context: HandlerContext) throws -> EmulatorResponse {
        guard let identity = context.identity, identity.kind == .user,
            let resource = context.core.registry[AuthTable.users]
        else { throw EmulatorError(.unauthorized) }
        let engine = context.core.engine
        let user = try context.state.withStore { store -> EmulatorJSON in
            guard let record = store.find(AuthTable.users, id: identity.id) else {
                throw EmulatorError.notFound("user")
            }
            return engine.render(
                record, resource: resource, projection: engine.projection(resource, tokens: ["+email"], single: true),
                includes: [],
                store: store)
        }
        return .json(user)
    }

    // MARK: Seed

    /// authup's built-in permission names per generation.
    static func builtInPermissions(_ generation: HubGeneration) -> [String] {
        let crud = { (name: String, verbs: [String]) in verbs.map { "\(name)_\($0)" } }
        let full = ["create", "delete", "update", "read"]
        switch generation {
        case .legacy:
            return crud("client", full) + ["client_self_manage"]
                + crud("client_permission", ["create", "delete", "read"])
                + crud("client_role", full) + crud("client_scope", ["create", "delete"])
                + crud("identity_provider", full)
                + crud("identity_provider_role", ["create", "delete", "update"]) + crud("permission", full)
                + crud("realm", full)
                + crud("robot", full) + ["robot_self_manage"] + crud("robot_permission", ["create", "delete", "read"])
                + crud("robot_role", full) + crud("role", full) + crud("role_permission", ["create", "delete", "read"])
                + crud("scope", full) + crud("user", full) + ["user_self_update"]
                + crud("user_permission", ["create", "delete", "read"]) + crud("user_role", full)
        // Robot permissions went with the robots in beta.54 (`packages/access/CHANGELOG.md` at `v1.0.0-beta.56`).
        case .transitional, .current:
            return crud("client", full) + ["client_self_manage"] + crud("client_permission", full)
                + crud("client_role", full)
                + crud("client_scope", ["create", "delete", "read"]) + crud("consent", ["read", "delete"]) + [
                    "event_read"
                ]
                + crud("identity_provider", full) + crud("identity_provider_account", ["read", "delete"])
                + crud("identity_provider_role", full) + crud("key", full) + crud("permission", full)
                + crud("realm", full)
                + crud("role", full) + crud("role_permission", full) + crud("scope", full)
                + crud("session", ["read", "delete"])
                + crud("user", full) + ["user_self_manage"] + crud("user_authenticator", full)
                + crud("user_permission", full)
                + crud("user_role", full)
        }
    }

    /// The Hub's own permissions, which Hub (legacy: at start-up via the API; current: through
    /// its provisioning) creates in authup.
    static func hubPermissions(_ generation: HubGeneration) -> [String] {
        let shared = [
            "bucket_create", "bucket_update", "bucket_delete", "project_create", "project_delete", "project_update",
            "project_approve",
            "registry_manage", "registry_project_manage", "node_create", "node_delete", "node_update",
            "analysis_approve",
            "analysis_update", "analysis_create", "analysis_execution_start", "analysis_execution_stop",
            "analysis_delete",
            "analysis_result_read", "analysis_self_message_broker_use", "analysis_self_storage_use",
            "master_image_manage",
            "master_image_group_manage", "service_manage",
        ]
        switch generation {
        case .legacy: return shared
        case .transitional, .current:
            return ["event_create", "event_read", "event_delete", "log_create", "log_delete", "log_read"] + shared
        }
    }

    /// realm_admin's permissions limited to its own realm (the rest reach global records too).
    static let realmAdminOwnRealmPermissions: Set<String> = [
        "client_create", "client_update", "client_delete", "consent_delete", "identity_provider_create",
        "identity_provider_update", "identity_provider_delete", "identity_provider_account_delete", "key_create",
        "key_update", "key_delete", "permission_create", "permission_update", "permission_delete", "role_create",
        "role_update", "role_delete", "scope_create", "scope_update", "scope_delete", "session_delete", "user_create",
        "user_update", "user_delete", "user_authenticator_create", "user_authenticator_update",
        "user_authenticator_delete",
    ]

    static func seed(into store: inout Store, generation: HubGeneration, configuration: HubEmulator.Configuration) {
        let resources = Dictionary(uniqueKeysWithValues: AuthDeclarations.all(generation).map { ($0.table, $0) })
        func insert(_ table: String, _ values: EmulatorJSONObject) -> EmulatorJSON {
            guard let resource = resources[table] else { return .null }
            return store.insert(resource, values)["id"] ?? .null
        }
        // Realm-scoped role permissions and `realm_admin` predate beta.56 (its migration
        // `1779300000000-Default.ts` rescopes them).
        let current = generation != .legacy
        let master = insert(AuthTable.realms, ["name": "master", "builtIn": true])

        var permissionIDs: [String: EmulatorJSON] = [:]
        let switches = configuration.switches
        // beta.26's seeder adds PERMISSIONS to its own (database/seeder/module.ts); beta.62 ignores it.
        let extraPermissions: [String]
        switch generation {
        case .legacy: extraPermissions = switches.permissions
        case .transitional, .current: extraPermissions = []
        }
        for name in builtInPermissions(generation) + extraPermissions where permissionIDs[name] == nil {
            permissionIDs[name] = insert(
                AuthTable.permissions, ["name": .string(name), "builtIn": true, "realmId": .null])
        }
        for name in hubPermissions(generation) where permissionIDs[name] == nil {
            permissionIDs[name] = insert(AuthTable.permissions, ["name": .string(name), "realmId": .null])
        }

        let admin = insert(AuthTable.roles, ["name": "admin", "builtIn": true, "realmId": .null])
        for (_, permission) in permissionIDs.sorted(by: { $0.key < $1.key }) {
            var binding: EmulatorJSONObject = ["roleId": admin, "permissionId": permission]
            if current { binding["realmScope"] = "any" }
            _ = insert(AuthTable.rolePermissions, binding)
        }
        if current {
            // beta.62 provisions realm_admin as a global role: every permission but realm CUD, own
            // realm or global ones, entity CUD own realm only
            // (apps/server-core/src/app/modules/provisioning/sources/default/module.ts).
            let realmAdmin = insert(AuthTable.roles, ["name": "realm_admin", "builtIn": true, "realmId": .null])
            for (name, permission) in permissionIDs.sorted(by: { $0.key < $1.key })
            where !["realm_create", "realm_update", "realm_delete"].contains(name) {
                let scope: EmulatorJSON = realmAdminOwnRealmPermissions.contains(name) ? "own" : "ownOrNull"
                _ = insert(
                    AuthTable.rolePermissions, ["roleId": realmAdmin, "permissionId": permission, "realmScope": scope])
            }
        }

        // The admin user: beta.26 names it USER_ADMIN_NAME (database/seeder/module.ts); beta.56
        // and beta.62 always `admin` with buildUserFakeEmail("admin")
        // (apps/server-core/src/app/modules/provisioning/sources/default/module.ts at beta.56).
        // beta.26's seeder writes a real person's address as the email; the emulator deliberately
        // serves the later releases' placeholder instead of shipping personal data.
        let adminUser: (name: String, email: String) =
            switch generation {
            case .legacy: (switches.userAdminName, "admin@example.com")
            case .transitional, .current: ("admin", "admin@example.com")
            }
        let user = insert(
            AuthTable.users,
            [
                "name": .string(adminUser.name), "displayName": .string(adminUser.name),
                "email": .string(adminUser.email),
                "realmId": master, "password": .string(SecretHash.make(configuration.adminPassword)),
                "active": .bool(switches.userAdminEnabled),
            ])
        _ = insert(AuthTable.userRoles, ["userId": user, "roleId": admin])

        if current {
            let system = insert(
                AuthTable.clients,
                [
                    "name": "system", "displayName": "system", "builtIn": true, "active": .bool(switches.systemEnabled),
                    "authMethod": "secret",
                    "secret": .string(configuration.systemSecret), "secretHashed": false, "realmId": master,
                ])
            _ = insert(AuthTable.clientRoles, ["clientId": system, "roleId": admin])
            for name in ["admin-console", "account-console"] {
                _ = insert(AuthTable.clients, AuthDeclarations.consoleClient(name, realm: master))
            }
        } else {
            let robot = insert(
                AuthTable.robots,
                [
                    "name": .string(switches.robotAdminName), "active": .bool(switches.systemEnabled),
                    "realmId": master,
                    "secret": .string(SecretHash.make(configuration.systemSecret)),
                ])
            _ = insert(AuthTable.robotRoles, ["robotId": robot, "roleId": admin])
            // Hub 0.8.13 creates its `registry` robot at start-up, secret unknown to anyone
            // (hub v0.8.13 packages/server-core/src/core/authup/setup.ts).
            _ = insert(
                AuthTable.robots,
                ["name": "registry", "realmId": master, "secret": .string(SecretHash.make(Support.uuid()))])
        }
        AuthEntityDeclarations.seed(into: &store, generation: generation)
        AuthInfrastructureDeclarations.seedSigningKey(into: &store, generation: generation)
    }
}
