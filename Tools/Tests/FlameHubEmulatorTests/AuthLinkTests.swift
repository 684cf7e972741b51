import FlameHub
import FlameHubEmulator
import Testing

/// The emulator's permission policies, typed policies and providers, identity-provider role
/// mappings and accounts, session tokens, bulk session deletion and the permission check.
@Suite struct AuthLinkTests {
    /// `name` in the generation's casing (legacy bodies are snake_case).
    func key(_ name: String, _ generation: HubGeneration) -> String {
        generation == .legacy ? KeyCasing.snakeCase.convert(name) : name
    }

    func id(_ response: RawResponse, _ generation: HubGeneration) throws -> String {
        try #require(response.record(generation)["id"]?.stringValue, "\(response.status) \(response.text)")
    }

    @Test(arguments: HubGeneration.allCases)
    func permissionPoliciesLinkPermissionsToPolicies(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let admin = try await hub.adminToken()
            let policy = try await hub.post(
                "/auth/policies", ["name": "bound", "type": "permissionBinding"], token: admin)
            #expect(policy.status == 201, "\(policy.text)")
            let policyID = try id(policy, generation)
            let permissionID = try id(try await hub.get("/auth/permissions/node_create", token: admin), generation)
            let body: EmulatorJSON = .object([
                key("permissionId", generation): .string(permissionID), key("policyId", generation): .string(policyID),
            ])
            let created = try await hub.post("/auth/permission-policies", body, token: admin)
            switch generation {
            case .legacy:
                // beta.26 has no permission policies (controllers/entities/permission-policy from beta.31).
                #expect(created.status == 404)
            case .transitional, .current:
                #expect(created.status == 201, "\(created.text)")
                #expect(created.record(generation)["policyRealmId"] != nil)
                #expect(try await hub.post("/auth/permission-policies", body, token: admin).status == 409)
                let listed = try await hub.get(
                    "/auth/permission-policies?filter[policyId]=\(policyID)", token: admin)
                #expect(listed.rows.count == 1)
                let linkID = try id(created, generation)
                #expect(try await hub.send(.delete, "/auth/permission-policies/\(linkID)", token: admin).status < 300)
                #expect(try await hub.get("/auth/permission-policies/\(linkID)", token: admin).status == 404)
                // Without `permission_read`/`permission_update` nobody reads them.
                #expect(try await hub.get("/auth/permission-policies").status == 401)
            }
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func policiesAreTypedAndNeedPermissions(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let admin = try await hub.adminToken()
            let time = try await hub.post(
                "/auth/policies", ["name": "Office-Hours", "type": "time", "start": "08:00", "interval": "daily"],
                token: admin)
            #expect(time.status == 201, "\(time.text)")
            let record = time.record(generation)
            #expect(record["interval"] == "daily" && record["start"] == "08:00")
            #expect(record["name"] == (generation == .legacy ? "Office-Hours" : "office-hours"))
            let unknown = try await hub.post("/auth/policies", ["name": "odd", "type": "weather"], token: admin)
            #expect(unknown.status == 400)
            let names = try await hub.post("/auth/policies", ["name": "names", "type": "attributeNames"], token: admin)
            #expect(names.status == 400)
            #expect(try await hub.get("/auth/policies").status == 401)
            let policyID = try id(time, generation)
            let updated = try await hub.post("/auth/policies/\(policyID)", ["end": "18:00"], token: admin)
            #expect(updated.record(generation)["end"] == "18:00")
            #expect(try await hub.send(.delete, "/auth/policies/\(policyID)", token: admin).status < 300)
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func identityProvidersNeedTheirProtocolSettings(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let admin = try await hub.adminToken()
            let incomplete = try await hub.post(
                "/auth/identity-providers",
                .object(["name": "corp", "protocol": "oauth2", key("clientId", generation): "hub-client"]), token: admin
            )
            #expect(incomplete.status == 400)
            let badURL = try await hub.post(
                "/auth/identity-providers",
                .object(["name": "dir", "protocol": "ldap", "url": "http://x", key("baseDn", generation): "dc=x"]),
                token: admin)
            #expect(badURL.status == 400)
            let provider = try await hub.post(
                "/auth/identity-providers",
                .object([
                    "name": "corp", "protocol": "oidc", key("clientId", generation): "hub-client",
                    key("clientSecret", generation): "provider-secret",
                    key("tokenUrl", generation): "https://idp.test/token",
                    key("authorizeUrl", generation): "https://idp.test/authorize",
                ]), token: admin)
            #expect(provider.status == 201, "\(provider.text)")
            #expect(!provider.text.contains("provider-secret"))
            let providerID = try id(provider, generation)
            let fetched = try await hub.get("/auth/identity-providers/\(providerID)", token: admin)
            #expect(fetched.record(generation)[key("tokenUrl", generation)] == "https://idp.test/token")
            #expect(!fetched.text.contains("provider-secret"))

            // Role mappings (every generation).
            let roleID = try id(try await hub.post("/auth/roles", ["name": "external"], token: admin), generation)
            let mapping = try await hub.post(
                "/auth/identity-provider-role-mappings",
                .object([
                    key("providerId", generation): .string(providerID), key("roleId", generation): .string(roleID),
                    "name": "groups", "value": "hub-admins",
                ]), token: admin)
            #expect(mapping.status == 201, "\(mapping.text)")
            let mappingID = try id(mapping, generation)
            let renamed = try await hub.post(
                "/auth/identity-provider-role-mappings/\(mappingID)", ["value": "hub-owners"], token: admin)
            #expect(renamed.record(generation)["value"] == "hub-owners")
            let tooLong = try await hub.post(
                "/auth/identity-provider-role-mappings/\(mappingID)",
                .object(["name": .string(String(repeating: "g", count: 65))]), token: admin)
            // beta.26 sets no length limits (and answers updates with 202).
            #expect(generation == .legacy ? tooLong.status < 300 : tooLong.status == 400)
            #expect(try await hub.get("/auth/identity-provider-role-mappings").status == 401)
            // Deleting the provider takes its mappings along.
            #expect(try await hub.send(.delete, "/auth/identity-providers/\(providerID)", token: admin).status < 300)
            #expect(try await hub.get("/auth/identity-provider-role-mappings/\(mappingID)", token: admin).status == 404)

            // Accounts: current only, none on a fresh installation.
            let accounts = try await hub.get("/auth/identity-provider-accounts", token: admin)
            #expect(accounts.status == (generation == .current ? 200 : 404))
            if generation == .current { #expect(accounts.rows.isEmpty) }
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func permissionCheck(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let admin = try await hub.adminToken()
            let granted = try await hub.post("/auth/permissions/node_create/check", [:], token: admin)
            #expect(granted.status == 202 && granted.object["status"] == "success")
            var body: EmulatorJSONObject = ["name": "bob", "password": "bob-secret-12"]
            if generation != .legacy { body["email"] = "bob@example.com" }
            #expect(try await hub.post("/auth/users", .object(body), token: admin).status == 201)
            let bob = try #require(
                try await hub.login(username: "bob", password: "bob-secret-12")["access_token"]?.stringValue)
            let refused = try await hub.post("/auth/permissions/node_create/check", [:], token: bob)
            #expect(refused.status == 202 && refused.object["status"] == "error")
            #expect(refused.object["data"]?["code"] == "permission_denied")
            #expect(try await hub.post("/auth/permissions/no_such_thing/check", [:], token: admin).status == 404)
            #expect(try await hub.post("/auth/permissions/node_create/check", [:]).status == 401)
        }
    }

    @Test(arguments: [HubGeneration.transitional, .current])
    func bulkSessionDeletionKeepsTheCurrentSession(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let first = try #require(try await hub.login()["access_token"]?.stringValue)
            let second = try #require(try await hub.login()["access_token"]?.stringValue)
            let ended = try await hub.send(.delete, "/auth/sessions", token: first)
            #expect(ended.status == 202 && ended.object["count"] == .int(1), "\(ended.text)")
            #expect(try await hub.get("/auth/users/@me", token: first).status == 200)
            #expect(try await hub.get("/auth/users/@me", token: second).status != 200)
            let me = try #require(try await hub.get("/auth/users/@me", token: first).record(generation)["id"])
            let forced = try await hub.send(
                .delete, "/auth/sessions?filter[userId]=\(me.stringValue ?? "")", token: first)
            #expect(forced.object["count"] == .int(1))
            #expect(try await hub.get("/auth/users/@me", token: first).status != 200)
            #expect(try await hub.send(.delete, "/auth/sessions").status == 401)
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func sessionTokensRecordAndRevoke(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let login = try await hub.login()
            let access = try #require(login["access_token"]?.stringValue)
            let listed = try await hub.get("/auth/session-tokens", token: access)
            guard generation == .current else {
                #expect(listed.status == 404)
                return
            }
            #expect(Set(listed.rows.compactMap { $0["kind"]?.stringValue }) == ["access", "refresh"])
            let refresh = try #require(login["refresh_token"]?.stringValue)
            let renewed = try await hub.post(
                "/auth/token", ["grant_type": "refresh_token", "refresh_token": .string(refresh)])
            let fresh = try #require(renewed.object["access_token"]?.stringValue)
            let rows = try await hub.get("/auth/session-tokens", token: fresh).rows
            #expect(rows.count == 4)
            let consumed = rows.filter { $0["kind"] == "refresh" && $0["consumedAt"]?.stringValue != nil }
            #expect(consumed.count == 1)
            let child = rows.first { $0["kind"] == "refresh" && $0["parentId"]?.stringValue != nil }
            #expect(child?["parentId"] == consumed.first?["id"])

            let unscoped = try await hub.send(.delete, "/auth/session-tokens", token: fresh)
            #expect(unscoped.status == 400)
            let negated = try await hub.send(.delete, "/auth/session-tokens?filter[id]=!x", token: fresh)
            #expect(negated.status == 400)
            // Revoking the first access token alone: the fresh one of the same session still works.
            let firstAccess = try #require(
                rows.first { $0["kind"] == "access" && $0["refreshTokenId"] == consumed.first?["id"] })
            let firstID = try #require(firstAccess["id"]?.stringValue)
            let revoked = try await hub.send(.delete, "/auth/session-tokens?filter[id]=\(firstID)", token: fresh)
            #expect(revoked.status == 202 && revoked.object["count"] == .int(1))
            #expect(try await hub.get("/auth/users/@me", token: fresh).status == 200)
            #expect(try await hub.get("/auth/users/@me", token: access).status == 401)
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func scopesCanBeReplaced(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let admin = try await hub.adminToken()
            let scope = try await hub.post("/auth/scopes", ["name": "results"], token: admin)
            let scopeID = try id(scope, generation)
            let replaced = try await hub.send(
                .put, "/auth/scopes/\(scopeID)", json: .object([key("displayName", generation): "Results"]),
                token: admin)
            #expect(replaced.status < 300, "\(replaced.text)")
            #expect(replaced.record(generation)[key("displayName", generation)] == "Results")
        }
    }
}
