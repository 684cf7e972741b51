#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import HTTPTypes

/// The client of the Hub core service: registries, nodes, master images, projects, analyses and
/// their nodes, buckets, files and logs, plus the commands and credentials beyond CRUD.
///
/// ```swift
/// let core = CoreClient(baseURL: "http://localhost:3000/core/", auth: auth)
/// let nodes = try await core.nodes.find(filter: ["name": "~my-node-4"])
/// for try await node in core.nodes.findAll(sort: Sort(by: "createdAt")) { print(node.name) }
/// let node = try await core.createNode(CreateNode(name: "my-node"))
/// try await core.updateNode(node, UpdateNode(hidden: true))
/// try await core.deleteNode(node)
/// ```
///
/// Every resource is available as a property (`core.analyses.find(…)`) and as guide-style
/// methods (`core.findAnalyses(…)`). Differences between Hub generations are handled inside:
/// models decode both generations' payloads into one shape, bodies are spelled for the connected
/// generation, and what the connected generation lacks throws ``HubClientError``
/// (``HubClientError/Code/unsupportedByServer``) before anything is sent.
public struct CoreClient: HubClient {
    public static let service = HubService.core
    /// `https://core.privateaim.dev`.
    public static let defaultBaseURL = "https://core.privateaim.dev"
    public let context: HubContext

    public init(context: HubContext) {
        self.context = context
    }

    /// `/registries`.
    @ResourceMethods("Registry", "Registries", [.list, .get, .create, .update, .delete])
    public var registries: Resource<CoreResources.Registries> { resource() }
    /// `/registry-projects`.
    @ResourceMethods("RegistryProject", "RegistryProjects", [.list, .get, .create, .update, .delete])
    public var registryProjects: Resource<CoreResources.RegistryProjects> { resource() }
    /// `/nodes`.
    @ResourceMethods("Node", "Nodes", [.list, .get, .create, .update, .delete])
    public var nodes: Resource<CoreResources.Nodes> { resource() }
    /// `/master-image-groups` (read and delete).
    @ResourceMethods("MasterImageGroup", "MasterImageGroups", [.list, .get, .delete])
    public var masterImageGroups: Resource<CoreResources.MasterImageGroups> { resource() }
    /// `/master-images` (read and delete; see ``syncMasterImages()`` and ``buildMasterImage(_:)``).
    @ResourceMethods("MasterImage", "MasterImages", [.list, .get, .delete])
    public var masterImages: Resource<CoreResources.MasterImages> { resource() }
    /// `/master-image-event-logs` (legacy generation, read and delete).
    @ResourceMethods("MasterImageEventLog", "MasterImageEventLogs", [.list, .get, .delete])
    public var masterImageEventLogs: Resource<CoreResources.MasterImageEventLogs> { resource() }
    /// `/projects`.
    @ResourceMethods("Project", "Projects", [.list, .get, .create, .update, .delete])
    public var projects: Resource<CoreResources.Projects> { resource() }
    /// `/project-nodes`.
    @ResourceMethods("ProjectNode", "ProjectNodes", [.list, .get, .create, .update, .delete])
    public var projectNodes: Resource<CoreResources.ProjectNodes> { resource() }
    /// `/analyses`.
    @ResourceMethods("Analysis", "Analyses", [.list, .get, .create, .update, .delete])
    public var analyses: Resource<CoreResources.Analyses> { resource() }
    /// `/analysis-nodes`.
    @ResourceMethods("AnalysisNode", "AnalysisNodes", [.list, .get, .create, .update, .delete])
    public var analysisNodes: Resource<CoreResources.AnalysisNodes> { resource() }
    /// `/analysis-buckets`.
    @ResourceMethods("AnalysisBucket", "AnalysisBuckets", [.list, .get, .create, .delete])
    public var analysisBuckets: Resource<CoreResources.AnalysisBuckets> { resource() }
    /// `/analysis-bucket-files`.
    @ResourceMethods("AnalysisBucketFile", "AnalysisBucketFiles", [.list, .get, .create, .update, .delete])
    public var analysisBucketFiles: Resource<CoreResources.AnalysisBucketFiles> { resource() }
    /// `/analysis-node-events` (read-only, current generation).
    @ResourceMethods("AnalysisNodeEvent", "AnalysisNodeEvents", [.list, .get])
    public var analysisNodeEvents: Resource<CoreResources.AnalysisNodeEvents> { resource() }
    /// `/analysis-logs` as database rows (legacy generation; current Hubs: ``findAnalysisLogs(analysisId:level:page:)``).
    @ResourceMethods("AnalysisLog", "AnalysisLogs", [.list, .get, .delete])
    public var analysisLogs: Resource<CoreResources.AnalysisLogs> { resource() }
    /// `/analysis-node-logs` as database rows (legacy generation; current Hubs:
    /// ``createAnalysisNodeLog(analysisId:nodeId:level:message:status:code:labels:)``).
    @ResourceMethods("AnalysisNodeLog", "AnalysisNodeLogs", [.list, .get, .create, .update, .delete])
    public var analysisNodeLogs: Resource<CoreResources.AnalysisNodeLogs> { resource() }
}
