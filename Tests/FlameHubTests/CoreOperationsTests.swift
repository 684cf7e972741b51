import FlameHub
import FlameHubTesting
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

/// Commands, credentials and logs of `CoreClient`: method, path, query, body and the status
/// codes of each generation; operations a generation lacks throw before sending.
@Suite("CoreClient operations")
struct CoreOperationsTests {
    let analysis = CoreFixture.analysisID
    let node = CoreFixture.nodeID

    @Test func analysisCommandsPerGeneration() async throws {
        let mock = MockTransport()
        mock.enqueue(
            .json(202, CoreFixture.enveloped(CoreFixture.analysisCurrent(buildStatus: "starting"))),
            .json(202, CoreFixture.analysisLegacy()))
        let started = try await CoreFixture.core(mock, .current).sendAnalysisCommand(analysis, .buildStart)
        #expect(started.buildStatus == .starting)
        try await CoreFixture.core(mock, .legacy).sendAnalysisCommand(analysis, .spinUp)
        #expect(
            mock.requests.map(\.line) == [
                "POST /core/analyses/\(analysis)/command", "POST /core/analyses/\(analysis)/command",
            ])
        #expect(mock.requests.map(\.bodyText) == [#"{"command":"buildStart"}"#, #"{"command":"spinUp"}"#])

