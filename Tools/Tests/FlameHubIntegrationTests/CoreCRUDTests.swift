import FlameHub
import FlameHubEmulator
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

/// Create, read, update and delete of every `CoreClient` resource the generation has, and the
/// user guide's quickstart, through `CurlTransport` against the emulator.
@Suite("CoreClient CRUD against the emulator")
struct CoreCRUDTests {
    @Test(arguments: HubGeneration.allCases)
    func quickstart(generation: HubGeneration) async throws {
        try await CoreHub.run(generation) { hub in
            let core = hub.core
            let node = try await core.createNode(CreateNode(name: "my-node-42"))
            #expect(node.hidden == false)
            let hidden = try await core.updateNode(node, UpdateNode(hidden: true))
            #expect(hidden.hidden == true)
            #expect(try await core.findNodes(filter: ["name": "my-node-42"]).first?.id == node.id)
            try await core.deleteNode(node)
            #expect(try await core.getNode(node) == nil)
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func everyResource(generation: HubGeneration) async throws {
        try await CoreHub.run(generation) { hub in try await exercise(hub) }
    }

    func exercise(_ hub: CoreHub) async throws {
        let core = hub.core
        let legacy = hub.legacy

        let registry = try await core.createRegistry(
            CreateRegistry(name: "crud-registry", host: "https://harbor.crud.test"))
        #expect(registry.host == "harbor.crud.test")
        #expect(
            try await core.updateRegistry(registry, UpdateRegistry(accountName: "account")).accountName == "account")
        #expect(try await core.findRegistries(filter: ["name": "crud-registry"]).map(\.id) == [registry.id])
        let registryProject = try await core.createRegistryProject(
            CreateRegistryProject(
                name: "crud-registry-project", type: .default, registryId: AnyResourceID(registry),
                externalName: "crud_project"))
        #expect(try await core.getRegistryProject(registryProject)?.registry?.id == registry.id)
        #expect(
            try await core.updateRegistryProject(registryProject, UpdateRegistryProject(name: "crud-renamed")).name
                == "crud-renamed")

        let node = try await core.createNode(CreateNode(name: "crud-node", registryId: AnyResourceID(registry)))
        #expect(node.registryId == registry.id)
        #expect(legacy ? node.robotId != nil : node.clientId != nil)
        #expect(node.identityId == (legacy ? node.robotId : node.clientId))
        let aggregator = try await core.createNode(CreateNode(name: "crud-aggregator", type: .aggregator))
        #expect(try await core.getNode(node)?.registryProject?.id == node.registryProjectId)

        let images = try await core.getMasterImages()
        let image = try #require(images.first)
        #expect(try await core.getMasterImage(image)?.virtualPath == image.virtualPath)
        let groups = try await core.findMasterImageGroups(filter: ["virtualPath": "python"])
        #expect(groups.count == 1)
        #expect(try await core.getMasterImageGroup(try #require(groups.first))?.name == "Python")

        let project = try await core.createProject(
            CreateProject(
                name: "crud-project", description: "a project of the CRUD test", masterImageId: AnyResourceID(image)))
        #expect(try await core.getProject(project)?.masterImage?.id == image.id)
        #expect(try await core.updateProject(project, UpdateProject(description: nil)).description == nil)
        let membership = try await core.createProjectNode(CreateProjectNode(project: project, node: node))
        let approved = try await core.updateProjectNode(
            membership, UpdateProjectNode(approvalStatus: .set(.approved), comment: "welcome"))
        #expect(approved.approvalStatus == .approved)
        let aggregatorMembership = try await core.createProjectNode(
            CreateProjectNode(project: project, node: aggregator))
        #expect(aggregatorMembership.approvalStatus == .approved)
        #expect(try await core.getProjectNode(membership)?.node?.name == "crud-node")

        let analysis = try await core.createAnalysis(
            CreateAnalysis(project: project, name: "crud-analysis", masterImageId: AnyResourceID(image)))
        #expect(analysis.projectId == project.id)
        let described = try await core.updateAnalysis(analysis, UpdateAnalysis(description: "described here"))
        #expect(described.description == "described here")
        #expect(try await core.getAnalysis(analysis)?.project?.id == project.id)

        var assignment = try await core.findAnalysisNodes(filter: [
            "analysisId": .equals(analysis.id), "nodeId": .equals(node.id),
        ]).first
        if assignment == nil {
            assignment = try await core.createAnalysisNode(CreateAnalysisNode(analysis: analysis, node: node))
        }
        let analysisNode = try #require(assignment)
        let commented = try await core.updateAnalysisNode(
            analysisNode, UpdateAnalysisNode(approvalStatus: .set(.approved), comment: "looks good"))
        #expect(commented.comment == "looks good")
        #expect(try await core.getAnalysisNode(analysisNode)?.analysis?.id == analysis.id)

        let buckets = try await eventually("the analysis buckets") {
            let found = try await core.findAnalysisBuckets(filter: ["analysisId": .equals(analysis.id)])
            return found.count == 3 ? found : nil
        }
        #expect(Set(buckets.map(\.type)) == [.code, .result, .temp])
        #expect(buckets.allSatisfy { $0.bucketId != nil })
        let code = try #require(buckets.first { $0.type == .code })
        #expect(try await core.getAnalysisBucket(code)?.analysis?.id == analysis.id)
        let extraBucket = try await core.createAnalysisBucket(
            CreateAnalysisBucket(analysis: analysis, type: .temp, bucketId: legacy ? nil : AnyResourceID(UUID())))
        try await core.deleteAnalysisBucket(extraBucket)

        let file = try await core.createAnalysisBucketFile(
            CreateAnalysisBucketFile(
                analysisBucket: code, path: "main.py", bucketFileId: AnyResourceID(UUID()),
                bucketId: legacy ? nil : code.bucketId.map { AnyResourceID($0) }))
        #expect(file.path == "main.py")
        #expect(file.analysisBucketId == code.id)
        let root = try await core.updateAnalysisBucketFile(file, UpdateAnalysisBucketFile(root: true))
        #expect(root.root == true)
        #expect(
            try await core.findAnalysisBucketFiles(filter: ["analysisId": .equals(analysis.id)]).map(\.id) == [file.id])
        try await core.deleteAnalysisBucketFile(file)
        #expect(try await core.getAnalysisBucketFile(file) == nil)

