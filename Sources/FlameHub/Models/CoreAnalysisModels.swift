#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// Analyses and their satellites. Fields renamed between the generations decode into one Swift
// property (legacy `run_status` → ``Analysis/executionStatus``, …), by each type's `wireRules`.

/// An analysis: code run on the nodes of a project.
public struct Analysis: HubModel {
    public var id: UUID
    public var name: String?
    public var displayName: String?
    public var description: String?
    public var projectId: UUID
    public var realmId: UUID?
    public var userId: UUID?
    /// The analysis' OAuth2 client (current generation).
    public var clientId: UUID?
    public var masterImageId: UUID?
    public var registryId: UUID?
    public var imageCommandArguments: [CommandArgument]?
    public var nodes: Int?
    public var nodesApproved: Int?
    public var configurationLocked: Bool?
    public var configurationEntrypointValid: Bool?
    public var configurationImageValid: Bool?
    public var configurationNodeAggregatorValid: Bool?
    public var configurationNodeDefaultValid: Bool?
    public var configurationNodesValid: Bool?
    public var buildNodesValid: Bool?
    /// Whether every node can receive the analysis: `distributionNodesValid`, or `buildNodesValid`
    /// from Hubs that still name it so (0.14.0: `packages/core-kit/src/domains/analysis/entity.ts`).
    public var distributionNodesValid: Bool?
    public var buildStatus: ProcessStatus?
    public var buildProgress: Int?
    public var buildHash: String?
    public var buildOs: String?
    public var buildSize: Int64?
    public var distributionStatus: ProcessStatus?
    public var distributionProgress: Int?
    /// The execution status; legacy Hubs call it `run_status` (decoded here as well).
    public var executionStatus: ProcessStatus?
    public var executionProgress: Int?
    public var project: Project?
    public var masterImage: MasterImage?
    public var createdAt: Date
    public var updatedAt: Date

    public static var includableRelations: [String] { ["project", "masterImage"] }

    public init(from decoder: any Decoder) throws {
        let keys = try WireDecodingContainer(decoder, keyedBy: CodingKeys.self, rules: Self.wireRules)
        id = try keys.decode(UUID.self, forKey: .id)
        name = try keys.decodeIfPresent(String.self, forKey: .name)
        displayName = try keys.decodeIfPresent(String.self, forKey: .displayName)
        description = try keys.decodeIfPresent(String.self, forKey: .description)
        projectId = try keys.decode(UUID.self, forKey: .projectId)
        realmId = try keys.decodeIfPresent(UUID.self, forKey: .realmId)
        userId = try keys.decodeIfPresent(UUID.self, forKey: .userId)
        clientId = try keys.decodeIfPresent(UUID.self, forKey: .clientId)
        masterImageId = try keys.decodeIfPresent(UUID.self, forKey: .masterImageId)
        registryId = try keys.decodeIfPresent(UUID.self, forKey: .registryId)
        imageCommandArguments = try keys.decodeIfPresent([CommandArgument].self, forKey: .imageCommandArguments)
        nodes = try keys.decodeIfPresent(Int.self, forKey: .nodes)
        nodesApproved = try keys.decodeIfPresent(Int.self, forKey: .nodesApproved)
        configurationLocked = try keys.decodeIfPresent(Bool.self, forKey: .configurationLocked)
        configurationEntrypointValid = try keys.decodeIfPresent(Bool.self, forKey: .configurationEntrypointValid)
        configurationImageValid = try keys.decodeIfPresent(Bool.self, forKey: .configurationImageValid)
        configurationNodeAggregatorValid = try keys.decodeIfPresent(
            Bool.self, forKey: .configurationNodeAggregatorValid)
        configurationNodeDefaultValid = try keys.decodeIfPresent(Bool.self, forKey: .configurationNodeDefaultValid)
        configurationNodesValid = try keys.decodeIfPresent(Bool.self, forKey: .configurationNodesValid)
        buildNodesValid = try keys.decodeIfPresent(Bool.self, forKey: .buildNodesValid)
        distributionNodesValid =
            try keys.decodeIfPresent(Bool.self, forKey: .distributionNodesValid) ?? buildNodesValid
        buildStatus = try keys.decodeIfPresent(ProcessStatus.self, forKey: .buildStatus)
        buildProgress = try keys.decodeIfPresent(Int.self, forKey: .buildProgress)
        buildHash = try keys.decodeIfPresent(String.self, forKey: .buildHash)
        buildOs = try keys.decodeIfPresent(String.self, forKey: .buildOs)
        buildSize = try keys.decodeIfPresent(Int64.self, forKey: .buildSize)
        distributionStatus = try keys.decodeIfPresent(ProcessStatus.self, forKey: .distributionStatus)
        distributionProgress = try keys.decodeIfPresent(Int.self, forKey: .distributionProgress)
        executionStatus = try keys.decodeIfPresent(ProcessStatus.self, forKey: .executionStatus)
        executionProgress = try keys.decodeIfPresent(Int.self, forKey: .executionProgress)
        project = try keys.decodeIfPresent(Project.self, forKey: .project)
        masterImage = try keys.decodeIfPresent(MasterImage.self, forKey: .masterImage)
        createdAt = try keys.decode(Date.self, forKey: .createdAt)
        updatedAt = try keys.decode(Date.self, forKey: .updatedAt)
    }
}

