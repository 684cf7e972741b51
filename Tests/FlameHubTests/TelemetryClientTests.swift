import FlameHub
import FlameHubTesting
import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `TelemetryClient` (events, logs) and the core/storage routes added with it: registry hooks,
/// bucket updates, `Analysis.distributionNodesValid`.
@Suite("TelemetryClient and core extras")
struct TelemetryClientTests {
    static let eventID = "5b0c7e1a-9d3f-4e2b-8a6c-1d2e3f4a5b6c"

    static func telemetry(_ mock: MockTransport, _ dialect: HubDialect) -> TelemetryClient {
        TelemetryClient(
            context: HubContext(
                baseURL: "http://hub.test/telemetry/", service: .telemetry, auth: StaticAuth("t"), transport: mock,
                dialect: dialect))
    }

    static func event(snake: Bool) -> String {
        snake
            ? """
            {"id":"\(eventID)","ref_type":"analysis","ref_id":"\(CoreFixture.analysisID)","scope":"build",\
            "name":"started","data":{"diff":{"name":{"next":"b"}}},"expiring":false,"realm_id":"\(Fixture.realmID)",\
            "expires_at":null,"created_at":"\(CoreFixture.time)","updated_at":"\(CoreFixture.time)"}
            """
            : """
            {"id":"\(eventID)","refType":"analysis","refId":"\(CoreFixture.analysisID)","scope":"build",\
            "name":"started","data":{"diff":{"name":{"next":"b"}}},"expiring":false,"realmId":"\(Fixture.realmID)",\
            "expiresAt":null,"createdAt":"\(CoreFixture.time)","updatedAt":"\(CoreFixture.time)"}
            """
    }

