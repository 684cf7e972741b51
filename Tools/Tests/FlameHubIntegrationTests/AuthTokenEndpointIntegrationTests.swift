import FlameHub
import FlameHubEmulator
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

/// The token endpoints, local token verification and the further authup entities, through
/// `CurlTransport` against the emulator of each generation.
@Suite("authup token endpoints and further entities against the emulator")
struct AuthTokenEndpointIntegrationTests {
    func withHub(
        _ generation: HubGeneration, configuration: HubEmulator.Configuration = .init(),
        _ body: (HubEmulator, AuthClient, PasswordAuth) async throws -> Void
    ) async throws {
        let hub = try await HubEmulator.start(generation: generation, configuration: configuration)
        do {
            let url = hub.authURL.absoluteString
            let auth = PasswordAuth(username: "admin", password: "start123", baseURL: url)
            try await body(hub, AuthClient(baseURL: url, auth: auth), auth)
        } catch {
            await hub.stop()
            throw error
        }
        await hub.stop()
    }

    @Test(arguments: HubGeneration.allCases)
    func introspectAndRevoke(generation: HubGeneration) async throws {
        try await withHub(generation) { _, client, auth in
            let token = try await auth.accessToken(using: client.context.transport)
            let info = try await client.introspect(token)
            #expect(info.active)
            #expect(info.subjectKind == "user" && info.realmName == "master")
            #expect(info.permissions.contains { $0.name == "realm_create" })

            try await client.revoke(token)
            let after = try await client.introspect(token)
            #expect(!after.active)
            switch generation {
            case .legacy, .transitional: #expect(after.inactiveReason == "inactive_token")
            case .current:
                // beta.63 still names the subject of a token it issued.
                #expect(after.inactiveReason == nil && after.subjectKind == "user")
            }
            // A token authup never issued: inactive, and revoking it succeeds, on every release.
            #expect(try await client.introspect("garbage").active == false)
            try await client.revoke("garbage")
            // The client's own requests renew the revoked token (400 or 401) and carry on.
            #expect(try await client.realms.find(filter: ["name": "master"]).count == 1)
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func userInfoDiscoveryAndLocalVerification(generation: HubGeneration) async throws {
        try await withHub(generation) { _, client, auth in
            let me = try await client.userInfo()
            #expect(me.name == "admin" && me.email == "admin@example.com")

            let discovery = try await client.openIDConfiguration()
            #expect(discovery.jwksUri?.hasSuffix("/jwks") == true)
            #expect(discovery.introspectionEndpoint?.hasSuffix("/token/introspect") == true)
            let keys = try await client.jwks()
            let key = try #require(keys.keys.first)
            #expect(key.kty == "RSA" && key.alg == "RS256")
            #expect(try await client.jwk(id: key.kid ?? "") == key)
            #expect(try await client.jwk(id: "no-such-key") == nil)

            let token = try await auth.accessToken(using: client.context.transport)
            let verified = try await client.tokenVerifier().verify(token)
            #expect(verified.subjectKind == "user" && verified.realmName == "master")
            #expect(verified.keyId == key.kid)
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func scopesAndAttributes(generation: HubGeneration) async throws {
        try await withHub(generation) { _, client, _ in
            let builtIn = try await client.scopes.list()
            #expect(Set(builtIn.map(\.name)) == ["global", "openid", "email", "roles", "identity"])
            let scope = try await client.scopes.create(CreateScope(name: "node-results", displayName: "Node results"))
            let renamed = try await client.scopes.update(scope, UpdateScope(description: "Results of nodes"))
            #expect(renamed.description == "Results of nodes")

            let machine: UUID
            switch generation {
            case .legacy:
                machine = try await client.clients.create(CreateClient(name: "node-one")).id
            case .transitional, .current:
                machine = try #require(try await client.clients.find(filter: ["name": "system"]).first).id
            }
            let grant = try await client.clientScopes.create(
                CreateClientScope(clientId: AnyResourceID(machine), scopeId: AnyResourceID(scope), isDefault: true))
            #expect(grant.isDefault == true && grant.scopeId == scope.id)
            #expect(
                try await client.clientScopes.find(filter: ["clientId": .equals(machine)]).map(\.scopeId) == [scope.id])
            try await client.clientScopes.delete(grant)

            let role = try #require(try await client.roles.find(filter: ["name": "admin"]).first)
            let attribute = try await client.roleAttributes.create(
                CreateRoleAttribute(name: "node-type", roleId: AnyResourceID(role), value: "default"))
            #expect(attribute.roleId == role.id && attribute.value == "default")
            #expect(try await client.roleAttributes.update(attribute, UpdateAttribute(value: nil)).value == nil)
            let admin = try await client.users.me()
            let own = try await client.userAttributes.create(CreateUserAttribute(name: "station", value: "berlin"))
            #expect(own.userId == admin.id)
            try await client.userAttributes.delete(own)
            #expect(try await client.userAttributes.get(own) == nil)

            #expect(try await client.policies.list().isEmpty)
            #expect(try await client.identityProviders.list().isEmpty)
            switch generation {
            case .legacy:
                await #expect(throws: HubClientError.self) { _ = try await client.sessions.list() }
                await #expect(throws: HubClientError.self) { _ = try await client.inRealm("master") }
            case .transitional, .current:
                let scoped = try await client.inRealm("master")
                #expect(try await scoped.users.find(filter: ["name": "admin"]).count == 1)
            }
        }
    }

    /// A log-in opens a session (current servers); deleting it ends its tokens, and the client
    /// logs in afresh.
    @Test func sessionsEndTheirTokens() async throws {
        try await withHub(.current) { _, client, auth in
            let token = try await auth.accessToken(using: client.context.transport)
            let me = try await client.users.me()
            let sessions = try await client.sessions.find(filter: ["userId": .equals(me.id)])
            let session = try #require(sessions.first)
            #expect(session.subKind == "user" && session.sub == me.id.uuidString.lowercased())
            let claims = try await client.introspect(token)
            #expect(claims.claims["session_id"]?.stringValue == session.id.uuidString.lowercased())
            try await client.sessions.delete(session)
            #expect(try await client.introspect(token).active == false)
            #expect(try await client.sessions.list().count >= 1)
        }
    }

    /// Legacy authup reports an hour whatever the lifetime, so its expired token is only noticed
    /// by the 400 `expired_token`, which renews it; current servers' 2 s lifetime is renewed
    /// before it ends. Either way the request after the lifetime succeeds with a new token.
    /// (5 s, not 1 or 2: `exp` counts whole seconds, and a renewed token must outlive the stall
    /// of a loaded CI machine between its issue and the replay; 2 s did not in a full run.)
    @Test(arguments: HubGeneration.allCases)
    func expiredBearerIsRenewed(generation: HubGeneration) async throws {
        try await withHub(generation, configuration: .init(accessTokenLifetime: .seconds(5))) { _, client, auth in
            let first = try await auth.accessToken(using: client.context.transport)
            try await Task.sleep(for: .milliseconds(5_200))
            #expect(try await client.realms.find(filter: ["name": "master"]).count == 1)
            #expect(try await auth.accessToken(using: client.context.transport) != first)
        }
    }
}
