import FlameHub
import FlameHubEmulator
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

/// Typed policies and providers, permission policies, role mappings, the permission check,
/// bulk session and session-token deletion and the client logout URIs, through `CurlTransport`
/// against the emulator of each generation.
@Suite("authup policies, providers, checks and session tokens against the emulator")
struct AuthLinkIntegrationTests {
    func withHub(_ generation: HubGeneration, _ body: (AuthClient) async throws -> Void) async throws {
        let hub = try await HubEmulator.start(generation: generation)
        do {
            let url = hub.authURL.absoluteString
            try await body(
                AuthClient(baseURL: url, auth: PasswordAuth(username: "admin", password: "start123", baseURL: url)))
        } catch {
            await hub.stop()
            throw error
        }
        await hub.stop()
    }

    @Test(arguments: HubGeneration.allCases)
    func policiesProvidersAndTheirLinks(generation: HubGeneration) async throws {
        try await withHub(generation) { client in
            let composite = try await client.policies.create(
                CreatePolicy(name: "staff-only", rule: .composite(decisionStrategy: .affirmative)))
            let child = try await client.policies.create(
                CreatePolicy(
                    name: "staff-names", rule: .attributeNames(["name"]), parentId: AnyResourceID(composite)))
            #expect(child.parentId == composite.id && child.names == ["name"] && child.type == "attributeNames")
            let updated = try await client.policies.update(child, UpdatePolicy(displayName: "Staff names"))
            #expect(updated.displayName == "Staff names")
            #expect(try await client.policies.find(filter: ["parentId": .equals(composite.id)]).map(\.id) == [child.id])

            let permission = try #require(try await client.permissions.find(filter: ["name": "node_create"]).first)
            switch generation {
            case .legacy:
                await #expect(throws: HubClientError.self) { _ = try await client.permissionPolicies.list() }
            case .transitional, .current:
                let link = try await client.permissionPolicies.create(
                    CreatePermissionPolicy(permissionId: AnyResourceID(permission), policyId: AnyResourceID(composite)))
                #expect(link.permissionId == permission.id && link.policyId == composite.id)
                #expect(
                    try await client.permissionPolicies.find(filter: ["policyId": .equals(composite.id)]).count == 1)
                try await client.permissionPolicies.delete(link)
            }
            #expect(try await client.checkPermission("node_create").granted)
            #expect(try await client.checkPermission(permission.id.uuidString.lowercased()).granted)
            try await client.policies.delete(composite)
            #expect(try await client.policies.get(child) == nil)

            let provider = try await client.identityProviders.create(
                CreateIdentityProvider(
                    name: "corp-sso",
                    protocol: .oidc(
                        OAuth2ProviderSettings(
                            clientId: "hub", clientSecret: "provider-secret", tokenUrl: "https://idp.test/token",
                            authorizeUrl: "https://idp.test/authorize", scope: "openid email"))))
            #expect(provider.protocol == "oidc" && provider.tokenUrl == "https://idp.test/token")
            let directory = try await client.identityProviders.create(
                CreateIdentityProvider(
                    name: "corp-ldap",
                    protocol: .ldap(LDAPProviderSettings(url: "ldaps://ldap.test", baseDn: "dc=test", password: "pw"))))
            #expect(directory.baseDn == "dc=test")
            await #expect(throws: HubAPIError.self) {
                _ = try await client.identityProviders.create(
                    CreateIdentityProvider(
                        name: "broken",
                        protocol: .oauth2(
                            OAuth2ProviderSettings(clientId: "hub", tokenUrl: "not a url", authorizeUrl: "x"))))
            }
            let role = try await client.roles.create(CreateRole(name: "sso-users"))
            let mapping = try await client.identityProviderRoleMappings.create(
                CreateIdentityProviderRoleMapping(
                    providerId: AnyResourceID(provider), roleId: AnyResourceID(role), name: "groups", value: "hub"))
            #expect(mapping.providerId == provider.id && mapping.value == "hub")
            let changed = try await client.identityProviderRoleMappings.update(
                mapping, UpdateIdentityProviderRoleMapping(valueIsRegex: true))
            #expect(changed.valueIsRegex == true)
            try await client.identityProviders.delete(provider)
            #expect(try await client.identityProviderRoleMappings.get(mapping) == nil)
            switch generation {
            case .legacy, .transitional:
                await #expect(throws: HubClientError.self) { _ = try await client.identityProviderAccounts.list() }
            case .current:
                #expect(try await client.identityProviderAccounts.list().isEmpty)
            }
            #expect(
                try await client.scopes.replace(
                    try #require(try await client.scopes.find(filter: ["name": "email"]).first),
                    CreateScope(name: "email", displayName: "E-mail")
                ).displayName == "E-mail")
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func sessionsAndSessionTokens(generation: HubGeneration) async throws {
        try await withHub(generation) { client in
            _ = try await client.realms.list()
            switch generation {
            case .legacy:
                await #expect(throws: HubClientError.self) { _ = try await client.endSessions() }
                await #expect(throws: HubClientError.self) { _ = try await client.sessionTokens.list() }
            case .transitional, .current:
                // No other session of the admin: nothing ends, and this client's own goes on.
                #expect(try await client.endSessions() == 0)
                #expect(try await client.realms.find(filter: ["name": "master"]).count == 1)
                let session = try #require(try await client.sessions.list().first)
                if generation == .current {
                    let tokens = try await client.sessionTokens.find(filter: ["sessionId": .equals(session.id)])
                    #expect(Set(tokens.compactMap(\.kind)) == ["access", "refresh"])
                    await #expect(throws: HubAPIError.self) { _ = try await client.revokeSessionTokens(filter: [:]) }
                    let refresh = try #require(tokens.first { $0.kind == "refresh" })
                    #expect(try await client.revokeSessionTokens(filter: ["id": .equals(refresh.id)]) == 1)
                } else {
                    await #expect(throws: HubClientError.self) { _ = try await client.sessionTokens.list() }
                }
                // A forced log-out of the admin ends this client's session too; it logs in again.
                #expect(try await client.endSessions(filter: ["sub": .equals(session.sub ?? "")]) == 1)
                #expect(try await client.realms.find(filter: ["name": "master"]).count == 1)
            }
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func clientLogoutURIs(generation: HubGeneration) async throws {
        try await withHub(generation) { client in
            let created = try await client.clients.create(
                CreateClient(
                    name: "portal", redirectUri: "https://portal.test/cb",
                    postLogoutRedirectUri: "https://portal.test/bye",
                    backchannelLogoutUri: "https://portal.test/bc"))
            // authup has post-logout redirects from beta.54 on and back-channel logout in no release
            // up to beta.63: the server drops what it does not know.
            #expect(created.postLogoutRedirectUri == (generation == .legacy ? nil : "https://portal.test/bye"))
            #expect(created.backchannelLogoutUri == nil)
            let cleared = try await client.clients.update(created, UpdateClient(postLogoutRedirectUri: nil))
            #expect(cleared.postLogoutRedirectUri == nil)
        }
    }
}
