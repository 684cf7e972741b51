import FlameHub
import FlameHubTesting
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

/// The transitional generation (Hub 0.12.3–0.12.7 with authup 1.0.0-beta.54–56): detection from
/// the services' versions, and the request and record shapes of each service.
@Suite("Transitional generation: detection and wire shapes")
struct TransitionalGenerationTests {
    static let clientID = "5c2b7e0a-9d41-4f3e-8b6a-2a1c0d9e8f70"

    /// Hub 0.12.2 still ran authup beta.52, 0.12.3 beta.54, 0.12.4–0.12.7 beta.56, 0.13.0 beta.57
    /// (`apps/server-core/package.json` at each tag).
    @Test(arguments: [
        ("0.12.2", HubGeneration.legacy), ("0.12.3", .transitional), ("0.12.5", .transitional),
        ("v0.12.7", .transitional), ("0.13.0", .current),
    ])
    func hubVersionBoundaries(version: String, generation: HubGeneration) {
        let dialect = HubDialect.hub(version: version)
        #expect(dialect.generation == generation)
        #expect(dialect.keyCasing == (generation == .current ? .camelCase : .snakeCase))
        #expect(dialect.envelopesRecords == (generation == .current))
    }

    @Test(arguments: [
        ("1.0.0-beta.53", HubGeneration.legacy), ("1.0.0-beta.54", .transitional), ("1.0.0-beta.56", .transitional),
        ("1.0.0-beta.57", .current),
    ])
    func authupVersionBoundaries(version: String, generation: HubGeneration) {
        let dialect = HubDialect.auth(version: version)
        #expect(dialect.generation == generation)
        #expect(dialect.keyCasing == (generation == .legacy ? .snakeCase : .camelCase))
        #expect(dialect.filterGrammar == (generation == .current ? .rapiq2 : .rapiq09))
        #expect(!dialect.envelopesRecords || generation == .current)
    }

    @Test func perServiceFacts() {
        #expect(HubGeneration.allCases == [.legacy, .transitional, .current])
        #expect(HubGeneration.transitional.keyCasing(of: .auth) == .camelCase)
        #expect(HubGeneration.transitional.keyCasing(of: .core) == .snakeCase)
        #expect(HubGeneration.transitional.keyCasing(of: .storage) == .snakeCase)
        #expect(HubService.allCases.allSatisfy { !HubGeneration.transitional.envelopesRecords(of: $0) })
        #expect(HubGeneration.allCases.filter(\.hasRobots) == [.legacy])
        let auth = HubDialect(generation: .transitional, service: .auth)
        #expect(auth.keyCasing == .camelCase && auth.filterGrammar == .rapiq09 && !auth.envelopesRecords)
        #expect(HubDialect.transitional.keyCasing == .snakeCase && HubDialect.transitional.filterGrammar == .rapiq2)
    }

    @Test func detectedFromEachServicesRoot() async throws {
        let mock = MockTransport { request in
            switch request.target {
            case "/auth/": .json(200, #"{"version":"1.0.0-beta.56","timestamp":1}"#)
            default: .json(200, #"{"version":"0.12.7","timestamp":1}"#)
            }
        }
        let auth = HubContext(baseURL: Fixture.base, service: .auth, auth: nil, transport: mock, dialect: nil)
        let core = HubContext(
            baseURL: CoreFixture.coreBase, service: .core, auth: nil, transport: mock, dialect: nil)
        #expect(
            try await auth.dialect() == HubDialect(generation: .transitional, service: .auth, version: "1.0.0-beta.56"))
        #expect(try await core.dialect() == HubDialect(generation: .transitional, service: .core, version: "0.12.7"))
    }

    // MARK: authup beta.54–56: camelCase, bare records, clients, no robots

    @Test func authClientsAreCamelCaseBareRecords() async throws {
        let client = """
            {"id":"\(Self.clientID)","name":"node-1","builtIn":false,"displayName":null,"active":true,\
            "secretHashed":false,"realmId":"\(Fixture.realmID)","createdAt":"\(CoreFixture.time)",\
            "updatedAt":"\(CoreFixture.time)"}
            """
        let mock = MockTransport()
        mock.enqueue(.json(201, client), .json(200, client))
        let auth = Fixture.authClient(mock, dialect: HubDialect(generation: .transitional, service: .auth))
        let created = try await auth.clients.create(
            CreateClient(name: "node-1", realmId: AnyResourceID(Fixture.realmID)))
        #expect(created.realmId?.uuidString.lowercased() == Fixture.realmID)
        #expect(mock.requests[0].bodyText == #"{"name":"node-1","realmId":"\#(Fixture.realmID)"}"#)
        let read = try #require(try await auth.clients.get(created.id))
        #expect(read.active == true)
    }

    @Test func robotsAreRefusedBeforeSending() async throws {
        let mock = MockTransport { _ in .json(200, Fixture.list([])) }
        let auth = Fixture.authClient(mock, dialect: HubDialect(generation: .transitional, service: .auth))
        await #expect(throws: HubClientError.self) { _ = try await auth.robots.list() }
        #expect(mock.requests.isEmpty)
    }

    // MARK: Hub 0.12.3–0.12.7: snake_case, bare records, nodes and analyses with clients

    @Test func nodesReferToClients() async throws {
        let node = """
            {"id":"\(CoreFixture.nodeID)","name":"site-a","external_name":null,"public_key":null,"hidden":false,\
            "type":"default","online":false,"registry_id":null,"registry_project_id":null,\
            "client_id":"\(Self.clientID)","robot_id":"\(Self.clientID)","realm_id":"\(Fixture.realmID)",\
            "created_at":"\(CoreFixture.time)","updated_at":"\(CoreFixture.time)"}
            """
        let mock = MockTransport()
        mock.enqueue(.json(201, node))
        let core = CoreFixture.core(mock, .transitional)
        let created = try await core.nodes.create(
            CreateNode(name: "site-a", realmId: AnyResourceID(Fixture.realmID), clientId: AnyResourceID(Self.clientID)))
        #expect(created.clientId?.uuidString.lowercased() == Self.clientID)
        #expect(created.identityId == created.clientId)
        #expect(
            mock.requests[0].bodyText
                == #"{"client_id":"\#(Self.clientID)","name":"site-a","realm_id":"\#(Fixture.realmID)"}"#)
        // The validator of 0.12.x takes `client_id` only (`node/validator.ts` at `v0.12.7`).
        await #expect(throws: HubClientError.self) {
            _ = try await core.nodes.create(CreateNode(name: "site-b", robotId: AnyResourceID(Self.clientID)))
        }
        #expect(mock.requests.count == 1)
    }

