import FlameHub
import FlameHubEmulator
import Testing

/// The transitional generation as the emulator serves it: Hub 0.12.7 (core, storage) with
/// authup 1.0.0-beta.56. Each test names the source file and tag whose behaviour it copies.
@Suite("Transitional generation (Hub 0.12.7, authup beta.56)")
struct TransitionalGenerationTests {
    /// authup's `GET /` is `{version, date, features}` (`controllers/workflows/status/module.ts` at
    /// `v1.0.0-beta.56`); core's is `{version, timestamp}` (`controllers/root/module.ts` at
    /// `v0.12.7`). The SDK reads both versions as the transitional generation.
    @Test func versionsAreDetectedAsTransitional() async throws {
        try await withHub(.transitional) { hub in
            let auth = try await hub.get("/auth/")
            #expect(auth.object["version"] == "1.0.0-beta.56")
            #expect(auth.object["date"] != nil && auth.object["features"] != nil)
            let core = try await hub.get("/core/")
            #expect(core.object["version"] == "0.12.7")
            #expect(HubDialect.auth(version: "1.0.0-beta.56").generation == .transitional)
            #expect(HubDialect.hub(version: "0.12.7").generation == .transitional)
        }
    }

    /// authup beta.54 renamed every key to camelCase (`packages/core-kit/src/domains/realm/entity.ts`
    /// at `v1.0.0-beta.54`) but wraps single records only from beta.57 on (`send(event, { data })`
    /// in `controllers/entities/realm/module.ts` at `v1.0.0-beta.57`).
    @Test func authupRecordsAreCamelCaseAndBare() async throws {
        try await withHub(.transitional) { hub in
            let token = try await hub.adminToken()
            let created = try await hub.post("/auth/realms", ["name": "era-realm"], token: token)
            #expect(created.status == 201)
            #expect(created.object["data"] == nil)
            #expect(created.object["builtIn"] == false)
            #expect(created.object["built_in"] == nil)
            let read = try await hub.get("/auth/realms/era-realm", token: token)
            #expect(read.object["name"] == "era-realm" && read.object["createdAt"] != nil)
            // Lists carry `{data, meta}` in every generation, without 0.14's `meta.schema`.
            let list = try await hub.get("/auth/realms", token: token)
            #expect(list.names.contains("era-realm") && list.json?["meta"]?["schema"] == nil)
        }
    }

    /// Robots and the `robot_credentials` grant were removed in beta.54 (`packages/access/CHANGELOG.md`
    /// at `v1.0.0-beta.56`): no controller serves `/robots`, and the token endpoint knows no such
    /// grant. The Hub's machine identity is the `system` client.
    @Test func robotsAreGone() async throws {
        try await withHub(.transitional) { hub in
            let token = try await hub.adminToken()
            #expect(try await hub.get("/auth/robots", token: token).status == 404)
            #expect(try await hub.get("/auth/robot-permissions", token: token).status == 404)
            let grant = try await hub.post(
                "/auth/token", ["grant_type": "robot_credentials", "id": "system", "secret": "start123"])
            #expect(grant.status == 400)
            let system = try await hub.get("/auth/clients/system", token: token)
            #expect(system.status == 200 && system.object["active"] == true)
        }
    }

    /// beta.56's bearer answer has `refresh_token_expires_in` (`core/oauth2/response/bearer.ts`),
    /// the access token lives 900 s (`tokenAccessMaxAge` in `app/modules/config/normalize.ts`) and
    /// revocation answers 202 `null` (`controllers/workflows/token/module.ts`), all at `v1.0.0-beta.56`.
    @Test func tokenEndpointAnswersLikeBeta56() async throws {
        try await withHub(.transitional) { hub in
            let login = try await hub.login()
            #expect(login["expires_in"] == 900)
            #expect(login["refresh_token_expires_in"] != nil)
            let token = try #require(login["access_token"]?.stringValue)
            let revoked = try await hub.send(.post, "/auth/token/revoke", form: "token=\(token)")
            #expect(revoked.status == 202 && revoked.text == "null")
        }
    }

