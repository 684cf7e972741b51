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
    public var registries: Resource<CoreResources.Registries> { resource() }
    /// `/registry-projects`.
    public var registryProjects: Resource<CoreResources.RegistryProjects> { resource() }
    /// `/nodes`.
    public var nodes: Resource<CoreResources.Nodes> { resource() }
    /// `/master-image-groups` (read and delete).
    public var masterImageGroups: Resource<CoreResources.MasterImageGroups> { resource() }
    /// `/master-images` (read and delete; see ``syncMasterImages()`` and ``buildMasterImage(_:)``).
    public var masterImages: Resource<CoreResources.MasterImages> { resource() }
    /// `/master-image-event-logs` (legacy generation, read and delete).
    public var masterImageEventLogs: Resource<CoreResources.MasterImageEventLogs> { resource() }
    /// `/projects`.
    public var projects: Resource<CoreResources.Projects> { resource() }
    /// `/project-nodes`.
    public var projectNodes: Resource<CoreResources.ProjectNodes> { resource() }
    /// `/analyses`.
    public var analyses: Resource<CoreResources.Analyses> { resource() }
    /// `/analysis-nodes`.
    public var analysisNodes: Resource<CoreResources.AnalysisNodes> { resource() }
    /// `/analysis-buckets`.
    public var analysisBuckets: Resource<CoreResources.AnalysisBuckets> { resource() }
    /// `/analysis-bucket-files`.
    public var analysisBucketFiles: Resource<CoreResources.AnalysisBucketFiles> { resource() }
    /// `/analysis-node-events` (read-only, current generation).
    public var analysisNodeEvents: Resource<CoreResources.AnalysisNodeEvents> { resource() }
    /// `/analysis-logs` as database rows (legacy generation; current Hubs: ``findAnalysisLogs(analysisId:level:page:)``).
    public var analysisLogs: Resource<CoreResources.AnalysisLogs> { resource() }
    /// `/analysis-node-logs` as database rows (legacy generation; current Hubs:
    /// ``createAnalysisNodeLog(analysisId:nodeId:level:message:status:code:labels:)``).
    public var analysisNodeLogs: Resource<CoreResources.AnalysisNodeLogs> { resource() }
}