extension Analysis: WireRuled {
    static let wireRules: WireRules = WireRules(
        CodingKeys.self,
        [.displayName: .only([.transitional, .current]), .executionStatus: .named([.legacy: "runStatus"])])
}

/// A node's assignment to an analysis.
public struct AnalysisNode: HubModel {
    public var id: UUID
    /// `nil` while pending.
    public var approvalStatus: ApprovalStatus?
    /// The node's execution status; legacy Hubs call it `run_status` (decoded here as well).
    public var executionStatus: ProcessStatus?
    /// Current generation.
    public var executionProgress: Int?
    /// Legacy generation (removed in 0.8.17).
    public var index: Int?
    public var comment: String?
    public var artifactTag: String?
    public var artifactDigest: String?
    public var analysisId: UUID
    public var analysisRealmId: UUID?
    public var nodeId: UUID
    public var nodeRealmId: UUID?
    public var analysis: Analysis?
    public var node: Node?
    public var createdAt: Date
    public var updatedAt: Date

    public static var includableRelations: [String] { ["node", "analysis"] }

    public init(from decoder: any Decoder) throws {
        let keys = try WireDecodingContainer(decoder, keyedBy: CodingKeys.self, rules: Self.wireRules)
        id = try keys.decode(UUID.self, forKey: .id)
        approvalStatus = try keys.decodeIfPresent(ApprovalStatus.self, forKey: .approvalStatus)
        executionStatus = try keys.decodeIfPresent(ProcessStatus.self, forKey: .executionStatus)
        executionProgress = try keys.decodeIfPresent(Int.self, forKey: .executionProgress)
        index = try keys.decodeIfPresent(Int.self, forKey: .index)
        comment = try keys.decodeIfPresent(String.self, forKey: .comment)
        artifactTag = try keys.decodeIfPresent(String.self, forKey: .artifactTag)
        artifactDigest = try keys.decodeIfPresent(String.self, forKey: .artifactDigest)
        analysisId = try keys.decode(UUID.self, forKey: .analysisId)
        analysisRealmId = try keys.decodeIfPresent(UUID.self, forKey: .analysisRealmId)
        nodeId = try keys.decode(UUID.self, forKey: .nodeId)
        nodeRealmId = try keys.decodeIfPresent(UUID.self, forKey: .nodeRealmId)
        analysis = try keys.decodeIfPresent(Analysis.self, forKey: .analysis)
        node = try keys.decodeIfPresent(Node.self, forKey: .node)
        createdAt = try keys.decode(Date.self, forKey: .createdAt)
        updatedAt = try keys.decode(Date.self, forKey: .updatedAt)
    }
}

