import FlameHub
import FlameHubEmulator
import Testing

/// The shared middleware's Hub-side error switches (core is used as the example service).
@Suite struct ErrorFidelityTests {
    /// An authenticated user without any permission.
    func unprivilegedToken(_ hub: RawHubClient, generation: HubGeneration) async throws -> String {
        let admin = try await hub.adminToken()
        var body: EmulatorJSONObject = ["name": "bob", "password": "bob-secret-12"]
        if generation != .legacy { body["email"] = "bob@example.com" }
        #expect(try await hub.post("/auth/users", .object(body), token: admin).status == 201)
        return try #require(
            try await hub.login(username: "bob", password: "bob-secret-12")["access_token"]?.stringValue)
    }

    @Test(arguments: [false, true])
    func currentHubPermissionDenial(friendly: Bool) async throws {
        try await withHub(.current, configuration: .init(friendlyPermissionErrors: friendly)) { hub in
            let token = try await unprivilegedToken(hub, generation: .current)
            let response = try await hub.post("/core/nodes", ["name": "node-x"], token: token)
            if friendly {
                #expect(response.status == 403)
                #expect(response.object["code"] == "permission_denied")
            } else {
                // Hub 0.14 reports a failed permission evaluation as 400 bad_request.
                #expect(response.status == 400)
                #expect(response.object["code"] == "bad_request")
                #expect(response.object["message"] == "The evaluation of permissions node_create failed")
                #expect(response.object["issues"]?.arrayValue?.first?["code"] == "permission_not_found")
            }
            #expect(response.object["statusCode"] == .int(response.status))
        }
    }

    @Test func legacyHubPermissionDenialIs403() async throws {
        try await withHub(.legacy) { hub in
            let token = try await unprivilegedToken(hub, generation: .legacy)
            let response = try await hub.post("/core/nodes", ["name": "node-x"], token: token)
            #expect(response.status == 403)
            #expect(response.object["statusCode"] == 403)
            #expect(response.object["issues"] == nil)
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func faithfulHubTokenErrors(generation: HubGeneration) async throws {
        try await withHub(generation, configuration: .init(faithfulHubTokenErrors: true)) { hub in
            let response = try await hub.get("/core/", token: "garbage")
            switch generation {
            // Hub 0.12.7 still answers the verifier's 400 (the 500 is 0.14's).
            case .legacy, .transitional:
                #expect(response.status == 400)
                #expect(response.object["code"] == "invalid_token")
            case .current:
                #expect(response.status == 500)
                #expect(response.object["code"] == "internal_error")
                #expect(response.object["message"] == "The JWT is invalid.")
            }
            // authup itself is unaffected by the switch.
            #expect(try await hub.get("/auth/", token: "garbage").status == authupDeadBearerStatus(generation))
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func unknownRoutes(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let auth = try await hub.get("/auth/nope")
            #expect(auth.status == 404)
            let outside = try await hub.get("/elsewhere")
            #expect(outside.status == 404)
        }
    }
}
