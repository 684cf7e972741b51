import FlameHub
import FlameHubTesting
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

/// The exact bodies of every core write whose fields differ between the generations, per
/// generation, and the fields a generation lacks rejected before anything is sent.
@Suite("Request bodies per resource and generation")
struct RequestBodyTests {
    let project = CoreFixture.projectID
    let analysis = CoreFixture.analysisID
    let node = CoreFixture.nodeID
    let bucket = CoreFixture.bucketID
    let file = CoreFixture.fileID

    /// The bodies `writes` send to a server of `dialect` (which answers 500 to each, so every
    /// write is tried with `try?`).
    func bodies(_ dialect: HubDialect, _ writes: (CoreClient) async -> Void) async -> [String] {
        let mock = MockTransport { _ in .json(500, "{}") }
        await writes(CoreFixture.core(mock, dialect))
        return mock.requests.map { $0.bodyText ?? "" }
    }

    /// Asserts that `write` throws ``HubClientError/Code/unsupportedByServer`` naming `field`
    /// without sending anything.
    func rejects(
        _ dialect: HubDialect, _ field: String, _ write: @Sendable (CoreClient) async throws -> Void
    ) async {
        let mock = MockTransport { _ in .json(500, "{}") }
        let core = CoreFixture.core(mock, dialect)
        let error = await #expect(throws: HubClientError.self) { try await write(core) }
        #expect(error?.code == .unsupportedByServer)
        #expect(error?.message.hasPrefix("\(field) only exists on ") == true)
        #expect(mock.requests.isEmpty)
    }

    @Test func nodes() async {
        let robot = AnyResourceID(stringLiteral: Fixture.robotID)
        let client = AnyResourceID(stringLiteral: Fixture.userID)
        let legacy = await bodies(.legacy) {
            _ = try? await $0.nodes.create(CreateNode(name: "n", hidden: true, robotId: robot))
        }
        let current = await bodies(.current) { _ = try? await $0.nodes.create(CreateNode(name: "n", clientId: client)) }
        #expect(legacy == [#"{"hidden":true,"name":"n","robot_id":"\#(Fixture.robotID)"}"#])
        #expect(current == [#"{"clientId":"\#(Fixture.userID)","name":"n"}"#])
        await rejects(.current, "CreateNode.robotId") {
            _ = try await $0.nodes.create(CreateNode(name: "n", robotId: robot))
        }
        await rejects(.legacy, "CreateNode.clientId") {
            _ = try await $0.nodes.create(CreateNode(name: "n", clientId: client))
        }
    }

    @Test func projects() async {
        let create = CreateProject(name: "p", description: "d", masterImageId: AnyResourceID(stringLiteral: analysis))
        let legacy = await bodies(.legacy) {
            _ = try? await $0.projects.create(create)
            _ = try? await $0.projects.update(project, UpdateProject(description: nil))
        }
        #expect(
            legacy == [#"{"description":"d","master_image_id":"\#(analysis)","name":"p"}"#, #"{"description":null}"#])
        let current = await bodies(.current) {
            _ = try? await $0.projects.create(CreateProject(displayName: "P"))
            _ = try? await $0.projects.update(project, UpdateProject(name: "q", displayName: nil))
        }
        #expect(current == [#"{"displayName":"P"}"#, #"{"displayName":null,"name":"q"}"#])
        await rejects(.legacy, "CreateProject.displayName") {
            _ = try await $0.projects.create(CreateProject(name: "p", displayName: "P"))
        }
        await rejects(.legacy, "UpdateProject.displayName") { [project] in
            _ = try await $0.projects.update(project, UpdateProject(displayName: nil))
        }
    }

    @Test func analyses() async {
        let arguments = [CommandArgument("-x", position: .after)]
        let legacy = await bodies(.legacy) { [project, analysis] in
            _ = try? await $0.analyses.create(
                CreateAnalysis(project: project, name: "a", imageCommandArguments: arguments))
            _ = try? await $0.analyses.update(analysis, UpdateAnalysis(name: nil, imageCommandArguments: nil))
        }
        #expect(
            legacy == [
                #"{"image_command_arguments":[{"position":"after","value":"-x"}],"name":"a","project_id":"\#(project)"}"#,
                #"{"image_command_arguments":null,"name":null}"#,
            ])
        let current = await bodies(.current) { [project, analysis] in
            _ = try? await $0.analyses.create(CreateAnalysis(project: project, displayName: "A"))
            _ = try? await $0.analyses.update(analysis, UpdateAnalysis(displayName: "B"))
        }
        #expect(current == [#"{"displayName":"A","projectId":"\#(project)"}"#, #"{"displayName":"B"}"#])
        await rejects(.legacy, "CreateAnalysis.displayName") { [project] in
            _ = try await $0.analyses.create(CreateAnalysis(project: project, displayName: "A"))
        }
        await rejects(.legacy, "UpdateAnalysis.displayName") { [analysis] in
            _ = try await $0.analyses.update(analysis, UpdateAnalysis(displayName: nil))
        }
    }