    @Test(arguments: [HubDialect.transitional, .current])
    func eventsAreCreatedReadAndDeleted(dialect: HubDialect) async throws {
        let snake = dialect.keyCasing == .snakeCase
        let record = Self.event(snake: snake)
        let mock = MockTransport()
        mock.enqueue(
            .json(201, dialect.envelopesRecords ? CoreFixture.enveloped(record) : record),
            .json(200, Fixture.list([record])), .json(202, record))
        let telemetry = Self.telemetry(mock, dialect)
        let created = try await telemetry.createEvent(
            CreateTelemetryEvent(
                refType: "analysis", refId: AnyResourceID(CoreFixture.analysisID), scope: "build", name: "started",
                data: ["my_key": .string("v")]))
        #expect(created.refType == "analysis")
        #expect(created.data?["diff"] != nil)
        let found = try await telemetry.findEvents(filter: ["refType": .equals("analysis")])
        #expect(found.first?.scope == "build")
        try await telemetry.deleteTelemetryEvent(created)
        let ref = snake ? "ref_type" : "refType"
        #expect(
            mock.requests.map(\.line) == [
                "POST /telemetry/events",
                "GET /telemetry/events?page%5Blimit%5D=50&page%5Boffset%5D=0&filter%5B\(ref)%5D=analysis",
                "DELETE /telemetry/events/\(Self.eventID)",
            ])
        // Top-level keys in the Hub's casing, `data` keys as the caller wrote them.
        let refID = snake ? "ref_id" : "refId"
        #expect(
            mock.requests[0].bodyText == """
                {"data":{"my_key":"v"},"name":"started","\(refID)":"\(CoreFixture.analysisID)","\(ref)":"analysis",\
                "scope":"build"}
                """)
    }

    @Test func logsAreWrittenReadAndDeletedByLabel() async throws {
        let line = """
            {"time":"\(CoreFixture.time)","level":"warn","channel":"system","service":"my-node",\
            "message":"disk low","labels":{"node_id":"n1","refType":"node"}}
            """
        let mock = MockTransport()
        mock.enqueue(
            .json(201, line), .json(200, Fixture.list([line], limit: 100)), .json(202, "null"))
        // Transitional: snake_case Hub, but log bodies and label names go out unchanged.
        let telemetry = Self.telemetry(mock, .transitional)
        let created = try await telemetry.createLog(
            CreateLog(
                message: "disk low", level: .warning, service: "my-node", channel: .system,
                labels: ["node_id": "n1", "refType": "node"]))
        #expect(created.level == .warning)
        let found = try await telemetry.findLogs(labels: ["node_id": "n1"], page: Page(limit: 100))
        #expect(found.first?.message == "disk low")
        try await telemetry.deleteLogs(labels: ["refType": "node", "node_id": "n1"])
        #expect(
            mock.requests.map(\.line) == [
                "POST /telemetry/logs",
                "GET /telemetry/logs?page%5Blimit%5D=100&page%5Boffset%5D=0&filter%5Bnode_id%5D=n1",
                "DELETE /telemetry/logs?filter%5Bnode_id%5D=n1&filter%5BrefType%5D=node",
            ])
        #expect(
            mock.requests[0].bodyText == """
                {"channel":"system","labels":{"node_id":"n1","refType":"node"},"level":"warn","message":"disk low",\
                "service":"my-node"}
                """)
    }

    @Test func legacyHubsHaveNoTelemetry() async throws {
        let mock = MockTransport()
        let telemetry = Self.telemetry(mock, .legacy)
        let event = CreateTelemetryEvent(refType: "analysis", scope: "build", name: "started")
        let error = await #expect(throws: HubClientError.self) { _ = try await telemetry.createEvent(event) }
        #expect(error?.code == .unsupportedByServer)
        await #expect(throws: HubClientError.self) { _ = try await telemetry.findLogs(labels: ["a": "b"]) }
        await #expect(throws: HubClientError.self) { _ = try await telemetry.getEvents() }
        #expect(mock.requests.isEmpty)
    }

    @Test(arguments: [HubDialect.legacy, .current])
    func registryHooksKeepHarborKeys(dialect: HubDialect) async throws {
        let mock = MockTransport()
        mock.enqueue(.response(202))
        let core = CoreFixture.core(mock, dialect)
        try await core.sendRegistryHook(
            RegistryHook(
                type: "PUSH_ARTIFACT", operator: "robot$push",
                eventData: .init(
                    repository: .init(name: "a1", repoFullName: "outgoing/a1", namespace: "outgoing"),
                    resources: [.init(digest: "sha256:ab", tag: "latest", resourceUrl: "h/outgoing/a1:latest")])))
        #expect(mock.requests.map(\.line) == ["POST /core/services/registry/hook"])
        #expect(
            mock.requests[0].bodyText == """
                {"event_data":{"repository":{"name":"a1","namespace":"outgoing","repo_full_name":"outgoing/a1"},\
                "resources":[{"digest":"sha256:ab","resource_url":"h/outgoing/a1:latest","tag":"latest"}]},\
                "operator":"robot$push","type":"PUSH_ARTIFACT"}
                """)
    }

    @Test func bucketUpdateSendsAnEmptyBody() async throws {
        let bucket = """
            {"id":"\(CoreFixture.bucketID)","name":"b1","region":null,"realmId":null,\
            "createdAt":"\(CoreFixture.time)","updatedAt":"\(CoreFixture.time)"}
            """
        let mock = MockTransport()
        mock.enqueue(.json(202, CoreFixture.enveloped(bucket)))
        let storage = StorageClientTests.storage(mock, .current)
        let updated = try await storage.updateBucket(CoreFixture.bucketID, UpdateBucket())
        #expect(updated.name == "b1")
        #expect(mock.requests.map(\.line) == ["POST /storage/buckets/\(CoreFixture.bucketID)"])
        #expect(mock.requests[0].bodyText == "{}")
    }

    /// Python client 1.1.0 reads `distribution_nodes_valid` from either key.
    @Test(arguments: [("distributionNodesValid", false), ("buildNodesValid", true)])
    func distributionNodesValidIsReadFromEitherKey(key: String, value: Bool) throws {
        var json = CoreFixture.analysisCurrent().replacing(#""buildNodesValid":true,"#, with: "")
        json = json.replacing(#""nodes":1,"#, with: #""nodes":1,"\#(key)":\#(value),"#)
        let analysis = try HubJSON.decodeRecord(Analysis.self, from: Array(json.utf8))
        #expect(analysis.distributionNodesValid == value)
        #expect(analysis.buildNodesValid == (key == "buildNodesValid" ? value : nil))
    }

    @Test func legacySnakeCaseBuildNodesValidAlsoFills() throws {
        let json = CoreFixture.analysisLegacy().replacing(
            #""nodes":1,"#, with: #""nodes":1,"build_nodes_valid":true,"#)
        let analysis = try HubJSON.decodeRecord(Analysis.self, from: Array(json.utf8))
        #expect(analysis.distributionNodesValid == true)
    }
}