extension AnalysisNode: WireRuled {
    static let wireRules: WireRules = WireRules(
        CodingKeys.self,
        [
            .executionStatus: .named([.legacy: "runStatus"]),
            .executionProgress: .only([.transitional, .current]),
            .index: .only([.legacy]),
        ])
}

/// The link between an analysis and one of its storage buckets.
public struct AnalysisBucket: HubModel {
    public var id: UUID
    public var type: AnalysisBucketType
    /// The storage bucket; legacy Hubs call it `external_id` (decoded here as well).
    public var bucketId: UUID?
    public var analysisId: UUID
    public var realmId: UUID?
    public var analysis: Analysis?
    public var createdAt: Date
    public var updatedAt: Date

    public static var includableRelations: [String] { ["analysis"] }

    public init(from decoder: any Decoder) throws {
        let keys = try WireDecodingContainer(decoder, keyedBy: CodingKeys.self, rules: Self.wireRules)
        id = try keys.decode(UUID.self, forKey: .id)
        type = try keys.decode(AnalysisBucketType.self, forKey: .type)
        bucketId = try keys.decodeIfPresent(UUID.self, forKey: .bucketId)
        analysisId = try keys.decode(UUID.self, forKey: .analysisId)
        realmId = try keys.decodeIfPresent(UUID.self, forKey: .realmId)
        analysis = try keys.decodeIfPresent(Analysis.self, forKey: .analysis)
        createdAt = try keys.decode(Date.self, forKey: .createdAt)
        updatedAt = try keys.decode(Date.self, forKey: .updatedAt)
    }
}

extension AnalysisBucket: WireRuled {
    static let wireRules: WireRules = WireRules(CodingKeys.self, [.bucketId: .named([.legacy: "externalId"])])
}

/// A file of an analysis bucket, linked to its storage bucket file.
///
/// Both generations decode into the current names: legacy `name` is ``path``, legacy
/// `external_id` is ``bucketFileId`` and legacy `bucket_id` (the *analysis* bucket) is
/// ``analysisBucketId``; ``bucketId`` (the storage bucket) is only known on current Hubs.
public struct AnalysisBucketFile: HubModel {
    public var id: UUID
    /// The file's path inside the bucket.
    public var path: String
    /// Whether this is the analysis' entrypoint.
    public var root: Bool?
    /// The storage bucket (current generation).
    public var bucketId: UUID?
    /// The storage bucket file.
    public var bucketFileId: UUID?
    /// The analysis bucket.
    public var analysisBucketId: UUID?
    public var analysisId: UUID?
    public var realmId: UUID?
    public var userId: UUID?
    public var robotId: UUID?
    public var clientId: UUID?
    public var analysis: Analysis?
    /// The analysis bucket (legacy Hubs call the relation `bucket`).
    public var analysisBucket: AnalysisBucket?
    public var createdAt: Date
    public var updatedAt: Date

    /// `bucket` is the legacy name of `analysisBucket`; each server ignores the other's name.
    public static var includableRelations: [String] { ["analysis", "analysisBucket", "bucket"] }

    public init(from decoder: any Decoder) throws {
        let keys = try WireDecodingContainer(decoder, keyedBy: CodingKeys.self, rules: Self.wireRules)
        id = try keys.decode(UUID.self, forKey: .id)
        path = try keys.decode(String.self, forKey: .path)
        root = try keys.decodeIfPresent(Bool.self, forKey: .root)
        bucketId = try keys.decodeIfPresent(UUID.self, forKey: .bucketId)
        bucketFileId = try keys.decodeIfPresent(UUID.self, forKey: .bucketFileId)
        analysisBucketId = try keys.decodeIfPresent(UUID.self, forKey: .analysisBucketId)
        analysisId = try keys.decodeIfPresent(UUID.self, forKey: .analysisId)
        realmId = try keys.decodeIfPresent(UUID.self, forKey: .realmId)
        userId = try keys.decodeIfPresent(UUID.self, forKey: .userId)
        robotId = try keys.decodeIfPresent(UUID.self, forKey: .robotId)
        clientId = try keys.decodeIfPresent(UUID.self, forKey: .clientId)
        analysis = try keys.decodeIfPresent(Analysis.self, forKey: .analysis)
        analysisBucket = try keys.decodeIfPresent(AnalysisBucket.self, forKey: .analysisBucket)
        createdAt = try keys.decode(Date.self, forKey: .createdAt)
        updatedAt = try keys.decode(Date.self, forKey: .updatedAt)
    }
}