    @Test func analysisNodes() async {
        let legacy = await bodies(.legacy) { [analysis, node] in
            _ = try? await $0.analysisNodes.create(
                CreateAnalysisNode(analysis: analysis, node: node, approvalStatus: .approved, index: 2))
            _ = try? await $0.analysisNodes.update(
                node, UpdateAnalysisNode(executionStatus: .set(.failed), index: .set(3)))
        }
        #expect(
            legacy == [
                #"{"analysis_id":"\#(analysis)","approval_status":"approved","index":2,"node_id":"\#(node)"}"#,
                #"{"index":3,"run_status":"failed"}"#,
            ])
        let current = await bodies(.current) { [analysis, node] in
            _ = try? await $0.analysisNodes.create(
                CreateAnalysisNode(analysis: analysis, node: node, executionStatus: .started, executionProgress: 0))
            _ = try? await $0.analysisNodes.update(node, UpdateAnalysisNode(executionStatus: nil, comment: "c"))
        }
        #expect(
            current == [
                #"{"analysisId":"\#(analysis)","executionProgress":0,"executionStatus":"started","nodeId":"\#(node)"}"#,
                #"{"comment":"c","executionStatus":null}"#,
            ])
        await rejects(.legacy, "CreateAnalysisNode.executionProgress") { [analysis, node] in
            _ = try await $0.analysisNodes.create(
                CreateAnalysisNode(analysis: analysis, node: node, executionProgress: 1))
        }
        await rejects(.current, "UpdateAnalysisNode.index") { [node] in
            _ = try await $0.analysisNodes.update(node, UpdateAnalysisNode(index: .set(1)))
        }
    }

    @Test func analysisBuckets() async {
        let legacy = await bodies(.legacy) { [analysis] in
            _ = try? await $0.analysisBuckets.create(CreateAnalysisBucket(analysis: analysis, type: .code))
        }
        #expect(legacy == [#"{"analysis_id":"\#(analysis)","type":"CODE"}"#])
        let current = await bodies(.current) { [analysis, bucket] in
            _ = try? await $0.analysisBuckets.create(
                CreateAnalysisBucket(analysis: analysis, type: .temp, bucketId: AnyResourceID(stringLiteral: bucket)))
        }
        #expect(current == [#"{"analysisId":"\#(analysis)","bucketId":"\#(bucket)","type":"TEMP"}"#])
        await rejects(.legacy, "CreateAnalysisBucket.bucketId") { [analysis, bucket] in
            _ = try await $0.analysisBuckets.create(
                CreateAnalysisBucket(analysis: analysis, type: .code, bucketId: AnyResourceID(stringLiteral: bucket)))
        }
    }

    @Test func analysisBucketFiles() async {
        let create = CreateAnalysisBucketFile(
            analysisBucket: project, path: "a/b.py", bucketFileId: AnyResourceID(stringLiteral: file))
        let legacy = await bodies(.legacy) { [file] in
            _ = try? await $0.analysisBucketFiles.create(create)
            _ = try? await $0.analysisBucketFiles.update(file, UpdateAnalysisBucketFile(path: "c.py", root: true))
        }
        #expect(
            legacy == [
                #"{"bucket_id":"\#(project)","external_id":"\#(file)","name":"a/b.py"}"#,
                #"{"name":"c.py","root":true}"#,
            ])
        let current = await bodies(.current) { [file] in
            _ = try? await $0.analysisBucketFiles.update(file, UpdateAnalysisBucketFile(path: "c.py"))
        }
        #expect(current == [#"{"path":"c.py"}"#])
    }
}