    @Test func analysesDecodeTheirSnakeCaseRecord() async throws {
        let analysis = """
            {"id":"\(CoreFixture.analysisID)","name":"a1","display_name":"First","description":null,"nodes":1,\
            "nodes_approved":0,"configuration_locked":false,"build_status":null,"build_progress":null,\
            "execution_status":"executing","execution_progress":40,"image_command_arguments":[],\
            "registry_id":null,"client_id":"\(Self.clientID)","realm_id":"\(Fixture.realmID)",\
            "user_id":"\(Fixture.userID)","project_id":"\(CoreFixture.projectID)","master_image_id":null,\
            "created_at":"\(CoreFixture.time)","updated_at":"\(CoreFixture.time)"}
            """
        let mock = MockTransport()
        mock.enqueue(.json(200, analysis), .json(200, Fixture.list([])))
        let core = CoreFixture.core(mock, .transitional)
        let read = try #require(try await core.analyses.get(CoreFixture.analysisID))
        #expect(read.displayName == "First")
        #expect(read.executionStatus == .executing && read.executionProgress == 40)
        // Node events exist from 0.12.3 on (`analysis-node-event` controller at `v0.12.7`).
        _ = try await core.analysisNodeEvents.list()
        #expect(mock.requests.map(\.target).last?.hasPrefix("/core/analysis-node-events?") == true)
    }

    @Test func analysisQueriesUseSnakeCaseAndRapiq2() async throws {
        let mock = MockTransport { _ in .json(200, CoreFixture.emptyList) }
        let core = CoreFixture.core(mock, .transitional)
        _ = try await core.analyses.find(filter: [
            "projectId": .equals(CoreFixture.projectID), "name": .startsWith("a"),
        ])
        let target = try #require(mock.requests.first?.target)
        #expect(target.contains("filter%5Bproject_id%5D=\(CoreFixture.projectID)"))
        #expect(target.contains("filter%5Bname%5D=a~"))
    }

    // MARK: storage of 0.12.3–0.12.7: snake_case, bare records

    @Test func storageBucketsAreSnakeCase() async throws {
        let bucket = """
            {"id":"\(CoreFixture.bucketID)","name":"b1","region":null,"actor_type":"client",\
            "actor_id":"\(Self.clientID)","realm_id":"\(Fixture.realmID)","created_at":"\(CoreFixture.time)",\
            "updated_at":"\(CoreFixture.time)"}
            """
        let mock = MockTransport()
        mock.enqueue(.json(201, bucket))
        let storage = StorageClient(
            context: HubContext(
                baseURL: "http://hub.test/storage/", service: .storage, auth: StaticAuth("t"), transport: mock,
                dialect: .transitional))
        let created = try await storage.createBucket(CreateBucket(name: "b1", realmId: AnyResourceID(Fixture.realmID)))
        #expect(created.actorType == "client" && created.actorId?.uuidString.lowercased() == Self.clientID)
        #expect(mock.requests[0].bodyText == #"{"name":"b1","realm_id":"\#(Fixture.realmID)"}"#)
    }
}
