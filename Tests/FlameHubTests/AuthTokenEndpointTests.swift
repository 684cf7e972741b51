@testable import FlameHub
import FlameHubTesting
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import HTTPTypes
import Testing

@Suite("authup token endpoints: introspection, revocation, userinfo, JWKS, discovery")
struct AuthTokenEndpointTests {
    /// A client that authenticates with a password, so that tests can see that token-endpoint
    /// calls go out without the bearer (and never trigger a refresh).
    func client(_ mock: MockTransport, dialect: HubDialect = .current) -> AuthClient {
        Fixture.authClient(
            mock, dialect: dialect, auth: PasswordAuth(username: "admin", password: "x", baseURL: Fixture.base))
    }

    @Test func introspectActiveToken() async throws {
        let mock = MockTransport { _ in
            .json(
                200,
                #"{"active":true,"permissions":[{"name":"user_read","client_id":null,"realm_id":null}],"kind":"access_token","jti":"j1","sub":"u1","sub_kind":"user","realm_id":"r1","realm_name":"master","exp":4102444800,"iat":1700000000,"preferred_username":"admin"}"#
            )
        }
        let info = try await client(mock).introspect("token-1")
        #expect(info.active)
        #expect(info.subject == "u1" && info.subjectKind == "user" && info.realmName == "master")
        #expect(info.permissions == [TokenPermission(name: "user_read", clientId: nil, realmId: nil)])
        #expect(info.expiresAt == Date(timeIntervalSince1970: 4_102_444_800))
        #expect(info.claims["preferred_username"] == .string("admin"))
        let request = try #require(mock.requests.first)
        #expect(request.line == "POST /auth/token/introspect")
        #expect(request.json == ["token": .string("token-1")])
        #expect(request.bearer == nil)
        #expect(mock.requests.count == 1)
    }