extension AnalysisBucketFile: WireRuled {
    /// Legacy `bucket_id` is the *analysis* bucket, current `bucketId` the storage bucket: the
    /// same key names different fields, so decoding first tells the generations apart by the
    /// keys only one of them has (see ``WireRules/markers``).
    static let wireRules: WireRules = WireRules(
        CodingKeys.self,
        [
            .path: .named([.legacy: "name"]),
            .bucketFileId: .named([.legacy: "externalId"]),
            .analysisBucketId: .named([.legacy: "bucketId"]),
            .bucketId: .only([.transitional, .current]),
            .analysisBucket: .named([.legacy: "bucket"]),
        ])
}

/// A row of `/analysis-logs` on legacy Hubs (database-backed; current Hubs serve ``LogEntry``
/// lines instead).
public struct AnalysisLog: HubModel {
    public var id: UUID
    public var component: String?
    public var command: String?
    public var event: String?
    public var error: Bool?
    public var errorCode: String?
    public var status: String?
    public var statusMessage: String?
    public var meta: JSONValue?
    public var analysisId: UUID?
    public var realmId: UUID?
    public var analysis: Analysis?
    public var createdAt: Date
    public var updatedAt: Date

    public static var includableRelations: [String] { ["analysis"] }
}

/// A row of `/analysis-node-logs` on legacy Hubs (database-backed, with ids; current Hubs serve
/// ``LogEntry`` lines instead).
public struct AnalysisNodeLog: HubModel {
    public var id: UUID
    public var error: Bool?
    public var errorCode: String?
    public var status: String?
    public var statusMessage: String?
    public var analysisId: UUID
    public var analysisRealmId: UUID?
    public var nodeId: UUID
    public var nodeRealmId: UUID?
    public var analysis: Analysis?
    public var node: Node?
    public var createdAt: Date
    public var updatedAt: Date

    public static var includableRelations: [String] { ["analysis", "node"] }
}

/// One log line of an analysis or analysis node, as the telemetry-backed log endpoints of
/// current Hubs serve it. On legacy Hubs ``CoreClient`` converts the database rows to this shape.
public struct LogEntry: Codable, Sendable, Hashable {
    /// When the line was written.
    public var time: Date?
    public var level: LogLevel?
    public var message: String?
    /// The writing service, e.g. `hub-server-core`.
    public var service: String?
    /// `http`, `websocket`, `background` or `system`.
    public var channel: String?
    /// Labels such as `analysisId`, `nodeId`, `status`, `code`.
    public var labels: [String: String]?

    /// A log line from its parts.
    public init(
        time: Date? = nil, level: LogLevel? = nil, message: String? = nil, service: String? = nil,
        channel: String? = nil, labels: [String: String]? = nil
    ) {
        self.time = time
        self.level = level
        self.message = message
        self.service = service
        self.channel = channel
        self.labels = labels
    }
}

/// An event of a node in an analysis (`/analysis-node-events`, read-only, current generation).
public struct AnalysisNodeEvent: HubModel {
    public var id: UUID
    /// The telemetry event.
    public var eventId: UUID?
    public var analysisId: UUID
    public var analysisRealmId: UUID?
    public var nodeId: UUID
    public var nodeRealmId: UUID?
    public var analysis: Analysis?
    public var node: Node?
    public var createdAt: Date
    public var updatedAt: Date

    public static var includableRelations: [String] { ["analysis", "node"] }
}
