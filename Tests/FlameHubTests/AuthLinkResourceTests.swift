import FlameHub
import FlameHubTesting
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

/// The rest of authup on the mock: typed policy and identity-provider bodies, `PUT /scopes`,
/// the permission check, bulk session and session-token deletion, session tokens.
@Suite("authup policies, providers, checks and session tokens: paths, bodies, generations")
struct AuthLinkResourceTests {
    static let id = "5d0b7c5e-7a6b-4f5e-9a51-3f1d2c4b6a70"
    static let stamp = #""createdAt":"2025-05-12T09:44:08Z","updatedAt":"2025-05-12T09:44:08Z""#

    func recording(_ status: Int = 201, _ body: String) -> MockTransport {
        MockTransport { _ in .json(status, body) }
    }

    @Test func policyBodiesCarryTheirTypeAndSettings() async throws {
        let record = #"{"id":"\#(Self.id)","name":"office-hours","type":"time","start":"08:00",\#(Self.stamp)}"#
        let mock = recording(201, Fixture.enveloped(record))
        let auth = Fixture.authClient(mock, auth: "tok")
        let policy = try await auth.policies.create(
            CreatePolicy(name: "office-hours", rule: .time(start: "08:00", end: "18:00", interval: "daily")))
        #expect(policy.type == "time" && policy.start == "08:00")
        #expect(
            mock.requests[0].json == [
                "name": .string("office-hours"), "type": .string("time"), "start": .string("08:00"),
                "end": .string("18:00"), "interval": .string("daily"),
            ])
        _ = try await auth.policies.create(
            CreatePolicy(
                name: "staff", rule: .attributeNames(["name", "realmId"]), invert: true,
                parentId: AnyResourceID(Self.id)))
        #expect(
            mock.requests[1].json == [
                "name": .string("staff"), "type": .string("attributeNames"),
                "names": .array([.string("name"), .string("realmId")]), "invert": .bool(true),
                "parentId": .string(Self.id),
            ])
        _ = try await auth.policies.create(CreatePolicy(name: "bound", rule: .permissionBinding))
        #expect(mock.requests[2].json == ["name": .string("bound"), "type": .string("permissionBinding")])
        _ = try await auth.policies.update(policy, UpdatePolicy(displayName: nil, rule: .date(start: nil, end: "2030")))
        #expect(mock.requests[3].line == "POST /auth/policies/\(Self.id)")
        #expect(mock.requests[3].json == ["displayName": .null, "type": .string("date"), "end": .string("2030")])
    }

    /// Legacy (beta.26) spells the shared keys in snake_case, like every other body.
    @Test func legacyPolicyKeysAreSnakeCase() async throws {
        let record = #"{"id":"\#(Self.id)","name":"realm","type":"realmMatch"}"#
        let mock = recording(201, record)
        let auth = Fixture.authClient(mock, dialect: .legacy, auth: "tok")
        _ = try await auth.policies.create(
            CreatePolicy(
                name: "realm", rule: .realmMatch(attributeName: ["realmId"], strict: true),
                realmId: AnyResourceID(Fixture.realmID)))
        let keys = Set(mock.requests[0].json?.keys.map { $0 } ?? [])
        #expect(keys == ["name", "type", "realm_id", "attribute_name", "attribute_name_strict"])
    }

    @Test(arguments: ["oauth2", "oidc", "ldap"])
    func identityProviderBodiesPerProtocol(protocolName: String) async throws {
        let record =
            #"{"id":"\#(Self.id)","name":"corp","protocol":"\#(protocolName)","realmId":"\#(Fixture.realmID)"}"#
        let mock = recording(201, Fixture.enveloped(record))
        let auth = Fixture.authClient(mock, auth: "tok")
        let oauth = OAuth2ProviderSettings(
            clientId: "hub", clientSecret: "s3cret-value", tokenUrl: "https://idp.test/token",
            authorizeUrl: "https://idp.test/authorize")
        let settings: IdentityProviderProtocolSettings =
            switch protocolName {
            case "oauth2": .oauth2(oauth)
            case "oidc": .oidc(oauth)
            default: .ldap(LDAPProviderSettings(url: "ldaps://ldap.test", baseDn: "dc=test", password: "bind-pw"))
            }
        let provider = try await auth.identityProviders.create(CreateIdentityProvider(name: "corp", protocol: settings))
        #expect(provider.protocol == protocolName)
        let body = try #require(mock.requests[0].json)
        #expect(body["protocol"] == .string(protocolName) && body["name"] == .string("corp"))
        if protocolName == "ldap" {
            #expect(body["url"] == .string("ldaps://ldap.test") && body["baseDn"] == .string("dc=test"))
            #expect(body["password"] == .string("bind-pw") && body["clientId"] == nil)
        } else {
            #expect(body["clientId"] == .string("hub") && body["clientSecret"] == .string("s3cret-value"))
            #expect(body["tokenUrl"] == .string("https://idp.test/token") && body["url"] == nil)
        }
        // The secrets never show in a description of the body.
        #expect(!String(describing: CreateIdentityProvider(name: "corp", protocol: settings)).contains("s3cret-value"))
        #expect(!String(describing: CreateIdentityProvider(name: "corp", protocol: settings)).contains("bind-pw"))
    }

    @Test func scopesAreReplaceable() async throws {
        let record = #"{"id":"\#(Self.id)","name":"results","builtIn":false,"realmId":null,\#(Self.stamp)}"#
        let mock = recording(201, Fixture.enveloped(record))
        let auth = Fixture.authClient(mock, auth: "tok")
        _ = try await auth.scopes.replace(Self.id, CreateScope(name: "results"))
        #expect(mock.requests[0].line == "PUT /auth/scopes/\(Self.id)")
    }

    @Test func permissionCheckAnswersGrantedOrNot() async throws {
        let mock = MockTransport { request in
            request.target.contains("node_create")
                ? .json(202, #"{"status":"success"}"#)
                : .json(202, #"{"status":"error","data":{"code":"permission_denied","message":"no"}}"#)
        }
        let auth = Fixture.authClient(mock, auth: "tok")
        #expect(try await auth.checkPermission("node_create").granted)
        let refused = try await auth.checkPermission(
            "realm_delete", data: ["attributes": .object(["name": .string("x")])])
        #expect(!refused.granted && refused.data?["code"] == .string("permission_denied"))
        #expect(
            mock.requests.map(\.line) == [
                "POST /auth/permissions/node_create/check", "POST /auth/permissions/realm_delete/check",
            ])
        #expect(mock.requests[1].json == ["attributes": .object(["name": .string("x")])])
    }

    @Test func bulkDeletionsSendTheFilterAndReadTheCount() async throws {
        let mock = MockTransport { _ in .json(202, #"{"count":3}"#) }
        let auth = Fixture.authClient(mock, auth: "tok")
        #expect(try await auth.endSessions() == 3)
        #expect(try await auth.endSessions(filter: ["userId": .equals(Fixture.userID)]) == 3)
        #expect(try await auth.revokeSessionTokens(filter: ["clientId": .equals(Fixture.robotID)]) == 3)
        let targets = mock.requests.map { $0.line.removingPercentEncodingForTest }
        #expect(
            targets == [
                "DELETE /auth/sessions", "DELETE /auth/sessions?filter[userId]=\(Fixture.userID)",
                "DELETE /auth/session-tokens?filter[clientId]=\(Fixture.robotID)",
            ])
    }

    @Test func sessionTokensExistOnCurrentServersOnly() async throws {
        let token = """
            {"id":"\(Self.id)","sessionId":"\(Fixture.userID)","clientId":null,"kind":"refresh","parentId":null,\
            "refreshTokenId":null,"ipAddress":"127.0.0.1","userAgent":"x","consumedAt":null,"revokedAt":null,\
            "expiresAt":"2025-05-12T10:44:08Z","createdAt":"2025-05-12T09:44:08Z"}
            """
        let mock = MockTransport { _ in .json(200, Fixture.list([token])) }
        let current = Fixture.authClient(mock, auth: "tok")
        let tokens = try await current.sessionTokens.find(filter: ["sessionId": .equals(Fixture.userID)])
        #expect(tokens.first?.kind == "refresh" && tokens.first?.sessionId.uuidString.lowercased() == Fixture.userID)
        for dialect in [HubDialect.legacy, .transitional] {
            let older = Fixture.authClient(mock, dialect: dialect, auth: "tok")
            await #expect(throws: HubClientError.self) { _ = try await older.sessionTokens.list() }
            await #expect(throws: HubClientError.self) {
                _ = try await older.revokeSessionTokens(filter: ["id": .equals(Self.id)])
            }
        }
        let legacy = Fixture.authClient(mock, dialect: .legacy, auth: "tok")
        await #expect(throws: HubClientError.self) { _ = try await legacy.endSessions() }
        #expect(mock.requests.count == 1)
    }
}

@Suite("Typed authup bodies from flat JSON (the CLI's --set fields)")
struct AuthTypedBodyDecodingTests {
    @Test func policyAndProviderBodiesRoundTrip() throws {
        let time = CreatePolicy(name: "hours", rule: .time(start: "08:00", end: "18:00", dayOfWeek: 1), invert: true)
        let decoded = try JSONDecoder().decode(CreatePolicy.self, from: JSONEncoder().encode(time))
        #expect(decoded == time)
        let provider = CreateIdentityProvider(
            name: "dir", protocol: .ldap(LDAPProviderSettings(url: "ldaps://l.test", baseDn: "dc=t", password: "pw")))
        #expect(try JSONDecoder().decode(CreateIdentityProvider.self, from: JSONEncoder().encode(provider)) == provider)
        let unknown = Data(#"{"name":"x","type":"weather"}"#.utf8)
        #expect(throws: DecodingError.self) { _ = try JSONDecoder().decode(CreatePolicy.self, from: unknown) }
    }
}
