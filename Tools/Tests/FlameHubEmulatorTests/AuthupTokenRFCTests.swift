import FlameHub
import FlameHubEmulator
import Testing

/// The status authup gives a request with a dead bearer token: 400 before beta.63, 401 from
/// beta.63 (packages/errors/src/status.ts at v1.0.0-beta.63 maps the JWT codes to 401).
func authupDeadBearerStatus(_ generation: HubGeneration) -> Int {
    switch generation {
    case .legacy, .transitional: 400
    case .current: 401
    }
}

@Suite("Emulator: authup beta.63 token answers (RFC 6750/7662/7009) and the further entities")
struct AuthupTokenRFCTests {
    /// middleware/built-in/error.ts at v1.0.0-beta.63: a 401 for a dead bearer carries
    /// `WWW-Authenticate: Bearer error="invalid_token", …`; no credentials give a bare `Bearer`.
    @Test(arguments: HubGeneration.allCases)
    func deadBearerChallenge(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let dead = try await hub.get("/auth/users", token: "not-a-jwt")
            #expect(dead.status == authupDeadBearerStatus(generation))
            #expect(dead.object["code"] == "invalid_token")
            let anonymous = try await hub.get("/auth/users")
            #expect(anonymous.status == 401)
            switch generation {
            case .legacy, .transitional:
                #expect(dead.header("WWW-Authenticate") == nil)
                #expect(anonymous.header("WWW-Authenticate") == nil)
            case .current:
                #expect(
                    dead.header("WWW-Authenticate")
                        == #"Bearer error="invalid_token", error_description="The JWT is invalid.""#)
                #expect(anonymous.header("WWW-Authenticate") == "Bearer")
                // A bad client secret is a 401 of the token endpoint, not a bearer failure.
                let badClient = try await hub.post(
                    "/auth/token", ["grant_type": "client_credentials", "client_id": "system", "client_secret": "x"])
                #expect(badClient.status == 401)
                #expect(badClient.header("WWW-Authenticate") == nil)
            }
        }
    }

    /// workflows/token/module.ts at v1.0.0-beta.63 against beta.26: dead tokens introspect as
    /// `{active: false}` (200) and revoke with 200, where older releases answer 400.
    @Test(arguments: HubGeneration.allCases)
    func deadTokenIntrospectionAndRevocation(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let token = try await hub.adminToken()
            #expect(
                try await hub.send(.post, "/auth/token/revoke", form: "token=\(token)").status
                    == (generation == .transitional ? 202 : 200))
            let revoked = try await hub.post("/auth/token/introspect", ["token": .string(token)])
            let unknown = try await hub.post("/auth/token/introspect", ["token": "garbage"])
            let revokeUnknown = try await hub.post("/auth/token/revoke", ["token": "garbage"])
            switch generation {
            case .legacy, .transitional:
                #expect(revoked.status == 400 && revoked.object["code"] == "inactive_token")
                #expect(unknown.status == 400 && unknown.object["code"] == "invalid_token")
                #expect(revokeUnknown.status == 400)
            case .current:
                #expect(revoked.status == 200 && revoked.object["active"] == false)
                // The claims of a token it issued stay readable; its permissions do not.
                #expect(revoked.object["sub_kind"] == "user")
                #expect(revoked.object["permissions"] == nil)
                #expect(unknown.status == 200 && unknown.object == ["active": false])
                #expect(revokeUnknown.status == 200 && revokeUnknown.text == "null")
            }
        }
    }

    /// adapters/oauth2/grant-types/refresh_token.ts at v1.0.0-beta.63: a refresh token that fails
    /// verification is `invalid_grant`; beta.26 answers the JWT error.
    @Test(arguments: HubGeneration.allCases)
    func garbageRefreshToken(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let response = try await hub.post(
                "/auth/token", ["grant_type": "refresh_token", "refresh_token": "garbage"])
            #expect(response.status == 400)
            switch generation {
            case .legacy, .transitional: #expect(response.object["code"] == "invalid_token")
            case .current: #expect(response.object["code"] == "invalid_grant")
            }
        }
    }

    /// The five built-in scopes (core-kit ScopeName), public to list, and a client scope on them.
    @Test(arguments: HubGeneration.allCases)
    func scopesAndClientScopes(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let scopes = try await hub.get("/auth/scopes")
            #expect(scopes.status == 200)
            #expect(Set(scopes.names) == ["global", "openid", "email", "roles", "identity"])
            let token = try await hub.adminToken()
            let created = try await hub.post("/auth/scopes", ["name": "node-scope"], token: token)
            #expect(created.status == 201)
            let builtIn = try #require(scopes.rows.first { $0["name"] == "global" }?["id"])
            #expect(
                try await hub.send(.delete, "/auth/scopes/\(builtIn.stringValue ?? "")", token: token).status == 400)
        }
    }
}
