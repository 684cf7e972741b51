import FlameHub
import FlameHubEmulator
import Testing

/// Casing, envelopes, error bodies and status codes per generation.
@Suite struct WireFormatTests {
    @Test(arguments: HubGeneration.allCases)
    func startsAndStopsRepeatedly(generation: HubGeneration) async throws {
        // Start-up speed is measured by Benchmarks/ (EmulatorBench); here only a start that hangs
        // fails, since the whole suite shares two cores with subprocess-heavy tests.
        var fastest = Duration.seconds(60)
        for _ in 0..<3 {
            let clock = ContinuousClock()
            let started = clock.now
            let emulator = try await HubEmulator.start(generation: generation)
            fastest = min(fastest, clock.now - started)
            await emulator.stop()
        }
        #expect(fastest < .seconds(10))
    }

    @Test(arguments: HubGeneration.allCases)
    func startsOnFreePortWithServiceURLs(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            #expect(hub.emulator.port > 0)
            #expect(hub.emulator.authURL.absoluteString == "http://127.0.0.1:\(hub.emulator.port)/auth/")
            #expect(hub.emulator.coreURL.absoluteString == "http://127.0.0.1:\(hub.emulator.port)/core/")
            #expect(hub.emulator.storageURL.absoluteString == "http://127.0.0.1:\(hub.emulator.port)/storage/")

            let auth = try await hub.get("/auth/")
            #expect(auth.status == 200)
            #expect(auth.object["version"]?.stringValue == generation.authupVersion)
            if generation == .legacy {
                #expect(auth.object["tokenMaxAgeAccessToken"] == 3600)
                #expect(auth.object["timestamp"]?.intValue != nil)
            } else {
                #expect(auth.object["date"]?.stringValue != nil)
                #expect(auth.object["features"]?.objectValue != nil)
            }
            let core = try await hub.get("/core/")
            #expect(core.object["version"]?.stringValue == generation.hubVersion)
            let storage = try await hub.get("/storage/")
            #expect(storage.object["timestamp"]?.intValue != nil)
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func casingAndEnvelopes(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let token = try await hub.adminToken()
            let me = try await hub.get("/auth/users/@me", token: token)
            #expect(me.status == 200)
            let user = me.record(generation)
            #expect(user["name"] == "admin")
            switch generation {
            case .legacy:
                #expect(me.object["data"] == nil)
                #expect(user["realm_id"]?.stringValue != nil)
                #expect(user["realmId"] == nil)
                #expect(user["email"] == "admin@example.com")  // a placeholder, not beta.26's personal address
                #expect(user["password"] == nil)
            case .transitional, .current:
                #expect(user["realmId"]?.stringValue != nil)
                #expect(user["realm_id"] == nil)
                #expect(user["email"] == nil)
                // authup wraps single records from beta.57 on.
                #expect((me.json?["meta"]?["schema"]?["fields"]?.objectValue != nil) == (generation == .current))
            }

            let list = try await hub.get("/auth/realms")
            #expect(list.status == 200)
            #expect(list.names == ["master"])
            let meta = try #require(list.json?["meta"]?.objectValue)
            #expect(meta["total"] == 1)
            if generation == .legacy {
                #expect(meta.keys.sorted() == ["total"])
                #expect(list.rows.first?["built_in"] == true)
            } else {
                #expect(meta["limit"] == 50)
                #expect(meta["offset"] == 0)
                #expect((meta["schema"]?["name"] == "realm") == (generation == .current))
                #expect(list.rows.first?["builtIn"] == true)
            }
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func statusCodesOfTheCRUDCycle(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let token = try await hub.adminToken()
            let created = try await hub.post(
                "/auth/roles", ["name": "reviewer", "description": "Reviews things"], token: token)
            #expect(created.status == 201)
            if generation == .current { #expect(created.json?["meta"] == [:]) }
            let id = try #require(created.record(generation)["id"]?.stringValue)

            let read = try await hub.get("/auth/roles/\(id)", token: token)
            #expect(read.status == 200)
            #expect(read.record(generation)["name"] == "reviewer")
            let byName = try await hub.get("/auth/roles/reviewer", token: token)
            #expect(byName.record(generation)["id"] == .string(id))

            let key = generation == .legacy ? "display_name" : "displayName"
            let updated = try await hub.post("/auth/roles/\(id)", [key: "Reviewer"], token: token)
            #expect(updated.status == 202)
            #expect(updated.record(generation)[key] == "Reviewer")

            let deleted = try await hub.send(.delete, "/auth/roles/\(id)", token: token)
            #expect(deleted.status == 202)
            #expect(deleted.record(generation)["id"] == .string(id))

            let missing = try await hub.get("/auth/roles/\(id)", token: token)
            #expect(missing.status == 404)

            let upserted = try await hub.send(.put, "/auth/roles/auditor", json: [:], token: token)
            #expect(upserted.status == 201)
            #expect(upserted.record(generation)["name"] == "auditor")
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func errorBodies(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let token = try await hub.adminToken()
            let missing = try await hub.get("/auth/users/00000000-0000-4000-8000-000000000000", token: token)
            #expect(missing.status == 404)
            let unauthenticated = try await hub.get("/auth/users")
            #expect(unauthenticated.status == 401)
            _ = try await hub.post("/auth/roles", ["name": "dup"], token: token)
            let conflict = try await hub.post("/auth/roles", ["name": "dup"], token: token)
            #expect(conflict.status == 409)
            let invalid = try await hub.post("/auth/realms", ["name": "x"], token: token)
            #expect(invalid.status == 400)

            switch generation {
            case .legacy:
                #expect(missing.object == ["statusCode": 404, "code": "NOT_FOUND", "message": ""])
                #expect(unauthenticated.object == ["statusCode": 401, "code": "UNAUTHORIZED", "message": ""])
                #expect(conflict.object["code"] == "CONFLICT")
                #expect(conflict.object["statusCode"] == 409)
                #expect(invalid.object["code"] == "BAD_REQUEST")
                #expect(invalid.object["message"] == "")
                #expect(invalid.object["attributes"] == ["name"])
                #expect(invalid.object["issues"] == nil)
            case .transitional, .current:
                #expect(missing.object["statusCode"] == nil)
                #expect(missing.object["code"] == "entity_not_found")
                #expect(missing.object["name"]?.stringValue != nil)
                #expect(missing.object["issues"] == [])
                #expect(unauthenticated.object["code"] == "identity_unauthorized")
                #expect(unauthenticated.object["message"] == "Authentication required.")
                #expect(conflict.object["code"] == "entity_conflict")
                #expect(invalid.object["code"] == "bad_request")
                #expect(invalid.object["message"] == "Property name is invalid")
                #expect(invalid.object["issues"]?.arrayValue?.first?["path"] == ["name"])
            }
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func badTokenIsRejectedEvenOnPublicRoutes(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let publicRoute = try await hub.get("/auth/", token: "not-a-jwt")
            #expect(publicRoute.status == authupDeadBearerStatus(generation))
            #expect(publicRoute.object["code"] == "invalid_token")
            #expect(publicRoute.object["message"] == "The JWT is invalid.")
            #expect((publicRoute.object["statusCode"] != nil) == (generation == .legacy))

            let realms = try await hub.get("/auth/realms", token: "eyJhbGciOiJIUzI1NiJ9.e30.c2ln")
            #expect(realms.status == authupDeadBearerStatus(generation))
            // Core and storage answer 401 by default (faithful mode is a configuration switch).
            let core = try await hub.get("/core/", token: "garbage")
            #expect(core.status == 401)
            #expect(core.object["statusCode"] == 401)
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func permissionDeniedForUnprivilegedUser(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let token = try await hub.adminToken()
            let legacy = generation == .legacy
            let body: EmulatorJSON =
                legacy
                ? ["name": "alice", "password": "alice-secret-1"]
                : ["name": "alice", "email": "alice@example.com", "password": "alice-secret-1"]
            let created = try await hub.post("/auth/users", body, token: token)
            #expect(created.status == 201)
            let echoed = created.record(generation)["password"]?.stringValue
            #expect(legacy ? echoed == "alice-secret-1" : echoed?.hasPrefix("$2y$10$") == true)

            let alice = try #require(
                try await hub.login(username: "alice", password: "alice-secret-1")["access_token"]?.stringValue)
            let denied = try await hub.post("/auth/roles", ["name": "sneaky"], token: alice)
            #expect(denied.status == 403)
            #expect(denied.object["code"] == "permission_denied")
            let own = try await hub.get("/auth/users/@me", token: alice)
            #expect(own.record(generation)["name"] == "alice")
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func builtInsAreProtected(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let token = try await hub.adminToken()
            let master = try await hub.get("/auth/realms/master")
            let masterID = try #require(master.record(generation)["id"]?.stringValue)
            let realm = try await hub.send(.delete, "/auth/realms/\(masterID)", token: token)
            #expect(realm.status == 400)
            #expect(realm.object["message"] == "A built-in realm can not be deleted.")
            let admin = try await hub.get("/auth/roles/admin?include=realm", token: token)
            let adminID = try #require(admin.record(generation)["id"]?.stringValue)
            // Single role GETs ignore the query; legacy also leaves out `built_in`/`client_id`.
            #expect(admin.record(generation)["realm"] == nil)
            let builtInKey = generation == .legacy ? "built_in" : "builtIn"
            #expect((admin.record(generation)[builtInKey] == nil) == (generation == .legacy))
            let role = try await hub.send(.delete, "/auth/roles/\(adminID)", token: token)
            #expect(role.status == 400)
            #expect(role.object["message"] == "The default admin role can not be deleted.")
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func seedMatchesAFreshHub(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let token = try await hub.adminToken()
            let builtIn = generation == .legacy ? "built_in" : "builtIn"
            let permissions = try await hub.get("/auth/permissions?filter[\(builtIn)]=true&page[limit]=1", token: token)
            #expect(permissions.json?["meta"]?["total"] == (generation == .legacy ? 64 : 72))
            let hubPermission = try await hub.get("/auth/permissions/analysis_create", token: token)
            #expect(hubPermission.status == 200)
            let machine = try await hub.get(
                generation == .legacy ? "/auth/robots/system" : "/auth/clients/system", token: token)
            #expect(machine.status == 200)
            #expect(machine.record(generation)["active"] == true)
        }
    }
}
