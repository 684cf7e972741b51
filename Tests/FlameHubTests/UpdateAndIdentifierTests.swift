import FlameHub
import FlameHubTesting
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

@Suite("Tri-state updates, create bodies and id handling")
struct UpdateAndIdentifierTests {
    static let nodeJSON = """
        {"data":{"id":"\(Fixture.userID)","name":"my-node","hidden":false,"externalName":null,"type":"default",\
        "realmId":"\(Fixture.realmID)","createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z"},"meta":{}}
        """

    func core(_ mock: MockTransport, _ dialect: HubDialect) -> CoreClient {
        CoreClient(
            context: HubContext(
                baseURL: "http://hub.test/core", service: .core, auth: "t", transport: mock, dialect: dialect))
    }

    @Test func guideUpdateNodeSendsOnlySetKeys() async throws {
        let mock = MockTransport { _ in .json(202, Self.nodeJSON) }
        let update = UpdateNode(hidden: false, externalName: nil, type: .unset)
        let node = try await core(mock, .current).nodes.update(Fixture.userID, update)
        #expect(node.type == .default)
        _ = try await core(mock, .legacy).nodes.update(Fixture.userID, update)
        let bodies = mock.requests.map { $0.bodyText ?? "" }
        #expect(bodies == [#"{"externalName":null,"hidden":false}"#, #"{"external_name":null,"hidden":false}"#])
        #expect(mock.requests.map(\.line) == Array(repeating: "POST /core/nodes/\(Fixture.userID)", count: 2))
    }

    @Test func patchLiteralsAndIDs() async throws {
        let mock = MockTransport { _ in .json(202, Fixture.enveloped(Fixture.realmCurrent())) }
        let client = Fixture.authClient(mock)
        _ = try await client.realms.update(Fixture.realmID, UpdateRealm(name: "renamed", description: .null))
        _ = try? await client.rolePermissions.update(
            Fixture.userID, UpdatePermissionAssignment(policyId: .id(Fixture.realmID), realmScope: .set(.ownOrNull)))
        let bodies = mock.requests.map { $0.bodyText ?? "" }
        #expect(bodies[0] == #"{"description":null,"name":"renamed"}"#)
        #expect(bodies[1] == #"{"policyId":"\#(Fixture.realmID)","realmScope":"ownOrNull"}"#)
    }

    @Test func createBodiesOmitNilAndAcceptModelsAsIDs() async throws {
        let mock = MockTransport { _ in .json(201, Fixture.realmLegacy()) }
        let client = Fixture.authClient(mock, dialect: .legacy)
        let realm = try await client.realms.create(CreateRealm(name: "my-realm"))
        _ = try? await client.userRoles.create(CreateUserRole(Fixture.userID, role: realm))
        _ = try? await client.permissions.create(CreatePermission(name: "p", realmId: nil))
        let bodies = mock.requests.map { $0.bodyText ?? "" }
        #expect(bodies[0] == #"{"name":"my-realm"}"#)
        #expect(bodies[1] == #"{"role_id":"\#(Fixture.realmID)","user_id":"\#(Fixture.userID)"}"#)
        #expect(bodies[2] == #"{"name":"p","realm_id":null}"#)
    }

    @Test func idsAsStringUUIDOrModel() async throws {
        let mock = MockTransport { _ in .json(200, Fixture.realmLegacy()) }
        let client = Fixture.authClient(mock, dialect: .legacy)
        let upper = Fixture.realmID.uppercased()
        let realm = try #require(try await client.realms.get(upper))
        _ = try await client.realms.get(realm.id)
        _ = try await client.realms.get(realm)
        #expect(
            Set(mock.requests.map { $0.target.split(separator: "?").first.map(String.init) ?? "" }) == [
                "/auth/realms/\(Fixture.realmID)"
            ])
    }

    @Test func malformedIDsFailBeforeSending() async throws {
        let mock = MockTransport { _ in .json(200, "{}") }
        let client = Fixture.authClient(mock)
        for call: @Sendable () async throws -> Void in [
            { _ = try await client.realms.get("master") },
            { try await client.users.delete("not-a-uuid") },
            { _ = try await client.roles.update("", UpdateRole(name: "x")) },
            { _ = try await client.userRoles.create(CreateUserRole("nope", role: Fixture.realmID)) },
        ] {
            let error = await #expect(throws: HubClientError.self) { try await call() }
            #expect(error?.code == .invalidIdentifier)
        }
        #expect(mock.requests.isEmpty)
    }

    @Test func generationSpecificOperations() async throws {
        let mock = MockTransport { _ in .json(202, "{}") }
        let current = Fixture.authClient(mock, dialect: .current)
        let legacy = Fixture.authClient(mock, dialect: .legacy)
        for call: @Sendable () async throws -> Void in [
            { _ = try await current.robots.list() },
            { _ = try await current.robotRoles.create(CreateRobotRole(Fixture.robotID, role: Fixture.realmID)) },
            {
                _ = try await legacy.userPermissions.update(
                    Fixture.userID, UpdatePermissionAssignment(realmScope: .set(.any)))
            },
        ] {
            let error = await #expect(throws: HubClientError.self) { try await call() }
            #expect(error?.code == .unsupportedByServer)
        }
        #expect(mock.requests.isEmpty)
    }

    @Test func modelMetadata() {
        #expect(Robot.optionalFields == ["secret"])
        #expect(User.optionalFields == ["email"])
        #expect(User.includableRelations == ["realm"])
        #expect(RolePermission.includableRelations == ["role", "permission"])
        #expect(Node.includableRelations == ["registryProject", "registry"])
        #expect(Realm.optionalFields.isEmpty)
    }
}

@Suite("Upsert and own-record endpoints")
struct ReplaceAndMeTests {
    @Test func replaceSendsPutWithTheCreateBody() async throws {
        let mock = MockTransport { _ in .json(202, Fixture.realmLegacy()) }
        let realm = try await Fixture.authClient(mock, dialect: .legacy).realms.replace(
            Fixture.realmID, CreateRealm(name: "master", displayName: "Master"))
        #expect(realm.name == "master")
        #expect(mock.requests.map(\.line) == ["PUT /auth/realms/\(Fixture.realmID)"])
        #expect(mock.requests.first?.bodyText == #"{"display_name":"Master","name":"master"}"#)
    }

    @Test func meReadsTheCallersRecord() async throws {
        let user = """
            {"data":{"id":"\(Fixture.userID)","name":"admin","realmId":"\(Fixture.realmID)",\
            "createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z"},"meta":{}}
            """
        let mock = MockTransport { _ in .json(200, user) }
        let client = Fixture.authClient(mock)
        #expect(try await client.users.me(fields: ["email"]).name == "admin")
        #expect(mock.requests.first?.target == "/auth/users/@me?fields=%2Bemail&include=realm")
        let legacy = Fixture.authClient(mock, dialect: .legacy)
        await #expect(throws: HubClientError.self) { try await legacy.clients.me() }
        await #expect(throws: HubClientError.self) { try await client.robots.me() }
        #expect(mock.requests.count == 1)
    }
}