    /// beta.63 (RFC 7662 §2.2): a dead token is `active: false` with status 200.
    @Test func introspectInactiveRFCAnswer() async throws {
        let mock = MockTransport { _ in .json(200, #"{"active":false}"#) }
        let info = try await client(mock).introspect("dead")
        #expect(!info.active && info.inactiveReason == nil && info.permissions.isEmpty)
    }

    /// Before beta.63: 400 with the token code; no refresh of the client's own token follows.
    @Test(arguments: ["expired_token", "inactive_token", "invalid_token"])
    func introspectInactiveLegacyAnswer(code: String) async throws {
        let mock = MockTransport { _ in .json(400, #"{"code":"\#(code)","message":"The JWT is expired."}"#) }
        let info = try await client(mock).introspect("dead")
        #expect(!info.active)
        #expect(info.inactiveReason == code)
        #expect(mock.requests.map(\.line) == ["POST /auth/token/introspect"])
    }

    @Test func introspectOtherErrorsThrow() async throws {
        let mock = MockTransport { _ in .json(400, #"{"code":"bad_request","message":"token is required"}"#) }
        await #expect(throws: HubAPIError.self) { _ = try await client(mock).introspect("x") }
    }

    /// Revocation answers: legacy 200 empty, beta.54–62 202 `null`, beta.63 200 `null`, and
    /// pre-beta.63 400 for a dead token (beta.63 answers that with 200, RFC 7009 §2.2).
    @Test func revokeAcceptsEveryReleasesAnswer() async throws {
        let replies: [MockTransport.Reply] = [
            .response(200), .json(202, "null"), .json(200, "null"),
            .json(400, #"{"code":"invalid_token","message":"The JWT is invalid."}"#),
        ]
        for reply in replies {
            let mock = MockTransport { _ in reply }
            try await client(mock).revoke("t")
            #expect(mock.requests.first?.json == ["token": .string("t")])
            #expect(mock.requests.first?.bearer == nil)
        }
        let failing = MockTransport { _ in .json(500, #"{"code":"internal_error","message":""}"#) }
        await #expect(throws: HubAPIError.self) { try await client(failing).revoke("t") }
    }

    @Test func userInfoPerGeneration() async throws {
        let user =
            #"{"id":"\#(Fixture.userID)","name":"admin","email":"admin@example.com","realmId":"\#(Fixture.realmID)","createdAt":"2025-05-12T09:44:08Z","updatedAt":"2025-05-12T09:44:08Z"}"#
        let mock = MockTransport { _ in .json(200, user) }
        let current = try await Fixture.authClient(mock, dialect: .current, auth: "tok").userInfo()
        #expect(current.email == "admin@example.com")
        #expect(mock.requests.last?.line == "GET /auth/userinfo")
        #expect(mock.requests.last?.bearer == "tok")
        _ = try await Fixture.authClient(mock, dialect: .legacy, auth: "tok").userInfo()
        #expect(mock.requests.last?.target.hasPrefix("/auth/users/@me?") == true)
        #expect(mock.requests.last?.target.contains("email") == true)
    }

    @Test func jwksAndDiscovery() async throws {
        let discovery =
            #"{"issuer":"http://hub.test/auth/realms/master","token_endpoint":"http://hub.test/auth/token","jwks_uri":"http://hub.test/auth/jwks","id_token_signing_alg_values_supported":["RS256"],"userinfo_endpoint":"http://hub.test/auth/userinfo"}"#
        let mock = MockTransport { request in
            switch request.target {
            case "/auth/jwks", "/auth/realms/my%20realm/jwks": .json(200, TestKey.jwkJSON)
            case "/auth/jwks/test-key": .json(200, #"{"kty":"RSA","kid":"test-key","n":"AQAB","e":"AQAB"}"#)
            case "/auth/.well-known/openid-configuration", "/auth/realms/master/.well-known/openid-configuration":
                .json(200, discovery)
            default: .json(404, #"{"code":"jwk_not_found","message":"The JWK was not found."}"#)
            }
        }
        let auth = client(mock)
        #expect(try await auth.jwks().keys.first?.kid == "test-key")
        #expect(try await auth.jwks(realm: "my realm").keys.count == 1)
        #expect(try await auth.jwk(id: "test-key")?.kty == "RSA")
        #expect(try await auth.jwk(id: "gone") == nil)
        let document = try await auth.openIDConfiguration()
        #expect(document.jwksUri == "http://hub.test/auth/jwks")
        #expect(document.idTokenSigningAlgValuesSupported == ["RS256"])
        #expect(try await auth.openIDConfiguration(realm: "master").issuer == "http://hub.test/auth/realms/master")
        #expect(mock.requests.allSatisfy { $0.bearer == nil })
    }

    /// authup beta.63 answers an expired bearer with 401 and `WWW-Authenticate`; older releases
    /// with 400 `expired_token`. Either renews the token once and replays the request.
    @Test(arguments: [401, 400])
    func expiredBearerRenewsAndReplays(status: Int) async throws {
        let tokens = Counter()
        let mock = MockTransport { request in
            if request.target == "/auth/token" {
                return .json(200, Fixture.token(tokens.increment() == 1 ? "A" : "B"))
            }
            if request.bearer == "A" {
                return .json(
                    status, #"{"code":"expired_token","message":"The JWT is expired."}"#,
                    headers: [
                        .wwwAuthenticate: #"Bearer error="invalid_token", error_description="The JWT is expired.""#
                    ])
            }
            return .json(200, Fixture.list([]))
        }
        let auth = PasswordAuth(username: "admin", password: "x", baseURL: Fixture.base)
        _ = try await Fixture.authClient(mock, auth: auth).realms.list()
        #expect(mock.requests.map(\.bearer) == [nil, "A", nil, "B"])
    }
}

@Suite("Local verification of Hub tokens (RS256 in Swift)")
struct HubTokenVerifierTests {
    @Test func acceptsAValidToken() async throws {
        let verifier = HubTokenVerifier(keys: try TestKey.keys, issuer: "http://hub.test/auth")
        let token = try await verifier.verify(TestKey.access)
        #expect(token.algorithm == "RS256" && token.keyId == "test-key")
        #expect(token.subject == Fixture.userID && token.subjectKind == "user" && token.realmName == "master")
        #expect(token.expiresAt == Date(timeIntervalSince1970: 4_102_444_800))
    }

    @Test func refusesTamperedTokens() async throws {
        let verifier = HubTokenVerifier(keys: try TestKey.keys)
        let parts = TestKey.access.split(separator: ".").map(String.init)
        // Another subject under the original signature.
        let claims = Self.base64URL(#"{"kind":"access_token","sub":"someone-else","exp":4102444800}"#)
        await expectRefusal(.badSignature) { try await verifier.verify(parts[0] + "." + claims + "." + parts[2]) }
        // One flipped signature bit.
        var signature = Array(parts[2])
        signature[10] = signature[10] == "A" ? "B" : "A"
        await expectRefusal(.badSignature) {
            try await verifier.verify(parts[0] + "." + parts[1] + "." + String(signature))
        }
        // `alg: none`.
        let none = Self.base64URL(#"{"alg":"none"}"#)
        await expectRefusal(.unsupportedAlgorithm) { try await verifier.verify(none + "." + parts[1] + ".") }
        await expectRefusal(.malformed) { try await verifier.verify("not-a-jwt") }
    }

    @Test func refusesExpiredRefreshAndWrongIssuer() async throws {
        let verifier = HubTokenVerifier(keys: try TestKey.keys)
        await expectRefusal(.expired) { try await verifier.verify(TestKey.expired) }
        await expectRefusal(.notAnAccessToken) { try await verifier.verify(TestKey.refresh) }
        let strict = HubTokenVerifier(keys: try TestKey.keys, issuer: "https://elsewhere")
        await expectRefusal(.wrongIssuer) { try await strict.verify(TestKey.access) }
        // Within the leeway an expired token still passes.
        let past = try await verifier.verify(TestKey.expired, at: Date(timeIntervalSince1970: 1_600_000_910))
        #expect(past.subjectKind == "client")
    }

    /// Keys are fetched once; an unknown `kid` does not refetch within 30 s of the last fetch.
    @Test func fetchesKeysOnce() async throws {
        let mock = MockTransport { _ in .json(200, TestKey.jwkJSON) }
        let verifier = Fixture.authClient(mock).tokenVerifier()
        for _ in 0..<3 { _ = try await verifier.verify(TestKey.access) }
        await expectRefusal(.unknownKey) { try await verifier.verify(TestKey.otherKid) }
        #expect(mock.requests.map(\.line) == ["GET /auth/jwks"])
    }

    @Test func sha256KnownAnswers() {
        // FIPS 180-2 appendix B.1 and B.2, and the empty message.
        #expect(HubTokenVerifierTests.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(HubTokenVerifierTests.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            HubTokenVerifierTests.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    static func base64URL(_ text: String) -> String {
        String(
            Data(text.utf8).base64EncodedString().compactMap {
                $0 == "=" ? nil : $0 == "+" ? "-" : $0 == "/" ? "_" : $0
            })
    }

    static func hex(_ text: String) -> String {
        SHA256Digest.hash(Array(text.utf8)).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    func expectRefusal(
        _ reason: TokenVerificationError.Reason, _ body: () async throws -> VerifiedToken,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        do {
            _ = try await body()
            Issue.record("expected \(reason)", sourceLocation: sourceLocation)
        } catch let error as TokenVerificationError {
            #expect(error.reason == reason, sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
        }
    }
}
