import FlameHub
import FlameHubTesting
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

@Suite("authup's further entities: paths, bodies, generations, realm-scoped routes")
struct AuthEntityResourceTests {
    static let scopeID = "5d0b7c5e-7a6b-4f5e-9a51-3f1d2c4b6a70"
    static let stamp = #""createdAt":"2025-05-12T09:44:08Z","updatedAt":"2025-05-12T09:44:08Z""#

    func mock(_ record: String) -> MockTransport {
        MockTransport { request in
            request.request.method == .get && !(request.target.contains(Self.scopeID))
                ? .json(200, Fixture.list([record])) : .json(201, Fixture.enveloped(record))
        }
    }

    @Test func scopeCreateUpdateAndList() async throws {
        let scope = #"{"id":"\#(Self.scopeID)","name":"node-results","builtIn":false,"realmId":null,\#(Self.stamp)}"#
        let mock = mock(scope)
        let client = Fixture.authClient(mock, auth: "tok")
        let created = try await client.scopes.create(CreateScope(name: "node-results", displayName: "Node results"))
        #expect(created.name == "node-results" && created.realmId == nil)
        _ = try await client.scopes.update(created, UpdateScope(description: nil))
        #expect(try await client.scopes.list().map(\.name) == ["node-results"])
        #expect(
            mock.requests.map { $0.line.split(separator: "?").first.map(String.init) ?? "" } == [
                "POST /auth/scopes", "POST /auth/scopes/\(Self.scopeID)", "GET /auth/scopes",
            ])
        #expect(mock.requests[0].json == ["name": .string("node-results"), "displayName": .string("Node results")])
        #expect(mock.requests[1].json == ["description": .null])
    }

    /// `default` is a Swift keyword: the body and the record spell it `isDefault`.
    @Test(arguments: [HubDialect.legacy, .current])
    func clientScopeDefaultKey(dialect: HubDialect) async throws {
        let record =
            #"{"id":"\#(Self.scopeID)","default":true,"client_id":"\#(Fixture.userID)","scope_id":"\#(Fixture.realmID)"}"#
        let mock = mock(record)
        let client = Fixture.authClient(mock, dialect: dialect, auth: "tok")
        let grant = try await client.clientScopes.create(
            CreateClientScope(
                clientId: AnyResourceID(Fixture.userID), scopeId: AnyResourceID(Fixture.realmID), isDefault: true))
        #expect(grant.isDefault == true && grant.createdAt == nil)
        let keys = Set(mock.requests[0].json?.keys.map { $0 } ?? [])
        #expect(
            keys
                == (dialect.generation == .legacy
                    ? ["client_id", "scope_id", "default"] : ["clientId", "scopeId", "default"]))
    }

    @Test func attributesSendTheirOwnerAndValue() async throws {
        let record =
            #"{"id":"\#(Self.scopeID)","name":"station","value":"berlin","userId":"\#(Fixture.userID)","roleId":"\#(Fixture.realmID)"}"#
        let mock = mock(record)
        let client = Fixture.authClient(mock, auth: "tok")
        let attribute = try await client.userAttributes.create(CreateUserAttribute(name: "station", value: "berlin"))
        #expect(attribute.value == "berlin")
        #expect(mock.requests[0].json == ["name": .string("station"), "value": .string("berlin")])
        _ = try await client.roleAttributes.update(attribute, UpdateAttribute(value: "hamburg"))
        #expect(mock.requests[1].line == "POST /auth/role-attributes/\(Self.scopeID)")
    }

    /// Sessions, permission policies and identity-provider accounts exist from authup beta.53
    /// (accounts from beta.62); legacy clients refuse before sending.
    @Test func newerEntitiesAreRefusedOnLegacyServers() async throws {
        let mock = MockTransport { _ in .json(200, Fixture.list([])) }
        let legacy = Fixture.authClient(mock, dialect: .legacy, auth: "tok")
        await #expect(throws: HubClientError.self) { _ = try await legacy.sessions.list() }
        await #expect(throws: HubClientError.self) { _ = try await legacy.permissionPolicies.list() }
        await #expect(throws: HubClientError.self) { _ = try await legacy.identityProviderAccounts.list() }
        await #expect(throws: HubClientError.self) { _ = try await legacy.inRealm("master") }
        #expect(mock.requests.isEmpty)
        let current = Fixture.authClient(mock, dialect: .current, auth: "tok")
        _ = try await current.sessions.list()
        _ = try await current.policies.list()
        _ = try await current.identityProviderRoleMappings.list()
        #expect(
            mock.requests.map { $0.target.split(separator: "?").first.map(String.init) ?? "" } == [
                "/auth/sessions", "/auth/policies", "/auth/identity-provider-role-mappings",
            ])
    }

    @Test func realmScopedRoutes() async throws {
        let mock = MockTransport { _ in .json(200, Fixture.list([])) }
        let client = Fixture.authClient(mock, dialect: .current, auth: "tok")
        let scoped = try await client.inRealm("my realm")
        _ = try await scoped.users.list()
        _ = try await scoped.sessions.list()
        #expect(mock.requests.map(\.bearer) == ["tok", "tok"])
        #expect(mock.requests[0].target.hasPrefix("/auth/realms/my%20realm/users?"))
        #expect(mock.requests[1].target.hasPrefix("/auth/realms/my%20realm/sessions?"))
    }
}
