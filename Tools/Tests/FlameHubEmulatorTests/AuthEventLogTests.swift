import FlameHub
import FlameHubEmulator
import Testing

/// authup's entity audit trail (`EntityEventHandler`, v1.0.0-beta.56 and .63): each create,
/// update and delete of an auth entity adds an `entity` event, unless a switch turns it off.
@Suite struct AuthEventLogTests {
    /// The events named `name` about `refId`.
    func events(_ hub: RawHubClient, name: String, refId: String, token: String) async throws -> [EmulatorJSONObject] {
        let listed = try await hub.get("/auth/events?filter[name]=\(name)&filter[refId]=\(refId)", token: token)
        #expect(listed.status == 200, "\(listed.text)")
        return listed.rows
    }

    @Test(arguments: [HubGeneration.transitional, .current])
    func aUserCreateUpdateAndDeleteAreRecorded(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let admin = try await hub.adminToken()
            let created = try await hub.post(
                "/auth/users", ["name": "alice", "password": "alice-secret-1", "email": "alice@example.com"],
                token: admin)
            #expect(created.status == 201, "\(created.text)")
            let user = created.record(generation)
            let id = try #require(user["id"]?.stringValue)

            let creation = try #require(try await events(hub, name: "created", refId: id, token: admin).first)
            #expect(creation["scope"] == "entity" && creation["refType"] == "user")
            #expect(creation["realmId"] == user["realmId"] && creation["data"] == .null)
            #expect(creation["actorType"] == "user" && creation["actorName"] == "admin")
            #expect(creation["actorId"]?.stringValue?.isEmpty == false)
            #expect(creation["requestMethod"] == "POST" && creation["requestPath"] == "/users")
            // Entity rows expire after `eventLogEntityRetentionDays` (7).
            #expect(creation["expiring"] == true && creation["expiresAt"]?.stringValue != nil)
            #expect((creation["sessionId"] != nil) == (generation == .current))

            let updated = try await hub.post(
                "/auth/users/\(id)", ["displayName": "Alice A.", "password": "alice-secret-2"], token: admin)
            #expect(updated.status == 202, "\(updated.text)")
            let update = try #require(try await events(hub, name: "updated", refId: id, token: admin).first)
            // The diff names changed scalar columns, never secrets or timestamps.
            let diff = try #require(update["data"]?["diff"]?.objectValue)
            #expect(diff["displayName"]?["next"] == "Alice A." && diff["displayName"]?["previous"] == "alice")
            #expect(diff["password"] == nil && diff["updatedAt"] == nil)

            #expect(try await hub.send(.delete, "/auth/users/\(id)", token: admin).status == 202)
            let deletion = try #require(try await events(hub, name: "deleted", refId: id, token: admin).first)
            #expect(deletion["refType"] == "user" && deletion["realmId"] == user["realmId"])
        }
    }

    @Test(arguments: [
        HubEmulator.Switches(eventLogEnabled: false), HubEmulator.Switches(eventLogEntityEnabled: false),
    ])
    func eitherSwitchOffRecordsNothing(switches: HubEmulator.Switches) async throws {
        try await withHub(.current, configuration: HubEmulator.Configuration(switches: switches)) { hub in
            let admin = try await hub.adminToken()
            let created = try await hub.post(
                "/auth/roles", ["name": "auditors"], token: admin)
            #expect(created.status == 201, "\(created.text)")
            let listed = try await hub.get("/auth/events", token: admin)
            #expect(listed.status == 200 && listed.rows.isEmpty, "\(listed.text)")
        }
    }

    /// authup's defaults (`normalize.ts`), read from `EVENT_LOG_ENABLED` / `EVENT_LOG_ENTITY_ENABLED`.
    @Test func theSwitchesDefaultOnAndReadTheEnvironment() throws {
        #expect(HubEmulator.Switches().eventLogEnabled && HubEmulator.Switches().eventLogEntityEnabled)
        var configuration = HubEmulator.Configuration()
        try configuration.applyEnvironment(["EVENT_LOG_ENABLED": "false", "EVENT_LOG_ENTITY_ENABLED": "0"])
        #expect(!configuration.switches.eventLogEnabled && !configuration.switches.eventLogEntityEnabled)
    }
}
