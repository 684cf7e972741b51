import FlameHub
import FlameHubTesting
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

/// Request shapes of every core resource, per generation, and decoding of both generations'
/// payloads into one model shape.
@Suite("CoreClient resources")
struct CoreClientTests {
    static let dialects: [HubDialect] = [.legacy, .current]

    @Test(arguments: dialects)
    func everyListHitsItsPathWithTheIncludes(dialect: HubDialect) async throws {
        let mock = MockTransport { _ in .json(200, CoreFixture.emptyList) }
        let core = CoreFixture.core(mock, dialect)
        let legacy = dialect.generation == .legacy
        _ = try await core.getRegistries()
        _ = try await core.getRegistryProjects()
        _ = try await core.getNodes()
        _ = try await core.getMasterImageGroups()
        _ = try await core.getMasterImages()
        _ = try await core.getProjects()
        _ = try await core.getProjectNodes()
        _ = try await core.getAnalyses()
        _ = try await core.getAnalysisNodes()
        _ = try await core.getAnalysisBuckets()
        _ = try await core.getAnalysisBucketFiles()
        if legacy {
            _ = try await core.getMasterImageEventLogs()
            _ = try await core.getAnalysisLogs()
            _ = try await core.getAnalysisNodeLogs()
        }
        let targets = mock.requests.map(\.target)
        let page = "page%5Blimit%5D=50&page%5Boffset%5D=0"
        var expected = [
            "/core/registries?\(page)",
            "/core/registry-projects?\(page)&include=registry",
            "/core/nodes?\(page)&include=" + (legacy ? "registry_project%2Cregistry" : "registryProject%2Cregistry"),
            "/core/master-image-groups?\(page)",
            "/core/master-images?\(page)",
            "/core/projects?\(page)&include=" + (legacy ? "master_image" : "masterImage"),
            "/core/project-nodes?\(page)&include=node%2Cproject",
            "/core/analyses?\(page)&include=project%2C" + (legacy ? "master_image" : "masterImage"),
            "/core/analysis-nodes?\(page)&include=node%2Canalysis",
            "/core/analysis-buckets?\(page)&include=analysis",
            "/core/analysis-bucket-files?\(page)&include=analysis%2C"
                + (legacy ? "analysis_bucket" : "analysisBucket") + "%2Cbucket",
        ]
        if legacy {
            expected += [
                "/core/master-image-event-logs?\(page)&include=master_image",
                "/core/analysis-logs?\(page)&include=analysis",
                "/core/analysis-node-logs?\(page)&include=analysis%2Cnode",
            ]
        }
        #expect(targets == expected)
        #expect(mock.requests.allSatisfy { $0.request.method == .get && $0.bearer == "t" })
    }

    @Test func legacyOnlyResourcesThrowOnCurrentHubsBeforeSending() async throws {
        let mock = MockTransport()
        let core = CoreFixture.core(mock, .current)
        for call in [
            { _ = try await core.getMasterImageEventLogs() },
            { _ = try await core.getAnalysisLog(CoreFixture.analysisID) },
            {
                _ = try await core.createAnalysisNodeLog(
                    CreateAnalysisNodeLog(analysis: CoreFixture.analysisID, node: CoreFixture.nodeID, status: "started")
                )
            },
        ] as [@Sendable () async throws -> Void] {
            let error = await #expect(throws: HubClientError.self) { try await call() }
            #expect(error?.code == .unsupportedByServer)
        }
        #expect(mock.requests.isEmpty)
    }

