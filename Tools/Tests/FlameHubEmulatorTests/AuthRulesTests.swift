import FlameHub
import FlameHubEmulator
import Testing

/// authup rules beyond plain CRUD: grant checks, row visibility, realm provisioning, cookies.
@Suite struct AuthRulesTests {
    /// Creates `alice` (no roles) and returns her token.
    func alice(_ hub: RawHubClient, generation: HubGeneration, admin: String) async throws -> (
        id: String, token: String
    ) {
        var body: EmulatorJSONObject = ["name": "alice", "password": "alice-secret-1"]
        if generation != .legacy { body["email"] = "alice@example.com" }
        let created = try await hub.post("/auth/users", .object(body), token: admin)
        let id = try #require(created.record(generation)["id"]?.stringValue)
        let token = try #require(
            try await hub.login(username: "alice", password: "alice-secret-1")["access_token"]?.stringValue)
        return (id, token)
    }

    @Test(arguments: HubGeneration.allCases)
    func grantingNeedsTheGrantedPermission(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let admin = try await hub.adminToken()
            let key = { (name: String) in
                generation == .legacy ? name.replacingOccurrences(of: "Id", with: "_id") : name
            }
            let (aliceID, _) = try await alice(hub, generation: generation, admin: admin)
            let permissionID = { (name: String) async throws -> EmulatorJSON in
                try await hub.get("/auth/permissions/\(name)", token: admin).record(generation)["id"] ?? .null
            }
            let grant = try await hub.post(
                "/auth/user-permissions",
                .object([
                    key("userId"): .string(aliceID),
                    key("permissionId"): try await permissionID("role_permission_create"),
                ]),
                token: admin)
            #expect(grant.status == 201)
            let token = try #require(
                try await hub.login(username: "alice", password: "alice-secret-1")["access_token"]?.stringValue)
            let role =
                try await hub.post("/auth/roles", ["name": "viewer"], token: admin).record(generation)["id"] ?? .null

            let denied = try await hub.post(
                "/auth/role-permissions",
                .object([key("roleId"): role, key("permissionId"): try await permissionID("node_create")]), token: token
            )
            #expect(denied.status == 403)
            #expect(denied.object["message"] == "The permission node_create has not been granted.")
            let allowed = try await hub.post(
                "/auth/role-permissions",
                .object([key("roleId"): role, key("permissionId"): try await permissionID("role_permission_create")]),
                token: token)
            #expect(allowed.status == 201)
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func usersWithoutReadPermissionOnlySeeThemselves(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let admin = try await hub.adminToken()
            let (_, token) = try await alice(hub, generation: generation, admin: admin)
            let list = try await hub.get("/auth/users", token: token)
            #expect(list.names == ["alice"])
            #expect(list.json?["meta"]?["total"] == 1)
            #expect(try await hub.get("/auth/users/admin", token: token).status == 404)
            #expect(try await hub.get("/auth/users", token: admin).names.count == 2)
        }
    }

    @Test func currentRealmsGetConsoleClients() async throws {
        try await withHub(.current) { hub in
            let admin = try await hub.adminToken()
            let realm = try await hub.post("/auth/realms", ["name": "Research"], token: admin)
            #expect(realm.status == 201)
            #expect(realm.record(.current)["name"] == "research")
            let realmID = try #require(realm.record(.current)["id"]?.stringValue)
            let clients = try await hub.get("/auth/clients?filter[realmId]=\(realmID)&sort=createdAt", token: admin)
            #expect(Set(clients.names) == ["admin-console", "account-console"])
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func accessTokenCookie(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let admin = try await hub.adminToken()
            let response = try await hub.send(
                .get, "/auth/users/@me", headers: ["Cookie": "theme=dark; access_token=\(admin)"])
            // Legacy authup reads the cookie; the new API middleware ignores cookies.
            #expect(response.status == (generation == .legacy ? 200 : 401))
            let core = try await hub.send(.get, "/core/", headers: ["Cookie": "access_token=garbage"])
            #expect(core.status == 401)
        }
    }

    @Test func currentPasswordGrantAuthenticatesAClientSentAlong() async throws {
        try await withHub(.current) { hub in
            let withClient = try await hub.send(
                .post, "/auth/token",
                form: "grant_type=password&username=admin&password=start123&client_id=system&client_secret=start123")
            #expect(withClient.status == 200)
            let token = try #require(withClient.object["access_token"]?.stringValue)
            let introspection = try await hub.get("/auth/token/introspect?token=\(token)")
            #expect(introspection.object["client_id"]?.stringValue != nil)
            let badClient = try await hub.send(
                .post, "/auth/token",
                form: "grant_type=password&username=admin&password=start123&client_id=system&client_secret=nope")
            #expect(badClient.status == 401)
        }
    }

    @Test func legacyRobotSecretEchoAndUUIDOnlyDeletes() async throws {
        try await withHub(.legacy) { hub in
            let admin = try await hub.adminToken()
            let robot = try await hub.post("/auth/robots", ["name": "builder", "secret": "first-secret"], token: admin)
            #expect(robot.object["secret"] == "first-secret")
            let id = try #require(robot.object["id"]?.stringValue)
            let rotated = try await hub.post("/auth/robots/\(id)", ["secret": "second-secret"], token: admin)
            #expect(rotated.status == 202)
            #expect(rotated.object["secret"] == "second-secret")
            let login = try await hub.post("/auth/token", ["id": "builder", "secret": "second-secret"])
            #expect(login.status == 200)
            #expect(try await hub.post("/auth/token", ["id": "builder", "secret": "first-secret"]).status == 400)

            let byName = try await hub.send(.delete, "/auth/robots/builder", token: admin)
            #expect(byName.status == 400)
            #expect(byName.object["code"] == "BAD_REQUEST")
            let system = try await hub.get("/auth/robots/system", token: admin)
            let systemID = try #require(system.object["id"]?.stringValue)
            let protected = try await hub.send(.delete, "/auth/robots/\(systemID)", token: admin)
            #expect(protected.object["message"] == "The system robot can not be deleted.")
            #expect(try await hub.send(.delete, "/auth/robots/\(id)", token: admin).status == 202)
        }
    }

    @Test func currentNameLockedUsersKeepTheirName() async throws {
        try await withHub(.current) { hub in
            let admin = try await hub.adminToken()
            let (id, _) = try await alice(hub, generation: .current, admin: admin)
            let ignored = try await hub.post("/auth/users/\(id)", ["name": "alicia"], token: admin)
            #expect(ignored.status == 202)
            #expect(ignored.record(.current)["name"] == "alice")
            let renamed = try await hub.post(
                "/auth/users/\(id)", ["name": "Alicia", "nameLocked": false], token: admin)
            #expect(renamed.record(.current)["name"] == "alicia")
            #expect(renamed.record(.current)["email"] == "alice@example.com")
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func theOwnUserCannotBeDeleted(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let admin = try await hub.adminToken()
            let me = try await hub.get("/auth/users/@me", token: admin)
            let id = try #require(me.record(generation)["id"]?.stringValue)
            let response = try await hub.send(.delete, "/auth/users/\(id)", token: admin)
            #expect(response.status == 400)
            #expect(response.object["message"] == "The own user can not be deleted.")
        }
    }
}

/// New authup's `/realms/:realmId/<resource>` aliases.
@Suite struct RealmScopedRouteTests {
    @Test func realmScopedCreateListAndLookup() async throws {
        try await withHub(.current) { hub in
            let admin = try await hub.adminToken()
            let realm = try await hub.post("/auth/realms", ["name": "research"], token: admin)
            let realmID = try #require(realm.record(.current)["id"]?.stringValue)
            let created = try await hub.post(
                "/auth/realms/research/permissions", ["name": "data_read"], token: admin)
            #expect(created.status == 201)
            #expect(created.record(.current)["realmId"] == .string(realmID))
            _ = try await hub.post("/auth/permissions", ["name": "data_read"], token: admin)

            let scoped = try await hub.get("/auth/realms/\(realmID)/permissions", token: admin)
            #expect(scoped.names == ["data_read"])
            #expect(scoped.json?["meta"]?["total"] == 1)
            let byName = try await hub.get("/auth/realms/research/permissions/data_read", token: admin)
            #expect(byName.record(.current)["realmId"] == .string(realmID))
            #expect(try await hub.get("/auth/realms/research/permissions/realm_create", token: admin).status == 404)
            #expect(try await hub.get("/auth/realms/nowhere/permissions", token: admin).status == 404)
        }
    }
}
