/// The client of the Hub core service.
///
/// ```swift
/// let core = CoreClient(baseURL: "http://localhost:3000/core/", auth: auth)
/// let nodes = try await core.nodes.find(filter: ["name": "~my-node-4"])
/// for try await node in core.nodes.findAll(sort: Sort(by: "createdAt")) { print(node.name) }
/// ```
public struct CoreClient: HubClient {
    public static let service = HubService.core
    /// `https://core.privateaim.dev`.
    public static let defaultBaseURL = "https://core.privateaim.dev"
    public let context: HubContext

    public init(context: HubContext) {
        self.context = context
    }

    /// `/nodes`.
    @ResourceMethods("Node", "Nodes", [.list, .get, .create, .update, .delete])
    public var nodes: Resource<CoreResources.Nodes> { resource() }
}

/// The declarations of the core service's resources.
public enum CoreResources {
    /// `/nodes`: every operation.
    public enum Nodes: CRUDResource {
        public typealias Model = Node
        public typealias Create = CreateNode
        public typealias Update = UpdateNode
        public static let path = "nodes"
    }
}