        let wrongOnCurrent = await #expect(throws: HubClientError.self) {
            try await CoreFixture.core(mock, .current).sendAnalysisCommand(analysis, .tearDown)
        }
        #expect(wrongOnCurrent?.code == .unsupportedByServer)
        #expect(wrongOnCurrent?.message.contains("tearDown") == true)
        await #expect(throws: HubClientError.self) {
            try await CoreFixture.core(mock, .legacy).sendAnalysisCommand(analysis, .distributionStart)
        }
        await #expect(throws: HubClientError.self) {
            try await CoreFixture.core(mock, .legacy).sendAnalysisCommand("not-a-uuid", .buildStart)
        }
        #expect(mock.requests.count == 2)
        #expect(
            AnalysisCommand.all(for: .legacy).map(\.rawValue).sorted() == [
                "buildStart", "buildStatus", "buildStop", "configurationLock", "configurationUnlock", "spinUp",
                "tearDown",
            ])
        #expect(
            AnalysisCommand.all(for: .current).map(\.rawValue).sorted() == [
                "buildCheck", "buildStart", "configurationLock", "configurationUnlock", "distributionCheck",
                "distributionStart", "storageCheck",
            ])
    }

    @Test func masterImageAndRegistryCommands() async throws {
        let image = """
            {"id":"\(CoreFixture.fileID)","name":"base","path":"python/base","virtualPath":"python/base",\
            "groupVirtualPath":"python","command":"python","commandArguments":null,"buildStatus":"starting",\
            "createdAt":"\(CoreFixture.time)","updatedAt":"\(CoreFixture.time)"}
            """
        let mock = MockTransport()
        mock.enqueue(
            .response(202), .json(202, #"{"data":null,"meta":{}}"#), .json(202, CoreFixture.enveloped(image)),
            .json(202, "null"), .response(202))
        try await CoreFixture.core(mock, .legacy).syncMasterImages()
        try await CoreFixture.core(mock, .current).syncMasterImages()
        let built = try await CoreFixture.core(mock, .current).buildMasterImage(CoreFixture.fileID)
        #expect(built?.buildStatus == .starting)
        try await CoreFixture.core(mock, .current).sendRegistryCommand(.setup, id: CoreFixture.bucketID)
        try await CoreFixture.core(mock, .legacy).sendRegistryCommand(
            .cleanup, id: CoreFixture.bucketID, secret: "Secret123")
        #expect(
            mock.requests.map(\.line) == [
                "POST /core/master-images/command", "POST /core/master-images/command",
                "POST /core/master-images/command",
                "POST /core/services/registry/command", "POST /core/services/registry/command",
            ])
        let bucket = CoreFixture.bucketID
        #expect(
            mock.requests.map(\.bodyText) == [
                #"{"command":"sync"}"#, #"{"command":"sync"}"#,
                #"{"command":"build","id":"\#(CoreFixture.fileID)"}"#,
                #"{"command":"setup","id":"\#(bucket)"}"#,
                #"{"command":"cleanup","id":"\#(bucket)","secret":"Secret123"}"#,
            ])
        let legacyBuild = await #expect(throws: HubClientError.self) {
            _ = try await CoreFixture.core(mock, .legacy).buildMasterImage(CoreFixture.fileID)
        }
        #expect(legacyBuild?.code == .unsupportedByServer)
        #expect(mock.requests.count == 5)
    }

    @Test func credentialsAreFlatAndCurrentOnly() async throws {
        let credentials = #"{"id":"\#(CoreFixture.fileID)","name":"\#(node)","displayName":null,"secret":"abc"}"#
        let registry = #"{"host":"harbor.test","externalName":"node-x","accountName":"robot$x","accountSecret":"pw"}"#
        let mock = MockTransport()
        mock.enqueue(
            .json(200, credentials), .json(200, credentials), .json(200, registry), .json(200, credentials),
            .json(200, credentials))
        let core = CoreFixture.core(mock, .current)
        #expect(try await core.getNodeClientCredentials(node).secret?.revealed == "abc")
        #expect(
            try await core.rotateNodeClientCredentials(node, secret: "new-secret").id.uuidString.lowercased()
                == CoreFixture.fileID)
        let account = try await core.getNodeRegistryCredentials(node)
        #expect(account.accountName == "robot$x")
        #expect(account.accountSecret?.revealed == "pw")
        _ = try await core.getAnalysisClientCredentials(analysis)
        _ = try await core.rotateAnalysisClientCredentials(analysis)
        #expect(
            mock.requests.map(\.line) == [
                "GET /core/nodes/\(node)/client/credentials", "POST /core/nodes/\(node)/client/credentials",
                "GET /core/nodes/\(node)/registry/credentials", "GET /core/analyses/\(analysis)/client/credentials",
                "POST /core/analyses/\(analysis)/client/credentials",
            ])
        #expect(mock.requests[1].bodyText == #"{"secret":"new-secret"}"#)
        #expect(mock.requests[4].bodyText == "{}")
        let legacy = await #expect(throws: HubClientError.self) {
            _ = try await CoreFixture.core(mock, .legacy).getNodeClientCredentials(node)
        }
        #expect(legacy?.code == .unsupportedByServer)
        #expect(mock.requests.count == 5)
    }

    @Test func analysisClientPermissionsAndNodeEvents() async throws {
        let permission = CoreFixture.bucketID
        let row = """
            {"id":"\(CoreFixture.fileID)","clientId":"\(node)","permissionId":"\(permission)",\
            "permission":{"id":"\(permission)","name":"analysis_self_storage_use","builtIn":true,\
            "createdAt":"\(CoreFixture.time)","updatedAt":"\(CoreFixture.time)"},\
            "createdAt":"\(CoreFixture.time)","updatedAt":"\(CoreFixture.time)"}
            """
        let mock = MockTransport()
        mock.enqueue(
            .json(201, CoreFixture.enveloped(row)), .json(200, #"{"data":[\#(row)],"meta":{"total":1}}"#),
            .json(202, CoreFixture.enveloped(row)), .json(200, CoreFixture.emptyList))
        let core = CoreFixture.core(mock, .current)
        let added = try await core.addAnalysisClientPermission(analysis, permission: permission)
        #expect(added.permission?.name == "analysis_self_storage_use")
        #expect(try await core.getAnalysisClientPermissions(analysis).meta.total == 1)
        try await core.removeAnalysisClientPermission(analysis, permission: permission)
        _ = try await core.findAnalysisNodeEvents(filter: ["analysisId": .equals(analysis)])
        let path = "/core/analyses/\(analysis)/client/permissions"
        #expect(
            mock.requests.map(\.line) == [
                "POST \(path)", "GET \(path)", "DELETE \(path)/\(permission)",
                "GET /core/analysis-node-events?page%5Blimit%5D=50&page%5Boffset%5D=0&filter%5BanalysisId%5D=\(analysis)"
                    + "&include=analysis%2Cnode",
            ])
        #expect(mock.requests[0].bodyText == #"{"permissionId":"\#(permission)"}"#)
        let legacy = CoreFixture.core(mock, .legacy)
        await #expect(throws: HubClientError.self) { _ = try await legacy.getAnalysisClientPermissions(analysis) }
        await #expect(throws: HubClientError.self) { _ = try await legacy.getAnalysisNodeEvents() }
        #expect(mock.requests.count == 4)
    }

    @Test func currentLogsUseTheTelemetryEndpoints() async throws {
        let line = """
            {"time":"\(CoreFixture.time)","level":"info","channel":"http","service":"hub-server-core",\
            "message":"started","labels":{"refType":"analysisNode","analysisId":"\(analysis)","status":"running"}}
            """
        let mock = MockTransport()
        mock.enqueue(
            .json(202, CoreFixture.enveloped(line)), .json(200, Fixture.list([line])), .json(202, "null"),
            .json(200, Fixture.list([line])), .response(202))
        let core = CoreFixture.core(mock, .current)
        let created = try await core.createAnalysisNodeLog(
            analysisId: analysis, nodeId: node, level: .info, message: "started", status: "running",
            labels: ["step": "1"])
        #expect(created.labels?["status"] == "running")
        let found = try await core.findAnalysisNodeLogs(analysisId: analysis, nodeId: node, level: .info)
        #expect(found.first?.message == "started")
        try await core.deleteAnalysisNodeLogs(analysisId: analysis, nodeId: node)
        _ = try await core.findAnalysisLogs(analysisId: analysis, page: Page(limit: 10))
        try await core.deleteAnalysisLogs(analysisId: analysis)
        let a = "filter%5BanalysisId%5D=\(analysis)"
        let n = "filter%5BnodeId%5D=\(node)"
        #expect(
            mock.requests.map(\.line) == [
                "POST /core/analysis-node-logs",
                "GET /core/analysis-node-logs?page%5Blimit%5D=50&page%5Boffset%5D=0&\(a)&\(n)&filter%5Blevel%5D=info",
                "DELETE /core/analysis-node-logs?\(a)&\(n)",
                "GET /core/analysis-logs?page%5Blimit%5D=10&page%5Boffset%5D=0&\(a)",
                "DELETE /core/analysis-logs?\(a)",
            ])
        #expect(
            mock.requests[0].bodyText == """
                {"analysisId":"\(analysis)","labels":{"step":"1"},"level":"info","message":"started","nodeId":"\(node)",\
                "status":"running"}
                """)
    }

    @Test func legacyLogsAreRowsConvertedToLogEntries() async throws {
        let row = """
            {"id":"\(CoreFixture.fileID)","error":true,"error_code":"E1","status":"failed","status_message":"boom",\
            "analysis_id":"\(analysis)","node_id":"\(node)","created_at":"\(CoreFixture.time)",\
            "updated_at":"\(CoreFixture.time)"}
            """
        let mock = MockTransport()
        mock.enqueue(
            .json(201, row), .json(200, Fixture.list([row])), .json(200, Fixture.list([row], total: 1)),
            .json(202, row))
        let core = CoreFixture.core(mock, .legacy)
        let created = try await core.createAnalysisNodeLog(
            analysisId: analysis, nodeId: node, level: .error, message: "boom", status: "failed", code: "E1")
        #expect(created.level == .error)
        #expect(created.message == "boom")
        #expect(created.labels?["code"] == "E1")
        let found = try await core.findAnalysisNodeLogs(analysisId: analysis, nodeId: node)
        #expect(found.count == 1)
        try await core.deleteAnalysisNodeLogs(analysisId: analysis, nodeId: node)
        #expect(
            mock.requests[0].bodyText == """
                {"analysis_id":"\(analysis)","error":true,"error_code":"E1","node_id":"\(node)","status":"failed",\
                "status_message":"boom"}
                """)
        #expect(mock.requests.map(\.request.method) == [.post, .get, .get, .delete])
        #expect(mock.requests[1].target.contains("filter%5Banalysis_id%5D=\(analysis)&filter%5Bnode_id%5D=\(node)"))
        #expect(mock.requests[3].line == "DELETE /core/analysis-node-logs/\(CoreFixture.fileID)")

        let labels = await #expect(throws: HubClientError.self) {
            _ = try await core.createAnalysisNodeLog(
                analysisId: analysis, nodeId: node, level: .info, message: "x", labels: ["a": "b"])
        }
        #expect(labels?.code == .unsupportedByServer)
        await #expect(throws: HubClientError.self) {
            _ = try await core.findAnalysisLogs(analysisId: analysis, level: .error)
        }
        #expect(mock.requests.count == 4)
    }
}
