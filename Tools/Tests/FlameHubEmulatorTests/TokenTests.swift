import FlameHub
import FlameHubEmulator
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing
import _CryptoExtras

/// `POST /token` grants, rotation, reuse detection, introspection and revocation.
@Suite struct TokenTests {
    @Test(arguments: HubGeneration.allCases)
    func passwordGrantWithJSONAndForm(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let json = try await hub.login()
            #expect(json["token_type"] == "Bearer")
            #expect(json["scope"] == "global")
            #expect(json["expires_in"] == (generation == .legacy ? 3600 : 900))
            #expect(json["refresh_token"]?.stringValue != nil)
            #expect((json["refresh_token_expires_in"] != nil) == (generation != .legacy))
            #expect(json["access_token"]?.stringValue?.split(separator: ".").count == 3)

            // Form body, grant guessed from username + password.
            let form = try await hub.send(.post, "/auth/token", form: "username=admin&password=start123")
            #expect(form.status == 200)
            #expect(form.object["access_token"]?.stringValue != nil)

            let wrong = try await hub.post(
                "/auth/token", ["grant_type": "password", "username": "admin", "password": "nope"])
            #expect(wrong.status == 400)
            #expect(wrong.object["code"] == "invalid_credentials")
            #expect(wrong.object["message"] == "The user credentials are invalid.")
        }
    }

    @Test func legacyRobotCredentials() async throws {
        try await withHub(.legacy) { hub in
            let ok = try await hub.post(
                "/auth/token", ["grant_type": "robot_credentials", "id": "system", "secret": "start123"])
            #expect(ok.status == 200)
            #expect(ok.object["refresh_token"] == nil)
            let token = try #require(ok.object["access_token"]?.stringValue)
            let me = try await hub.get("/auth/robots/@me", token: token)
            #expect(me.object["name"] == "system")
            let introspection = try await hub.get("/auth/token/introspect", token: token)
            #expect(introspection.object["sub_kind"] == "robot")

            let guessed = try await hub.send(.post, "/auth/token", form: "id=system&secret=start123")
            #expect(guessed.status == 200)
            let bad = try await hub.post(
                "/auth/token", ["grant_type": "robot_credentials", "id": "system", "secret": "wrong"])
            #expect(bad.status == 400)
            #expect(bad.object["code"] == "invalid_credentials")
            #expect(bad.object["message"] == "The robot credentials are invalid.")
        }
    }

    @Test func currentClientCredentials() async throws {
        try await withHub(.current) { hub in
            let ok = try await hub.send(
                .post, "/auth/token", form: "grant_type=client_credentials&client_id=system&client_secret=start123")
            #expect(ok.status == 200)
            #expect(ok.object["refresh_token"] == nil)
            #expect(ok.object["expires_in"] == 900)

            let basic = try await hub.send(
                .post, "/auth/token", form: "grant_type=client_credentials",
                headers: ["Authorization": "Basic c3lzdGVtOnN0YXJ0MTIz"])
            #expect(basic.status == 200)

            let bad = try await hub.post(
                "/auth/token", ["grant_type": "client_credentials", "client_id": "system", "client_secret": "x"])
            #expect(bad.status == 401)
            #expect(bad.object["code"] == "invalid_client")
            #expect(bad.object["error"] == "invalid_client")
            #expect(bad.object["statusCode"] == nil)

            // Robots are gone: the grant falls through to guessing and fails.
            let robot = try await hub.post(
                "/auth/token", ["grant_type": "robot_credentials", "id": "system", "secret": "start123"])
            #expect(robot.status == 400)
            #expect(robot.object["code"] == "unsupported_token_grant_type")
        }
    }

    @Test func currentClientsNeedSecretAuthMethod() async throws {
        try await withHub(.current) { hub in
            let token = try await hub.adminToken()
            let none = try await hub.post("/auth/clients", ["name": "plain"], token: token)
            #expect(none.status == 201)
            #expect(none.record(.current)["authMethod"] == "none")
            #expect(none.record(.current)["secret"] == .null)
            let secret = try await hub.post("/auth/clients", ["name": "worker", "authMethod": "secret"], token: token)
            let generated = try #require(secret.record(.current)["secret"]?.stringValue)
            #expect(generated.count == 64)
            let login = try await hub.post(
                "/auth/token",
                ["grant_type": "client_credentials", "client_id": "worker", "client_secret": .string(generated)])
            #expect(login.status == 200)
            let plainLogin = try await hub.post(
                "/auth/token", ["grant_type": "client_credentials", "client_id": "plain", "client_secret": "x"])
            #expect(plainLogin.status == 401)
            let reserved = try await hub.post("/auth/clients", ["name": "system"], token: token)
            #expect(reserved.status == 400)
        }
    }

    @Test func legacyRefreshRotationAndReuse() async throws {
        try await withHub(.legacy) { hub in
            let first = try #require(try await hub.login()["refresh_token"]?.stringValue)
            let rotated = try await hub.post(
                "/auth/token", ["grant_type": "refresh_token", "refresh_token": .string(first)])
            #expect(rotated.status == 200)
            let second = try #require(rotated.object["refresh_token"]?.stringValue)
            #expect(second != first)
            let reuse = try await hub.post(
                "/auth/token", ["grant_type": "refresh_token", "refresh_token": .string(first)])
            #expect(reuse.status == 400)
            #expect(reuse.object["code"] == "inactive_token")
            // The rotated token of the same session stays usable on legacy.
            let again = try await hub.send(.post, "/auth/token", form: "refresh_token=\(second)")
            #expect(again.status == 200)
            let garbage = try await hub.post(
                "/auth/token", ["grant_type": "refresh_token", "refresh_token": "garbage"])
            #expect(garbage.object["code"] == "invalid_token")
            #expect(garbage.object["message"] == "The JWT is invalid.")
        }
    }

    @Test func currentRefreshReuseRevokesTheSession() async throws {
        try await withHub(.current) { hub in
            let login = try await hub.login()
            let first = try #require(login["refresh_token"]?.stringValue)
            let rotated = try await hub.post(
                "/auth/token", ["grant_type": "refresh_token", "refresh_token": .string(first)])
            #expect(rotated.status == 200)
            let second = try #require(rotated.object["refresh_token"]?.stringValue)
            let access = try #require(rotated.object["access_token"]?.stringValue)
            #expect(try await hub.get("/auth/users/@me", token: access).status == 200)

            let reuse = try await hub.post(
                "/auth/token", ["grant_type": "refresh_token", "refresh_token": .string(first)])
            #expect(reuse.status == 400)
            #expect(reuse.object["code"] == "invalid_grant")
            // Reuse detection revoked the whole family: the newer tokens are dead too.
            let next = try await hub.post(
                "/auth/token", ["grant_type": "refresh_token", "refresh_token": .string(second)])
            #expect(next.status == 400)
            let revokedAccess = try await hub.get("/auth/users/@me", token: access)
            #expect(revokedAccess.status == authupDeadBearerStatus(.current))
            #expect(revokedAccess.object["code"] == "inactive_token")

            let missing = try await hub.post("/auth/token", ["grant_type": "refresh_token"])
            #expect(missing.object["code"] == "invalid_request")
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func unsupportedGrant(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let response = try await hub.post("/auth/token", ["grant_type": "magic"])
            #expect(response.status == 400)
            #expect(
                response.object["code"] == (generation == .legacy ? "invalid_grant" : "unsupported_token_grant_type"))
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func introspectionAndRevocation(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let token = try await hub.adminToken()
            let introspection = try await hub.send(.post, "/auth/token/introspect", json: ["token": .string(token)])
            #expect(introspection.status == 200)
            #expect(introspection.object["active"] == true)
            #expect(introspection.object["sub_kind"] == "user")
            #expect(introspection.object["realm_name"] == "master")
            let permissions =
                introspection.object["permissions"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(permissions.contains("realm_create"))
            #expect(permissions.contains("analysis_create"))

            let revoked = try await hub.send(.post, "/auth/token/revoke", form: "token=\(token)")
            // beta.54–62 answer 202, legacy and beta.63 200 (controllers/token at each tag).
            #expect(revoked.status == (generation == .transitional ? 202 : 200))
            #expect(generation == .legacy ? revoked.bytes.isEmpty : revoked.text == "null")
            let after = try await hub.get("/auth/users/@me", token: token)
            #expect(after.status == authupDeadBearerStatus(generation))
            #expect(after.object["code"] == "inactive_token")
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func configurableAccessTokenLifetime(generation: HubGeneration) async throws {
        // Long enough that a loaded CI machine (the whole suite runs in parallel on 2 cores) still
        // uses the token before it expires.
        try await withHub(generation, configuration: .init(accessTokenLifetime: .seconds(10))) { hub in
            let loggedIn = ContinuousClock.now
            let login = try await hub.login()
            // Legacy authup never reports less than an hour; the token still expires.
            #expect(login["expires_in"] == (generation == .legacy ? 3600 : 10))
            let token = try #require(login["access_token"]?.stringValue)
            let fresh = try await hub.get("/auth/users/@me", token: token)
            // Whether the token still works says something only if this request came within its
            // lifetime: a CI machine running the whole suite on 2 cores has stalled it for 10 s.
            if ContinuousClock.now - loggedIn < .seconds(8) { #expect(fresh.status == 200) }
            try await Task.sleep(for: .milliseconds(10_200))
            let expired = try await hub.get("/auth/users/@me", token: token)
            #expect(expired.status == authupDeadBearerStatus(generation))
            #expect(expired.object["code"] == "expired_token")
            let refreshed = try await hub.post(
                "/auth/token", ["grant_type": "refresh_token", "refresh_token": login["refresh_token"] ?? .null])
            #expect(refreshed.status == 200)
        }
    }

    @Test func legacyClientCredentialsNeedAUUIDAndReturnARefreshToken() async throws {
        try await withHub(.legacy) { hub in
            let admin = try await hub.adminToken()
            let client = try await hub.post(
                "/auth/clients", ["name": "portal", "secret": "portal-secret"], token: admin)
            #expect(client.status == 201)
            let id = try #require(client.object["id"]?.stringValue)
            let read = try await hub.get("/auth/clients/\(id)?fields=%2Bsecret", token: admin)
            #expect(read.object["secret"] == "portal-secret")

            let ok = try await hub.post(
                "/auth/token",
                ["grant_type": "client_credentials", "client_id": .string(id), "client_secret": "portal-secret"])
            #expect(ok.status == 200)
            #expect(ok.object["refresh_token"]?.stringValue != nil)
            let byName = try await hub.post(
                "/auth/token",
                ["grant_type": "client_credentials", "client_id": "portal", "client_secret": "portal-secret"])
            #expect(byName.status == 400)
            #expect(byName.object["code"] == "invalid_credentials")
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func discoveryAndUserinfo(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let discovery = try await hub.get("/auth/.well-known/openid-configuration")
            #expect(discovery.status == 200)
            #expect(discovery.object["token_endpoint"]?.stringValue?.hasSuffix("/auth/token") == true)
            let token = try await hub.adminToken()
            let userinfo = try await hub.get("/auth/userinfo", token: token)
            if generation == .current {
                #expect(userinfo.status == 200)
                #expect(userinfo.object["email"] == "admin@example.com")
                #expect(userinfo.object["data"] == nil)
            } else {
                #expect(userinfo.status == 404)
            }
        }
    }

    @Test("tokens are RS256 JWTs that verify with the published JWKS", arguments: HubGeneration.allCases)
    func tokensVerifyWithTheJWKS(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let token = try await hub.adminToken()
            let segments = token.split(separator: ".").map(String.init)
            try #require(segments.count == 3)
            let headerBytes = try #require(base64URL(segments[0]))
            let header = try #require(try EmulatorJSON.parse(headerBytes).objectValue)
            #expect(header["alg"] == "RS256")
            let kid = try #require(header["kid"]?.stringValue)

            let keys = try await hub.get("/auth/jwks").object["keys"]?.arrayValue ?? []
            try #require(keys.count == 1)
            let jwk = try #require(keys[0].objectValue)
            #expect(jwk["kty"] == "RSA" && jwk["alg"] == "RS256" && jwk["use"] == "sig")
            #expect(jwk["kid"]?.stringValue == kid)
            #expect(try await hub.get("/auth/jwks/\(kid)").object == jwk)
            let realms = try await hub.get("/auth/realms", token: token).json
            let realm = try #require(
                realms?.objectValue?["data"]?.arrayValue?.first ?? realms?.arrayValue?.first)
            let realmID = try #require(realm.objectValue?["id"]?.stringValue)
            #expect(try await hub.get("/auth/realms/\(realmID)/jwks").object["keys"]?.arrayValue == keys)
            #expect(try await hub.get("/auth/jwks/\(UUID().uuidString.lowercased())").status == 404)
            let discovery = try await hub.get("/auth/.well-known/openid-configuration").object
            #expect(discovery["id_token_signing_alg_values_supported"] == ["RS256"])

            let modulus = try #require(jwk["n"]?.stringValue.flatMap(base64URL))
            let exponent = try #require(jwk["e"]?.stringValue.flatMap(base64URL))
            let key = try _RSA.Signing.PublicKey(n: modulus, e: exponent)
            let signatureBytes = try #require(base64URL(segments[2]))
            let signature = _RSA.Signing.RSASignature(rawRepresentation: signatureBytes)
            let signed = Array("\(segments[0]).\(segments[1])".utf8)
            #expect(key.isValidSignature(signature, for: signed, padding: .insecurePKCS1v1_5))
            // A changed payload no longer verifies.
            #expect(!key.isValidSignature(signature, for: signed + [0x20], padding: .insecurePKCS1v1_5))
        }
    }

    private func base64URL(_ text: String) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64).map(Array.init)
    }
}
