import FlameHub
import FlameHubTesting
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

/// authup's audit events, keys, trust anchors and consents on the mock: paths, bodies,
/// generations and the redacted private key.
@Suite("authup events, keys, trust anchors and consents: paths, bodies, generations")
struct AuthInfrastructureResourceTests {
    static let id = "6e1c8d6f-8b7c-4a6f-8b62-4a2e3d5c7b81"
    static let stamp = #""createdAt":"2026-05-12T09:44:08Z","updatedAt":"2026-05-12T09:44:08Z""#
    /// `privatePEM` as a JSON string's content.
    static let privatePEMJSON =
        #"-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----"#
    static let privatePEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----"

    @Test func eventsAreReadOnlyAndRealmScoped() async throws {
        let event = """
            {"id":"\(Self.id)","scope":"oauth2","name":"login","refType":"session","refId":"\(Fixture.userID)",\
            "clientId":null,"sessionId":"\(Fixture.userID)","actorType":"user","actorId":"\(Fixture.userID)",\
            "actorName":"admin","requestPath":"/token","requestMethod":"POST","requestIpAddress":"127.0.0.1",\
            "requestUserAgent":"curl","realmId":"\(Fixture.realmID)","data":{"grantType":"password"},\
            "expiring":true,"expiresAt":"2026-08-10T09:44:08Z","createdAt":"2026-05-12T09:44:08Z"}
            """
        let mock = MockTransport { request in
            .json(200, request.target.contains(Self.id) ? Fixture.enveloped(event) : Fixture.list([event]))
        }
        let auth = Fixture.authClient(mock, auth: "tok")
        let events = try await auth.events.find(filter: ["name": .equals("login")])
        #expect(events.first?.scope == "oauth2" && events.first?.data?["grantType"] == .string("password"))
        #expect(events.first?.actorName == "admin" && events.first?.expiring == true)
        let one = try #require(try await auth.events.get(Self.id))
        #expect(one.sessionId?.uuidString.lowercased() == Fixture.userID)
        _ = try await auth.inRealm("master").events.list()
        #expect(
            mock.requests[0].target.hasPrefix("/auth/events?") && mock.requests[0].target.contains("=login")
        )
        #expect(mock.requests[1].line == "GET /auth/events/\(Self.id)")
        #expect(mock.requests[2].target.hasPrefix("/auth/realms/master/events?"))
        let legacy = Fixture.authClient(mock, dialect: .legacy, auth: "tok")
        await #expect(throws: HubClientError.self) { _ = try await legacy.events.list() }
        #expect(mock.requests.count == 3)
    }

    @Test func keyBodiesAndTheRedactedPrivateKey() async throws {
        let record = """
            {"id":"\(Self.id)","name":"sig-rotated","type":"rsa","use":"sig","signatureAlgorithm":"RS256",\
            "priority":1,"status":"active","certificate":null,"decryptionKey":"\(Self.privatePEMJSON)",\
            "encryptionKey":"-----BEGIN PUBLIC KEY-----","realmId":"\(Fixture.realmID)",\(Self.stamp)}
            """
        let mock = MockTransport { _ in .json(201, Fixture.enveloped(record)) }
        let auth = Fixture.authClient(mock, auth: "tok")
        let body = CreateKey(use: "sig", name: "sig-rotated", decryptionKey: SecretString(Self.privatePEM))
        let key = try await auth.keys.create(body)
        #expect(key.type == "rsa" && key.priority == 1 && key.decryptionKey?.revealed == Self.privatePEM)
        // The private key goes over the wire, but never into a description, dump or log line.
        #expect(mock.requests[0].json?["decryptionKey"] == .string(Self.privatePEM))
        #expect(mock.requests[0].json?["use"] == .string("sig"))
        for text in [
            String(describing: key), String(reflecting: key), String(describing: body), String(reflecting: body),
        ] {
            #expect(!text.contains("PRIVATE KEY") && !text.contains("MIIEvQ"))
        }
        var dumped = ""
        dump(key, to: &dumped)
        #expect(!dumped.contains("MIIEvQ"))
        _ = try await auth.keys.update(key, UpdateKey(status: "passive"))
        #expect(mock.requests[1].line == "POST /auth/keys/\(Self.id)")
        #expect(mock.requests[1].json == ["status": .string("passive")])
        _ = try await auth.inRealm("master").keys.delete(key)
        #expect(mock.requests[2].line == "DELETE /auth/realms/master/keys/\(Self.id)")
        let older = Fixture.authClient(mock, dialect: .legacy, auth: "tok")
        await #expect(throws: HubClientError.self) { _ = try await older.keys.list() }
        #expect(mock.requests.count == 3)
    }

    @Test func trustAnchorsCRUD() async throws {
        let record = """
            {"id":"\(Self.id)","name":"corp-ca","certificate":"-----BEGIN CERTIFICATE-----","enabled":true,\
            "realmId":"\(Fixture.realmID)",\(Self.stamp)}
            """
        let mock = MockTransport { request in
            request.target.hasPrefix("/auth/trust-anchors?")
                ? .json(200, Fixture.list([record])) : .json(200, Fixture.enveloped(record))
        }
        let auth = Fixture.authClient(mock, auth: "tok")
        let anchor = try await auth.trustAnchors.create(
            CreateTrustAnchor(name: "corp-ca", certificate: "-----BEGIN CERTIFICATE-----", enabled: false))
        #expect(anchor.name == "corp-ca" && anchor.enabled == true)
        #expect(
            mock.requests[0].json == [
                "name": .string("corp-ca"), "certificate": .string("-----BEGIN CERTIFICATE-----"),
                "enabled": .bool(false),
            ])
        _ = try await auth.trustAnchors.update(anchor, UpdateTrustAnchor(enabled: true))
        _ = try await auth.trustAnchors.get(Self.id)
        _ = try await auth.trustAnchors.delete(anchor)
        #expect(
            mock.requests.map(\.line) == [
                "POST /auth/trust-anchors", "POST /auth/trust-anchors/\(Self.id)", "GET /auth/trust-anchors/\(Self.id)",
                "DELETE /auth/trust-anchors/\(Self.id)",
            ])
        #expect(mock.requests[1].json == ["enabled": .bool(true)])
        let transitional = Fixture.authClient(mock, dialect: .transitional, auth: "tok")
        #expect(try await transitional.trustAnchors.list().first?.certificate == "-----BEGIN CERTIFICATE-----")
        #expect(mock.requests[4].target.hasPrefix("/auth/trust-anchors?"))
    }

    @Test func consentsListGetDelete() async throws {
        let consent = """
            {"id":"\(Self.id)","sub":"\(Fixture.userID)","subKind":"user","scope":"openid","expiresAt":null,\
            "clientId":"\(Fixture.robotID)","realmId":"\(Fixture.realmID)","userId":"\(Fixture.userID)",\(Self.stamp)}
            """
        let mock = MockTransport { request in
            request.request.method == .get && !request.target.contains(Self.id)
                ? .json(200, Fixture.list([consent])) : .json(200, Fixture.enveloped(consent))
        }
        let auth = Fixture.authClient(mock, auth: "tok")
        let consents = try await auth.consents.find(filter: ["subKind": .equals("user")])
        let first = try #require(consents.first)
        #expect(first.scope == "openid" && first.expiresAt == nil && first.userId != nil)
        _ = try await auth.consents.get(first)
        _ = try await auth.inRealm("master").consents.delete(first)
        #expect(mock.requests[1].line == "GET /auth/consents/\(Self.id)")
        #expect(mock.requests[2].line == "DELETE /auth/realms/master/consents/\(Self.id)")
        let legacy = Fixture.authClient(mock, dialect: .legacy, auth: "tok")
        await #expect(throws: HubClientError.self) { _ = try await legacy.consents.list() }
    }

    @Test func expandedPolicyAndPolicyCheck() async throws {
        let child = #"{"id":"\#(Fixture.userID)","name":"staff","type":"identity","parentId":"\#(Self.id)"}"#
        let tree = #"{"id":"\#(Self.id)","name":"any","type":"composite","children":[\#(child)]}"#
        let mock = MockTransport { request in
            request.target.hasSuffix("/check")
                ? .json(202, #"{"status":"error","data":{"code":"policy_evaluation_denied","message":"no"}}"#)
                : .json(200, tree)
        }
        let legacy = Fixture.authClient(mock, dialect: .legacy, auth: "tok")
        let policy = try #require(try await legacy.expandedPolicy(Self.id))
        #expect(
            policy.children?.first?.name == "staff"
                && policy.children?.first?.parentId?.uuidString.lowercased() == Self.id)
        let result = try await legacy.checkPolicy("any", data: ["attributes": .object(["name": .string("x")])])
        #expect(!result.granted && result.data?["code"] == .string("policy_evaluation_denied"))
        #expect(
            mock.requests.map(\.line) == ["GET /auth/policies/\(Self.id)/expanded", "POST /auth/policies/any/check"])
        #expect(mock.requests[1].json == ["attributes": .object(["name": .string("x")])])
        let scoped = try await Fixture.authClient(mock, auth: "tok").inRealm("master")
        _ = try await scoped.checkPolicy(Self.id)
        #expect(mock.requests[2].line == "POST /auth/realms/master/policies/\(Self.id)/check")
    }
}