    @Test func analysisDecodesBothGenerationsIntoOneShape() async throws {
        let mock = MockTransport()
        mock.enqueue(.json(200, CoreFixture.analysisLegacy()))
        let legacy = try #require(try await CoreFixture.core(mock, .legacy).getAnalysis(CoreFixture.analysisID))
        #expect(legacy.executionStatus == .running)
        #expect(legacy.buildStatus == .finished)
        #expect(legacy.configurationLocked == false)

        mock.enqueue(.json(200, CoreFixture.enveloped(CoreFixture.analysisCurrent(), meta: #"{"schema":{}}"#)))
        let current = try #require(try await CoreFixture.core(mock, .current).getAnalysis(CoreFixture.analysisID))
        #expect(current.executionStatus == .executed)
        #expect(current.buildSize == 1_234_567_890_123)
        #expect(
            current.imageCommandArguments == [CommandArgument("--verbose", position: .after), CommandArgument("-x")])
        #expect(mock.requests[1].target.hasSuffix("?include=project%2CmasterImage"))
    }

    @Test func analysisBucketFilesDecodeLegacyNamesIntoCurrentOnes() async throws {
        let legacyRow = """
            {"id":"\(CoreFixture.fileID)","name":"main.py","root":true,"external_id":"\(CoreFixture.bucketID)",\
            "bucket_id":"\(CoreFixture.projectID)","analysis_id":"\(CoreFixture.analysisID)","realm_id":null,\
            "user_id":null,"robot_id":null,"created_at":"\(CoreFixture.time)","updated_at":"\(CoreFixture.time)"}
            """
        let currentRow = """
            {"id":"\(CoreFixture.fileID)","path":"main.py","root":true,"bucketId":"\(CoreFixture.nodeID)",\
            "bucketFileId":"\(CoreFixture.bucketID)","analysisBucketId":"\(CoreFixture.projectID)",\
            "analysisId":"\(CoreFixture.analysisID)","createdAt":"\(CoreFixture.time)","updatedAt":"\(CoreFixture.time)"}
            """
        let mock = MockTransport()
        mock.enqueue(.json(200, Fixture.list([legacyRow])), .json(200, Fixture.list([currentRow])))
        let legacy = try #require(try await CoreFixture.core(mock, .legacy).getAnalysisBucketFiles().first)
        let current = try #require(try await CoreFixture.core(mock, .current).getAnalysisBucketFiles().first)
        for file in [legacy, current] {
            #expect(file.path == "main.py")
            #expect(file.bucketFileId?.uuidString.lowercased() == CoreFixture.bucketID)
            #expect(file.analysisBucketId?.uuidString.lowercased() == CoreFixture.projectID)
        }
        #expect(legacy.bucketId == nil)
        #expect(current.bucketId?.uuidString.lowercased() == CoreFixture.nodeID)
    }

    @Test func analysisBucketsDecodeLegacyExternalIdAsBucketId() async throws {
        let row = """
            {"id":"\(CoreFixture.fileID)","type":"CODE","external_id":"\(CoreFixture.bucketID)",\
            "analysis_id":"\(CoreFixture.analysisID)","realm_id":null,"created_at":"\(CoreFixture.time)",\
            "updated_at":"\(CoreFixture.time)"}
            """
        let mock = MockTransport()
        mock.enqueue(.json(200, Fixture.list([row])))
        let bucket = try #require(try await CoreFixture.core(mock, .legacy).getAnalysisBuckets().first)
        #expect(bucket.type == .code)
        #expect(bucket.bucketId?.uuidString.lowercased() == CoreFixture.bucketID)
    }

    @Test func analysisNodeBodiesAreSpelledPerGeneration() async throws {
        let node = """
            {"id":"\(CoreFixture.fileID)","approval_status":null,"run_status":"started","index":0,\
            "analysis_id":"\(CoreFixture.analysisID)","node_id":"\(CoreFixture.nodeID)",\
            "created_at":"\(CoreFixture.time)","updated_at":"\(CoreFixture.time)"}
            """
        let mock = MockTransport()
        mock.enqueue(.json(201, node), .json(202, node))
        let legacy = CoreFixture.core(mock, .legacy)
        let created = try await legacy.createAnalysisNode(
            CreateAnalysisNode(
                analysis: CoreFixture.analysisID, node: CoreFixture.nodeID, executionStatus: .started, index: 0))
        #expect(created.executionStatus == .started)
        _ = try await legacy.updateAnalysisNode(created, UpdateAnalysisNode(executionStatus: nil, comment: "ok"))
        #expect(
            mock.requests[0].bodyText
                == #"{"analysis_id":"\#(CoreFixture.analysisID)","index":0,"node_id":"\#(CoreFixture.nodeID)","run_status":"started"}"#
        )
        #expect(mock.requests[1].bodyText == #"{"comment":"ok","run_status":null}"#)
        #expect(mock.requests[1].line == "POST /core/analysis-nodes/\(CoreFixture.fileID)")

        mock.enqueue(.json(202, CoreFixture.enveloped(node)))
        let current = CoreFixture.core(mock, .current)
        _ = try await current.updateAnalysisNode(
            created, UpdateAnalysisNode(executionStatus: .set(.executing), executionProgress: .set(50)))
        #expect(mock.requests[2].bodyText == #"{"executionProgress":50,"executionStatus":"executing"}"#)

        let count = mock.requests.count
        let progress = await #expect(throws: HubClientError.self) {
            _ = try await legacy.updateAnalysisNode(created, UpdateAnalysisNode(executionProgress: .set(10)))
        }
        #expect(progress?.code == .unsupportedByServer)
        #expect(progress?.message.contains("executionProgress") == true)
        let index = await #expect(throws: HubClientError.self) {
            _ = try await current.createAnalysisNode(
                CreateAnalysisNode(analysis: CoreFixture.analysisID, node: CoreFixture.nodeID, index: 1))
        }
        #expect(index?.code == .unsupportedByServer)
        #expect(mock.requests.count == count)
    }

    @Test func analysisBucketFileBodiesAreSpelledPerGeneration() async throws {
        let mock = MockTransport()
        mock.enqueue(.json(500, "{}"), .json(500, "{}"), .json(500, "{}"))
        let body = CreateAnalysisBucketFile(
            analysisBucket: CoreFixture.projectID, path: "main.py", bucketFileId: AnyResourceID(CoreFixture.fileID),
            root: true)
        _ = try? await CoreFixture.core(mock, .legacy).createAnalysisBucketFile(body)
        var currentBody = body
        currentBody.bucketId = AnyResourceID(CoreFixture.bucketID)
        _ = try? await CoreFixture.core(mock, .current).createAnalysisBucketFile(currentBody)
        _ = try? await CoreFixture.core(mock, .legacy).updateAnalysisBucketFile(
            CoreFixture.fileID, UpdateAnalysisBucketFile(path: "src/main.py"))
        let p = CoreFixture.projectID
        let f = CoreFixture.fileID
        #expect(
            mock.requests.map(\.bodyText) == [
                #"{"bucket_id":"\#(p)","external_id":"\#(f)","name":"main.py","root":true}"#,
                #"{"analysisBucketId":"\#(p)","bucketFileId":"\#(f)","bucketId":"\#(CoreFixture.bucketID)","path":"main.py","root":true}"#,
                #"{"name":"src/main.py"}"#,
            ])
        let error = await #expect(throws: HubClientError.self) {
            try await CoreFixture.core(mock, .legacy).createAnalysisBucketFile(currentBody)
        }
        #expect(error?.code == .unsupportedByServer)
        #expect(mock.requests.count == 3)
    }

    @Test func nodeIdentitiesAreRobotsOnLegacyAndClientsOnCurrentHubs() async throws {
        let mock = MockTransport()
        mock.enqueue(.json(500, "{}"), .json(500, "{}"))
        let id = AnyResourceID(Fixture.robotID)
        _ = try? await CoreFixture.core(mock, .legacy).createNode(CreateNode(name: "n1", robotId: id))
        _ = try? await CoreFixture.core(mock, .current).createNode(CreateNode(name: "n1", clientId: id))
        #expect(
            mock.requests.map(\.bodyText) == [
                #"{"name":"n1","robot_id":"\#(Fixture.robotID)"}"#, #"{"clientId":"\#(Fixture.robotID)","name":"n1"}"#,
            ])
        let error = await #expect(throws: HubClientError.self) {
            _ = try await CoreFixture.core(mock, .current).createNode(CreateNode(name: "n1", robotId: id))
        }
        #expect(error?.message.contains("robotId") == true)
        #expect(mock.requests.count == 2)
    }

    @Test func projectAndAnalysisDisplayNamesAreCurrentOnly() async throws {
        let mock = MockTransport()
        let legacy = CoreFixture.core(mock, .legacy)
        let project = await #expect(throws: HubClientError.self) {
            _ = try await legacy.createProject(CreateProject(name: "p", displayName: "P"))
        }
        #expect(project?.message.contains("displayName") == true)
        await #expect(throws: HubClientError.self) {
            _ = try await legacy.updateAnalysis(CoreFixture.analysisID, UpdateAnalysis(displayName: "A"))
        }
        #expect(mock.requests.isEmpty)
    }

    @Test func crudRequestLinesAndStatusHandling() async throws {
        let registry = """
            {"id":"\(CoreFixture.bucketID)","name":"reg","host":"harbor.test","accountName":null,\
            "accountSecret":"s3cret","createdAt":"\(CoreFixture.time)","updatedAt":"\(CoreFixture.time)"}
            """
        let mock = MockTransport()
        mock.enqueue(
            .json(201, CoreFixture.enveloped(registry)), .json(202, CoreFixture.enveloped(registry)),
            .json(200, Fixture.list([registry])), .json(202, CoreFixture.enveloped(registry)),
            .json(404, #"{"statusCode":404,"code":"entity_not_found","message":"The registry was not found."}"#))
        let core = CoreFixture.core(mock, .current)
        let created = try await core.createRegistry(
            CreateRegistry(name: "reg", host: "harbor.test", accountSecret: "s3cret"))
        #expect(created.accountSecret?.revealed == "s3cret")
        _ = try await core.updateRegistry(created, UpdateRegistry(accountName: nil))
        _ = try await core.findRegistries(filter: ["name": "reg"], fields: ["accountSecret"])
        try await core.deleteRegistry(created)
        #expect(try await core.getRegistry(created) == nil)
        let id = CoreFixture.bucketID
        #expect(
            mock.requests.map(\.line) == [
                "POST /core/registries",
                "POST /core/registries/\(id)",
                "GET /core/registries?page%5Blimit%5D=50&page%5Boffset%5D=0&filter%5Bname%5D=reg&fields=%2BaccountSecret",
                "DELETE /core/registries/\(id)",
                "GET /core/registries/\(id)",
            ])
        #expect(mock.requests[0].bodyText == #"{"accountSecret":"s3cret","host":"harbor.test","name":"reg"}"#)
        #expect(mock.requests[1].bodyText == #"{"accountName":null}"#)
    }

    @Test func modelsDeclareTheirRelationsAndOptionalFields() {
        #expect(Registry.optionalFields == ["accountSecret"])
        #expect(RegistryProject.optionalFields == ["accountSecret"])
        #expect(Analysis.includableRelations == ["project", "masterImage"])
        #expect(AnalysisBucketFile.includableRelations == ["analysis", "analysisBucket", "bucket"])
        #expect(ProjectNode.includableRelations == ["node", "project"])
        #expect(MasterImage.includableRelations.isEmpty)
    }
}