    /// Core's entities stay snake_case and bare up to 0.12.7; a node gets an authup client
    /// (`client_id`, and the deprecated `robot_id` column: `packages/core-kit/src/domains/node/entity.ts`
    /// at `v0.12.7`), which authup serves in camelCase.
    @Test func nodesReferToCamelCaseClients() async throws {
        try await CoreSession.start(.transitional) { hub in
            let created = try await hub.post("/core/nodes", ["name": "era-node"])
            #expect(created.status == 201)
            let node = created.object
            #expect(node["data"] == nil && node["realm_id"] != nil && node["realmId"] == nil)
            #expect(node.keys.contains("robot_id"))
            let clientID = try #require(node["client_id"]?.stringValue)
            let client = try await hub.get("/auth/clients/\(clientID)")
            #expect(client.status == 200)
            #expect(client.object["realmId"] == node["realm_id"])
            #expect(client.object["displayName"] == "era-node")
        }
    }

    /// 0.12.7's analysis has the current field set under snake_case names
    /// (`packages/core-kit/src/domains/analysis/entity.ts` at `v0.12.7`: `display_name`,
    /// `execution_status`, `nodes_approved`, `client_id`), and its commands are 0.13's
    /// (`analysis/constants.ts` at `v0.12.7`).
    @Test func analysesHaveTheCurrentFieldsInSnakeCase() async throws {
        try await CoreSession.start(.transitional) { hub in
            let project = try await hub.create("/core/projects", ["name": "era-project"])
            let analysis = try await hub.create("/core/analyses", ["projectId": .string(hub.id(project))])
            for key in ["display_name", "execution_status", "nodes_approved", "configuration_locked", "client_id"] {
                #expect(analysis.keys.contains(key), "\(key)")
            }
            #expect(analysis["run_status"] == nil && analysis["executionStatus"] == nil)
            // A known command that fails its precondition, and a legacy one that is unknown.
            let command = try await hub.post(
                "/core/analyses/\(hub.id(analysis))/command", ["command": "configurationLock"])
            #expect(command.status == 400)
            #expect(command.object["message"] == "At least one default node must be selected.")
            let legacyCommand = try await hub.post("/core/analyses/\(hub.id(analysis))/command", ["command": "spinUp"])
            #expect(legacyCommand.status == 400)
            #expect(legacyCommand.object["message"] == "Invalid command.")
        }
    }

    /// authup up to beta.56 parses rapiq 0.9 (`~x` starts with), the Hub from 0.12.3 on rapiq 2
    /// (`x~` starts with): `apps/server-core/package.json` at `v0.12.3` and `v1.0.0-beta.56`.
    @Test func filterGrammarsDifferPerService() async throws {
        try await CoreSession.start(.transitional) { hub in
            let permissions = try await hub.get("/auth/permissions?filter[name]=~user_")
            #expect(!permissions.rows.isEmpty)
            #expect(permissions.names.allSatisfy { $0.hasPrefix("user_") })
            _ = try await hub.create("/core/nodes", ["name": "filter-node"])
            let nodes = try await hub.get("/core/nodes?filter[name]=filter~")
            #expect(nodes.names == ["filter-node"])
            #expect(try await hub.get("/core/nodes?filter[name]=~filter").rows.isEmpty)
        }
    }

    /// Storage 0.12.7 answers snake_case bare buckets (`packages/storage-kit/src/domains/bucket/entity.ts`
    /// at `v0.12.7`).
    @Test func storageBucketsAreSnakeCaseAndBare() async throws {
        try await CoreSession.start(.transitional) { hub in
            let created = try await hub.post("/storage/buckets", ["name": "era-bucket"])
            #expect(created.status == 201)
            #expect(created.object["data"] == nil)
            #expect(created.object["actor_type"] == "user" && created.object["actorType"] == nil)
        }
    }
}
