import FlameHub
import FlameHubEmulator
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

/// The analysis flow end to end: project → project nodes → analysis → analysis nodes → buckets
/// appear → upload → analysis bucket files → commands → logs, in both generations.
@Suite("Analysis flow against the emulator")
struct CoreAnalysisFlowTests {
    @Test(arguments: HubGeneration.allCases)
    func analysisFlow(generation: HubGeneration) async throws {
        try await CoreHub.run(generation) { hub in try await flow(hub) }
    }

    func flow(_ hub: CoreHub) async throws {
        let core = hub.core
        let legacy = hub.legacy
        let registry = try await core.createRegistry(CreateRegistry(name: "flow-registry", host: "harbor.flow.test"))
        let node = try await core.createNode(CreateNode(name: "flow-node", registryId: AnyResourceID(registry)))
        let aggregator = try await core.createNode(CreateNode(name: "flow-aggregator", type: .aggregator))
        let image = try #require(try await core.getMasterImages().first)
        let project = try await core.createProject(
            CreateProject(name: "flow-project", masterImageId: AnyResourceID(image)))
        let membership = try await core.createProjectNode(CreateProjectNode(project: project, node: node))
        _ = try await core.updateProjectNode(membership, UpdateProjectNode(approvalStatus: .set(.approved)))
        _ = try await core.createProjectNode(CreateProjectNode(project: project, node: aggregator))

        let analysis = try await core.createAnalysis(
            CreateAnalysis(project: project, name: "flow-analysis", masterImageId: AnyResourceID(image)))
        for member in [node, aggregator] {
            let existing = try await core.findAnalysisNodes(
                filter: ["analysisId": .equals(analysis.id), "nodeId": .equals(member.id)])
            var assignment = existing.first
            if assignment == nil {
                assignment = try await core.createAnalysisNode(CreateAnalysisNode(analysis: analysis, node: member))
            }
            let analysisNode = try #require(assignment)
            if analysisNode.approvalStatus != .approved {
                _ = try await core.updateAnalysisNode(analysisNode, UpdateAnalysisNode(approvalStatus: .set(.approved)))
            }
        }
        #expect(try await core.findAnalysisNodes(filter: ["analysisId": .equals(analysis.id)]).count == 2)

        let code = try await eventually("the CODE bucket of the analysis") {
            try await core.findAnalysisBuckets(filter: ["analysisId": .equals(analysis.id), "type": "CODE"]).first
        }
        let storageBucket = try #require(code.bucketId)
        let uploaded = try await hub.storage.upload(
            [.string("print('hello from FLAME')\n", name: "main.py"), .bytes([1, 2, 3], name: "data/input.bin")],
            to: storageBucket)
        #expect(Set(uploaded.map(\.name)) == ["main.py", "input.bin"])

        let entrypoint = try await eventually("the analysis bucket files of the upload") {
            let files = try await core.findAnalysisBucketFiles(filter: ["analysisId": .equals(analysis.id)])
            return files.count == 2 ? files.first { $0.path == "main.py" } : nil
        }
        #expect(entrypoint.analysisBucketId == code.id)
        #expect(uploaded.contains { $0.id == entrypoint.bucketFileId })
        if !legacy { #expect(entrypoint.bucketId == storageBucket) }
        _ = try await core.updateAnalysisBucketFile(entrypoint, UpdateAnalysisBucketFile(root: true))

        if !legacy {
            let auth = AuthClient(baseURL: hub.hub.authURL.absoluteString, auth: hub.auth)
            let storageUse = try #require(
                try await auth.findPermissions(filter: ["name": "analysis_self_storage_use"]).first)
            try await core.addAnalysisClientPermission(analysis, permission: storageUse)
            #expect(try await core.getAnalysisClientPermissions(analysis).map(\.permissionId) == [storageUse.id])
            try await core.removeAnalysisClientPermission(analysis, permission: storageUse)
            #expect(try await core.getAnalysisClientPermissions(analysis).isEmpty)
            _ = try await core.findAnalysisNodeEvents(filter: ["analysisId": .equals(analysis.id)])
        }

        let locked = try await eventually("the configuration lock") {
            try await core.sendAnalysisCommand(analysis, .configurationLock)
        }
        #expect(locked.configurationLocked == true)
        let started = try await core.sendAnalysisCommand(analysis, .buildStart)
        #expect(started.buildStatus == .starting)
        let done: ProcessStatus = legacy ? .finished : .executed
        try await eventually("the build to finish") { try await core.getAnalysis(analysis)?.buildStatus == done }
        if legacy {
            // Hub 0.8.13 refuses a build check once the build has finished (core-kit
            // domains/analysis/helpers.ts at v0.8.13).
            let finished = await #expect(throws: HubAPIError.self) {
                try await core.sendAnalysisCommand(analysis, .buildStatus)
            }
            #expect(finished?.status == 400)
        } else {
            try await core.sendAnalysisCommand(analysis, .buildCheck)
            let credentials = try await core.rotateAnalysisClientCredentials(analysis)
            #expect(credentials.secret != nil)
            #expect(try await core.getAnalysisClientCredentials(analysis).id == credentials.id)
            let nodeCredentials = try await core.rotateNodeClientCredentials(node, secret: "a-new-node-secret")
            #expect(nodeCredentials.secret?.revealed == "a-new-node-secret")
            let account = try await core.getNodeRegistryCredentials(node)
            #expect(account.host == "harbor.flow.test")
        }
        let wrongGeneration: AnalysisCommand = legacy ? .storageCheck : .spinUp
        let unsupported = await #expect(throws: HubClientError.self) {
            try await core.sendAnalysisCommand(analysis, wrongGeneration)
        }
        #expect(unsupported?.code == .unsupportedByServer)

        _ = try await core.createAnalysisNodeLog(
            analysisId: analysis, nodeId: node, level: .info, message: "node started", status: "started")
        let logged = try await eventually("the node log line") {
            try await core.findAnalysisNodeLogs(analysisId: analysis, nodeId: node).first {
                $0.message == "node started"
            }
        }
        #expect(logged.labels?["analysisId"] == analysis.id.uuidString.lowercased())
        if legacy {
            #expect(!(try await core.findAnalysisLogs(analysisId: analysis)).isEmpty)
        } else {
            _ = try await core.findAnalysisLogs(analysisId: analysis, level: .info)
        }
        try await core.deleteAnalysisNodeLogs(analysisId: analysis, nodeId: node)
        try await eventually("the node logs to be deleted") {
            try await core.findAnalysisNodeLogs(analysisId: analysis, nodeId: node).isEmpty
        }
        try await core.deleteAnalysisLogs(analysisId: analysis)
    }
}
