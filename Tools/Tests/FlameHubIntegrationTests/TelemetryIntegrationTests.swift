import FlameHub
import FlameHubEmulator
import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `TelemetryClient`, registry hooks, bucket updates and `distributionNodesValid` through
/// `CurlTransport` against the emulator, in every generation that has them.
@Suite("Telemetry and core extras against the emulator")
struct TelemetryIntegrationTests {
    static func telemetry(_ hub: CoreHub) -> TelemetryClient {
        TelemetryClient(baseURL: hub.hub.telemetryURL.absoluteString, auth: hub.auth)
    }

    @Test(arguments: [HubGeneration.transitional, .current])
    func eventsRoundTrip(generation: HubGeneration) async throws {
        try await CoreHub.run(generation) { hub in
            let telemetry = Self.telemetry(hub)
            let ref = UUID()
            let event = try await telemetry.createEvent(
                CreateTelemetryEvent(
                    refType: "analysis", refId: AnyResourceID(ref), scope: "build", name: "started",
                    data: ["step_one": .string("pulled"), "count": .number(2)], requestMethod: "POST"))
            #expect(event.refId == ref)
            #expect(event.data?["step_one"] == .string("pulled"))
            #expect(event.expiring == false)
            #expect(event.realmId != nil)
            #expect(try await telemetry.getTelemetryEvent(event)?.name == "started")
            let found = try await telemetry.findEvents(filter: ["refId": .equals(ref), "scope": "build"])
            #expect(found.map(\.id) == [event.id])
            #expect(try await telemetry.findEvents(filter: ["scope": "push"]).isEmpty)
            try await telemetry.deleteTelemetryEvent(event)
            #expect(try await telemetry.getTelemetryEvent(event) == nil)
        }
    }

    @Test(arguments: [HubGeneration.transitional, .current])
    func eventValidation(generation: HubGeneration) async throws {
        try await CoreHub.run(generation) { hub in
            let telemetry = Self.telemetry(hub)
            let error = await #expect(throws: HubAPIError.self) {
                _ = try await telemetry.createEvent(CreateTelemetryEvent(refType: "analysis", scope: "b", name: "ok"))
            }
            #expect(error?.status == 400)
            #expect(error?.message.contains("scope") == true)
        }
    }

    @Test(arguments: [HubGeneration.transitional, .current])
    func logsByLabel(generation: HubGeneration) async throws {
        try await CoreHub.run(generation) { hub in
            let telemetry = Self.telemetry(hub)
            let node = UUID().uuidString.lowercased()
            let written = try await telemetry.createLog(
                CreateLog(
                    message: "image pulled", level: .info, service: "node-agent", channel: .background,
                    labels: ["node_id": node, "refType": "node"]))
            #expect(written.time != nil)
            #expect(written.labels?["node_id"] == node)
            try await telemetry.createLog(
                CreateLog(
                    message: "other node", level: .error, service: "node-agent", channel: .system,
                    labels: ["node_id": "x"]))
            let lines = try await telemetry.findLogs(labels: ["node_id": node])
            #expect(lines.map(\.message) == ["image pulled"])
            #expect(lines.meta.limit == 100)
            #expect(lines.first?.channel == "background")

            let unlabelled = await #expect(throws: HubAPIError.self) { _ = try await telemetry.findLogs(labels: [:]) }
            #expect(unlabelled?.status == 400)
            let invalid = await #expect(throws: HubAPIError.self) {
                _ = try await telemetry.createLog(
                    CreateLog(message: "no", level: "loud", service: "node-agent", channel: .http))
            }
            #expect(invalid?.status == 400)

            try await telemetry.deleteLogs(labels: ["node_id": node])
            #expect(try await telemetry.findLogs(labels: ["node_id": node]).isEmpty)
            #expect(try await telemetry.findLogs(labels: ["node_id": "x"]).count == 1)
        }
    }

    /// The core's node-log route writes telemetry lines: they are found by label through `/logs`.
    @Test(arguments: [HubGeneration.transitional, .current])
    func coreNodeLogsAreTelemetryLines(generation: HubGeneration) async throws {
        try await CoreHub.run(generation) { hub in
            let image = try #require(try await hub.core.getMasterImages().first)
            let node = try await hub.core.createNode(CreateNode(name: "telemetry-node"))
            let project = try await hub.core.createProject(
                CreateProject(name: "telemetry-project", masterImageId: AnyResourceID(image)))
            let analysis = try await hub.core.createAnalysis(CreateAnalysis(project: project, name: "telemetry"))
            try await hub.core.createAnalysisNodeLog(
                analysisId: analysis, nodeId: node, level: .notice, message: "container started")
            let lines = try await Self.telemetry(hub).findLogs(labels: [
                "analysisId": analysis.id.uuidString.lowercased()
            ])
            #expect(lines.map(\.message) == ["container started"])
            #expect(lines.first?.labels?["nodeId"] == node.id.uuidString.lowercased())
        }
    }

    @Test func legacyHubsServeNoTelemetry() async throws {
        try await CoreHub.run(.legacy) { hub in
            let telemetry = Self.telemetry(hub)
            let error = await #expect(throws: HubAPIError.self) {
                _ = try await telemetry.findLogs(labels: ["a": "b"])
            }
            #expect(error?.status == 404)
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func registryHookAndBucketUpdate(generation: HubGeneration) async throws {
        try await CoreHub.run(generation) { hub in
            try await hub.core.sendRegistryHook(
                RegistryHook(
                    type: "PUSH_ARTIFACT", occurAt: "1700000000", operator: "robot$hub",
                    eventData: .init(
                        repository: .init(name: "analysis", repoFullName: "outgoing/analysis", namespace: "outgoing"),
                        resources: [.init(digest: "sha256:00", tag: "latest", resourceUrl: "harbor/outgoing/analysis")]
                    )))
            let bucket = try await hub.storage.createBucket(CreateBucket(name: "touched-bucket"))
            let touched = try await hub.storage.updateBucket(bucket, UpdateBucket())
            #expect(touched.id == bucket.id)
            #expect(touched.name == "touched-bucket")
        }
    }

    @Test(arguments: [HubGeneration.transitional, .current])
    func distributionNodesValidFollowsBuildNodesValid(generation: HubGeneration) async throws {
        try await CoreHub.run(generation) { hub in
            let image = try #require(try await hub.core.getMasterImages().first)
            let project = try await hub.core.createProject(
                CreateProject(name: "distribution-project", masterImageId: AnyResourceID(image)))
            let analysis = try await hub.core.createAnalysis(CreateAnalysis(project: project, name: "distribution"))
            #expect(analysis.buildNodesValid == false)
            #expect(analysis.distributionNodesValid == false)
        }
    }
}