        if legacy {
            let row = try await core.createAnalysisNodeLog(
                CreateAnalysisNodeLog(analysis: analysis, node: node, status: "started", statusMessage: "hello"))
            #expect(
                try await core.updateAnalysisNodeLog(row, UpdateAnalysisNodeLog(statusMessage: "bye")).statusMessage
                    == "bye")
            #expect(try await core.getAnalysisNodeLog(row)?.node?.id == node.id)
            try await core.deleteAnalysisNodeLog(row)
            let logs = try await core.findAnalysisLogs(filter: ["analysisId": .equals(analysis.id)])
            let first = try #require(logs.first)
            #expect(try await core.getAnalysisLog(first)?.analysisId == analysis.id)
            try await core.deleteAnalysisLog(first)
            #expect(try await core.getMasterImageEventLogs().isEmpty)
        }

        try await core.deleteAnalysisNode(analysisNode)
        try await core.deleteAnalysis(analysis)
        #expect(try await core.getAnalysis(analysis) == nil)
        try await core.deleteProjectNode(membership)
        try await core.deleteProjectNode(aggregatorMembership)
        try await core.deleteProject(project)
        try await core.deleteNode(node)
        try await core.deleteNode(aggregator)
        try await core.deleteRegistryProject(registryProject)
        try await core.deleteRegistry(registry)
        #expect(try await core.getRegistry(registry) == nil)
        let group = try #require(groups.first)
        try await core.deleteMasterImageGroup(group)
        try await core.deleteMasterImage(image)
        #expect(try await core.getMasterImage(image) == nil)
    }
}
