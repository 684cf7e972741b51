import FlameHub
import FlameHubEmulator
import Testing

/// rapiq query handling per generation: filter grammar, paging, projection, includes, `+` decoding.
@Suite struct QueryTests {
    /// Creates roles whose names exercise the `~` variants.
    func seedRoles(_ hub: RawHubClient, token: String) async throws {
        for name in ["alpha-one", "beta-one", "alpha-two", "gamma"] {
            let response = try await hub.post("/auth/roles", ["name": .string(name)], token: token)
            #expect(response.status == 201)
        }
    }

    @Test func legacyTildeMeansStartsWith() async throws {
        try await withHub(.legacy) { hub in
            let token = try await hub.adminToken()
            try await seedRoles(hub, token: token)
            #expect(
                try await hub.get("/auth/roles?filter[name]=~alpha", token: token).names == ["alpha-one", "alpha-two"])
            #expect(try await hub.get("/auth/roles?filter[name]=~one", token: token).names == [])
            #expect(try await hub.get("/auth/roles?filter[name]=alpha~", token: token).names == [])
            #expect(
                try await hub.get("/auth/roles?filter[name]=!~alpha&sort=name", token: token).names == [
                    "admin", "beta-one", "gamma",
                ])
            // Equality is exact (case-sensitive) in the legacy emulation.
            #expect(try await hub.get("/auth/roles?filter[name]=GAMMA", token: token).names == [])
        }
    }

    @Test func currentTildeVariants() async throws {
        try await withHub(.current) { hub in
            let token = try await hub.adminToken()
            try await seedRoles(hub, token: token)
            #expect(
                try await hub.get("/auth/roles?filter[name]=~one&sort=name", token: token).names == [
                    "alpha-one", "beta-one",
                ])
            #expect(
                try await hub.get("/auth/roles?filter[name]=alpha~&sort=-name", token: token).names == [
                    "alpha-two", "alpha-one",
                ])
            #expect(
                try await hub.get("/auth/roles?filter[name]=~ph~", token: token).names == ["alpha-one", "alpha-two"])
            #expect(try await hub.get("/auth/roles?filter[name]=GAMMA", token: token).names == ["gamma"])
            #expect(
                try await hub.get("/auth/roles?filter[name]=!~one&sort=name", token: token).names == [
                    "admin", "alpha-two", "gamma", "realm_admin",
                ])
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func listsNullAndComparisons(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let token = try await hub.adminToken()
            try await seedRoles(hub, token: token)
            let realmKey = generation == .legacy ? "realm_id" : "realmId"
            #expect(
                try await hub.get("/auth/roles?filter[name]=gamma,beta-one&sort=name", token: token).names == [
                    "beta-one", "gamma",
                ])
            #expect(
                try await hub.get(
                    "/auth/roles?filter[name]=!gamma,beta-one,alpha-one,alpha-two&sort=name", token: token
                ).names
                    == (generation == .legacy ? ["admin"] : ["admin", "realm_admin"]))
            // The seeded admin role is global (realm null); roles created by the admin get a realm
            // on current and stay global on legacy.
            let nullRealm = try await hub.get("/auth/roles?filter[\(realmKey)]=null&sort=name", token: token).names
            let withRealm = try await hub.get("/auth/roles?filter[\(realmKey)]=!null&sort=name", token: token).names
            if generation == .legacy {
                #expect(nullRealm == ["admin", "alpha-one", "alpha-two", "beta-one", "gamma"])
                #expect(withRealm == [])
            } else {
                // authup beta.62 provisions realm_admin as a global role as well.
                #expect(nullRealm == ["admin", "realm_admin"])
                #expect(withRealm == ["alpha-one", "alpha-two", "beta-one", "gamma"])
            }
            #expect(
                try await hub.get("/auth/roles?filter[name]=%3Cb&sort=name", token: token).names == [
                    "admin", "alpha-one", "alpha-two",
                ])
            #expect(
                try await hub.get("/auth/roles?filter[name]=%3E%3Dgamma&sort=name", token: token).names.first == "gamma"
            )
            // Unknown filter and sort keys are dropped silently.
            let unknown = try await hub.get("/auth/roles?filter[bogus]=1&sort=bogus", token: token)
            #expect(unknown.status == 200)
            #expect(unknown.rows.count == (generation == .legacy ? 5 : 6))
        }
    }

    @Test func booleanCoercion() async throws {
        try await withHub(.current) { hub in
            let token = try await hub.adminToken()
            let builtIn = try await hub.get("/auth/clients?filter[builtIn]=true&sort=createdAt", token: token)
            #expect(Set(builtIn.names) == ["system", "admin-console", "account-console"])
            let custom = try await hub.get("/auth/clients?filter[builtIn]=false", token: token)
            #expect(custom.rows.isEmpty)
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func pagingDefaultsAndClamp(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let token = try await hub.adminToken()
            let total = generation == .legacy ? 88 : 101
            let all = try await hub.get("/auth/permissions", token: token)
            #expect(all.json?["meta"]?["total"] == .int(total))
            if generation == .legacy {
                #expect(all.rows.count == total)
                #expect(all.json?["meta"]?.objectValue?.keys.sorted() == ["total"])
            } else {
                #expect(all.rows.count == 50)
                #expect(all.json?["meta"]?["limit"] == 50)
            }
            let clamped = try await hub.get("/auth/permissions?page[limit]=500&page[offset]=80", token: token)
            #expect(clamped.json?["meta"]?["limit"] == 50)
            #expect(clamped.json?["meta"]?["offset"] == 80)
            #expect(clamped.rows.count == total - 80)
            let offsetOnly = try await hub.get("/auth/permissions?page[offset]=10", token: token)
            #expect(offsetOnly.json?["meta"]?["limit"] == 50)
            let invalid = try await hub.get("/auth/permissions?page[limit]=-3", token: token)
            #expect(invalid.json?["meta"]?["limit"] == 50)
        }
    }

    @Test func plusInQueryMeansSpaceUnlessEncoded() async throws {
        try await withHub(.current) { hub in
            let token = try await hub.adminToken()
            let literal = try await hub.get("/auth/clients/system?fields=+secret", token: token)
            #expect(literal.record(.current)["secret"] == nil)
            let encoded = try await hub.get("/auth/clients/system?fields=%2Bsecret", token: token)
            #expect(encoded.record(.current)["secret"] == "start123")
            #expect(encoded.record(.current)["name"] == "system")
        }
    }

    @Test func legacyRobotSecretIsHashedOnRead() async throws {
        try await withHub(.legacy) { hub in
            let token = try await hub.adminToken()
            let created = try await hub.post("/auth/robots", ["name": "worker"], token: token)
            #expect(created.status == 201)
            let plaintext = try #require(created.object["secret"]?.stringValue)
            #expect(plaintext.count == 64)
            let id = try #require(created.object["id"]?.stringValue)

            let plain = try await hub.get("/auth/robots/\(id)", token: token)
            #expect(plain.object["secret"] == nil)
            let literalPlus = try await hub.get("/auth/robots/\(id)?fields=+secret", token: token)
            #expect(literalPlus.object["secret"] == nil)
            let hashed = try await hub.get("/auth/robots/\(id)?fields=%2Bsecret", token: token)
            let hash = try #require(hashed.object["secret"]?.stringValue)
            #expect(hash.hasPrefix("$2y$10$"))
            #expect(hash != plaintext)

            let login = try await hub.post(
                "/auth/token", ["grant_type": "robot_credentials", "id": .string(id), "secret": .string(plaintext)])
            #expect(login.status == 200)
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func fieldProjection(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let token = try await hub.adminToken()
            let displayName = generation == .legacy ? "display_name" : "displayName"
            let only = try await hub.get("/auth/users?fields=id,name", token: token)
            #expect(only.rows.first.map { Set($0.keys) } == ["id", "name"])
            let minus = try await hub.get("/auth/users?fields=-\(displayName)", token: token)
            #expect(minus.rows.first?[displayName] == nil)
            #expect(minus.rows.first?["name"] == "admin")
            let email = try await hub.get("/auth/users?fields=%2Bemail", token: token)
            // The emulator seeds the placeholder address in every generation (see AuthService's seed).
            #expect(email.rows.first?["email"] == "admin@example.com")
            let password = try await hub.get("/auth/users?fields=%2Bpassword", token: token)
            #expect(password.rows.first?["password"] == nil)
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func includes(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let token = try await hub.adminToken()
            let users = try await hub.get("/auth/users?include=realm", token: token)
            #expect(users.rows.first?["realm"]?["name"] == "master")
            let single = try await hub.get("/auth/users/admin?include=realm", token: token)
            #expect(single.record(generation)["realm"]?["name"] == "master")
            let plain = try await hub.get("/auth/users", token: token)
            #expect(plain.rows.first?["realm"] == nil)
            let narrowed = try await hub.get("/auth/users?include=realm&fields[realm]=id,name", token: token)
            #expect(narrowed.rows.first?["realm"]?.objectValue.map { Set($0.keys) } == ["id", "name"])

            let roleKey = generation == .legacy ? "role_id" : "roleId"
            let junctions = try await hub.get("/auth/user-roles?include=role,user,user_realm,bogus", token: token)
            let row = try #require(junctions.rows.first)
            #expect(row["role"]?["name"] == "admin")
            #expect(row["user"]?["name"] == "admin")
            #expect(row["user_realm"] == nil && row["userRealm"] == nil)
            let id = try #require(row["id"]?.stringValue)
            let junction = try await hub.get("/auth/user-roles/\(id)?include=role", token: token)
            #expect(junction.record(generation)["role"] == nil)
            #expect(junction.record(generation)[roleKey] == row[roleKey])

            // Roles: current lists may include the realm, single GETs ignore the query.
            let roles = try await hub.get("/auth/roles?include=realm&filter[name]=admin", token: token)
            #expect((roles.rows.first?["realm"] != nil) == (generation != .legacy))
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func junctionCreateNestsReferencesAndCopiesRealms(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let token = try await hub.adminToken()
            let legacy = generation == .legacy
            let role = try await hub.post("/auth/roles", ["name": "viewer"], token: token).record(generation)
            let permission = try await hub.get("/auth/permissions/node_create", token: token).record(generation)
            let key = { (name: String) in legacy ? name.replacingOccurrences(of: "Id", with: "_id") : name }
            let body: EmulatorJSON = .object([
                key("roleId"): role["id"] ?? .null, key("permissionId"): permission["id"] ?? .null,
            ])
            let created = try await hub.post("/auth/role-permissions", body, token: token)
            #expect(created.status == 201)
            let record = created.record(generation)
            #expect(record["role"]?["name"] == "viewer")
            #expect(record["permission"]?["name"] == "node_create")
            #expect(record[legacy ? "role_realm_id" : "roleRealmId"] == role[legacy ? "realm_id" : "realmId"])
            let duplicate = try await hub.post("/auth/role-permissions", body, token: token)
            #expect(duplicate.status == 409)
            let dangling: EmulatorJSON = .object([
                key("roleId"): "00000000-0000-4000-8000-000000000000", key("permissionId"): permission["id"] ?? .null,
            ])
            let invalid = try await hub.post("/auth/role-permissions", dangling, token: token)
            #expect(invalid.status == 400)
            #expect(invalid.object["code"] == (legacy ? "BAD_REQUEST" : "entity_relation_invalid"))
            #expect(invalid.object["message"] == .string("Can't find role entity by \(key("roleId"))"))
        }
    }
}
