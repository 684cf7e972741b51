/// The declarations of the core service's resources.
public enum CoreResources {
    /// `/registries`: every operation.
    public enum Registries: CRUDResource {
        public typealias Model = Registry
        public typealias Create = CreateRegistry
        public typealias Update = UpdateRegistry
        public static let path = "registries"
    }

    /// `/registry-projects`: every operation.
    public enum RegistryProjects: CRUDResource {
        public typealias Model = RegistryProject
        public typealias Create = CreateRegistryProject
        public typealias Update = UpdateRegistryProject
        public static let path = "registry-projects"
    }

    /// `/nodes`: every operation.
    public enum Nodes: CRUDResource {
        public typealias Model = Node
        public typealias Create = CreateNode
        public typealias Update = UpdateNode
        public static let path = "nodes"
    }

    /// `/master-image-groups`: list, get, delete.
    public enum MasterImageGroups: ReadDeleteResource {
        public typealias Model = MasterImageGroup
        public static let path = "master-image-groups"
    }

    /// `/master-images`: list, get, delete.
    public enum MasterImages: ReadDeleteResource {
        public typealias Model = MasterImage
        public static let path = "master-images"
    }

    /// `/master-image-event-logs`: list, get, delete; legacy generation only (removed in 0.8.15).
    public enum MasterImageEventLogs: ReadDeleteResource {
        public typealias Model = MasterImageEventLog
        public static let path = "master-image-event-logs"
        public static var generations: Set<HubGeneration> { [.legacy] }
    }

    /// `/projects`: every operation.
    public enum Projects: CRUDResource {
        public typealias Model = Project
        public typealias Create = CreateProject
        public typealias Update = UpdateProject
        public static let path = "projects"
    }

    /// `/project-nodes`: every operation.
    public enum ProjectNodes: CRUDResource {
        public typealias Model = ProjectNode
        public typealias Create = CreateProjectNode
        public typealias Update = UpdateProjectNode
        public static let path = "project-nodes"
    }

    /// `/analyses`: every operation.
    public enum Analyses: CRUDResource {
        public typealias Model = Analysis
        public typealias Create = CreateAnalysis
        public typealias Update = UpdateAnalysis
        public static let path = "analyses"
    }

    /// `/analysis-nodes`: every operation.
    public enum AnalysisNodes: CRUDResource {
        public typealias Model = AnalysisNode
        public typealias Create = CreateAnalysisNode
        public typealias Update = UpdateAnalysisNode
        public static let path = "analysis-nodes"
    }

    /// `/analysis-buckets`: list, get, create, delete (the update route accepts no fields).
    public enum AnalysisBuckets: ListableResource, GettableResource, CreatableResource, DeletableResource {
        public typealias Model = AnalysisBucket
        public typealias Create = CreateAnalysisBucket
        public static let path = "analysis-buckets"
    }

    /// `/analysis-bucket-files`: every operation.
    public enum AnalysisBucketFiles: CRUDResource {
        public typealias Model = AnalysisBucketFile
        public typealias Create = CreateAnalysisBucketFile
        public typealias Update = UpdateAnalysisBucketFile
        public static let path = "analysis-bucket-files"
    }

    /// `/analysis-node-events`: list, get; transitional and current generations (the legacy
    /// reference, 0.8.13, lacks it).
    public enum AnalysisNodeEvents: ListableResource, GettableResource {
        public typealias Model = AnalysisNodeEvent
        public static let path = "analysis-node-events"
        public static var generations: Set<HubGeneration> { [.transitional, .current] }
    }

    /// `/analysis-logs` rows: list, get, delete; legacy generation only (telemetry since 0.8.16).
    public enum AnalysisLogs: ReadDeleteResource {
        public typealias Model = AnalysisLog
        public static let path = "analysis-logs"
        public static var generations: Set<HubGeneration> { [.legacy] }
    }

    /// `/analysis-node-logs` rows: every operation; legacy generation only (telemetry since 0.8.14).
    public enum AnalysisNodeLogs: CRUDResource {
        public typealias Model = AnalysisNodeLog
        public typealias Create = CreateAnalysisNodeLog
        public typealias Update = UpdateAnalysisNodeLog
        public static let path = "analysis-node-logs"
        public static var generations: Set<HubGeneration> { [.legacy] }
    }

    /// A resource that is only read and deleted (`GET`, `GET /:id`, `DELETE /:id`).
    public typealias ReadDeleteResource = ListableResource & GettableResource & DeletableResource
}
