#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// Create and update bodies of the core service. Create bodies send the fields that are not nil;
// update bodies only the fields whose ``Patch`` is set. Fields that exist in one generation only
// are spelled for the connected generation by the SDK, or rejected before sending
// (``HubClientError/Code/unsupportedByServer``) when the server's generation lacks them.

/// The body of `POST /registries`.
public struct CreateRegistry: Encodable, Sendable, Hashable {
    public var name: String
    /// A bare host name; `https://` prefixes are stripped by the server.
    public var host: String
    public var accountName: String?
    public var accountSecret: SecretString?

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

/// The body of `POST /registries/:id`.
public struct UpdateRegistry: Encodable, Sendable, Hashable {
    public var name: Patch<String>
    public var host: Patch<String>
    public var accountName: Patch<String?>
    public var accountSecret: Patch<SecretString?>

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

/// The body of `POST /registry-projects`. Account fields are filled by the Hub's registry link.
public struct CreateRegistryProject: Encodable, Sendable, Hashable {
    public var name: String
    public var type: RegistryProjectType
    public var registryId: AnyResourceID
    /// The project's name inside the registry (`^[a-z0-9-_]*$`).
    public var externalName: String

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

/// The body of `POST /registry-projects/:id`.
public struct UpdateRegistryProject: Encodable, Sendable, Hashable {
    public var name: Patch<String>
    public var externalName: Patch<String>

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

/// The body of `POST /projects`. Legacy Hubs require a `name`; current ones generate one.
public struct CreateProject: Encodable, Sendable, Hashable {
    public var name: String?
    /// Current generation only.
    public var displayName: String?
    public var description: String?
    public var masterImageId: AnyResourceID?

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

extension CreateProject: WireRuled {
    static let wireRules: WireRules = Project.wireRules.restricted(to: CodingKeys.self)
}

/// The body of `POST /projects/:id`.
public struct UpdateProject: Encodable, Sendable, Hashable {
    public var name: Patch<String>
    /// Current generation only.
    public var displayName: Patch<String?>
    public var description: Patch<String?>
    public var masterImageId: Patch<AnyResourceID?>

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

extension UpdateProject: WireRuled {
    static let wireRules: WireRules = Project.wireRules.restricted(to: CodingKeys.self)
}

/// The body of `POST /project-nodes`.
public struct CreateProjectNode: Encodable, Sendable, Hashable {
    public var projectId: AnyResourceID
    public var nodeId: AnyResourceID

    /// Adds `node` to `project`.
    public init(project: some ResourceIdentifier, node: some ResourceIdentifier) {
        projectId = AnyResourceID(project)
        nodeId = AnyResourceID(node)
    }
}

/// The body of `POST /project-nodes/:id` (a node's answer).
public struct UpdateProjectNode: Encodable, Sendable, Hashable {
    public var approvalStatus: Patch<ApprovalStatus?>
    public var comment: Patch<String?>

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

/// The body of `POST /analyses`.
public struct CreateAnalysis: Encodable, Sendable, Hashable {
    public var projectId: AnyResourceID
    public var name: String?
    /// Current generation only.
    public var displayName: String?
    public var description: String?
    public var masterImageId: AnyResourceID?
    public var registryId: AnyResourceID?
    public var imageCommandArguments: [CommandArgument]?

    public init(
        project: some ResourceIdentifier, name: String? = nil, displayName: String? = nil, description: String? = nil,
        masterImageId: AnyResourceID? = nil, registryId: AnyResourceID? = nil,
        imageCommandArguments: [CommandArgument]? = nil
    ) {
        projectId = AnyResourceID(project)
        self.name = name
        self.displayName = displayName
        self.description = description
        self.masterImageId = masterImageId
        self.registryId = registryId
        self.imageCommandArguments = imageCommandArguments
    }
}

extension CreateAnalysis: WireRuled {
    static let wireRules: WireRules = Analysis.wireRules.restricted(to: CodingKeys.self)
}

/// The body of `POST /analyses/:id`. Changing `masterImageId` resets `imageCommandArguments`.
public struct UpdateAnalysis: Encodable, Sendable, Hashable {
    public var name: Patch<String?>
    /// Current generation only.
    public var displayName: Patch<String?>
    public var description: Patch<String?>
    public var masterImageId: Patch<AnyResourceID?>
    /// Cannot be changed once set.
    public var registryId: Patch<AnyResourceID?>
    public var imageCommandArguments: Patch<[CommandArgument]?>

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

extension UpdateAnalysis: WireRuled {
    static let wireRules: WireRules = Analysis.wireRules.restricted(to: CodingKeys.self)
}

/// The body of `POST /analysis-nodes`. `executionStatus` is sent as `run_status` to legacy Hubs.
public struct CreateAnalysisNode: Encodable, Sendable, Hashable {
    public var analysisId: AnyResourceID
    public var nodeId: AnyResourceID
    public var approvalStatus: ApprovalStatus?
    public var executionStatus: ProcessStatus?
    /// 0–100; current generation only.
    public var executionProgress: Int?
    public var comment: String?
    /// Legacy generation only.
    public var index: Int?

    public init(
        analysis: some ResourceIdentifier, node: some ResourceIdentifier, approvalStatus: ApprovalStatus? = nil,
        executionStatus: ProcessStatus? = nil, executionProgress: Int? = nil, comment: String? = nil,
        index: Int? = nil
    ) {
        analysisId = AnyResourceID(analysis)
        nodeId = AnyResourceID(node)
        self.approvalStatus = approvalStatus
        self.executionStatus = executionStatus
        self.executionProgress = executionProgress
        self.comment = comment
        self.index = index
    }
}

extension CreateAnalysisNode: WireRuled {
    static let wireRules: WireRules = AnalysisNode.wireRules.restricted(to: CodingKeys.self)
}

/// The body of `POST /analysis-nodes/:id`. `executionStatus` is sent as `run_status` to legacy Hubs.
public struct UpdateAnalysisNode: Encodable, Sendable, Hashable {
    public var approvalStatus: Patch<ApprovalStatus?>
    public var executionStatus: Patch<ProcessStatus?>
    /// Current generation only.
    public var executionProgress: Patch<Int?>
    public var comment: Patch<String?>
    /// Legacy generation only.
    public var index: Patch<Int>

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

extension UpdateAnalysisNode: WireRuled {
    static let wireRules: WireRules = AnalysisNode.wireRules.restricted(to: CodingKeys.self)
}

/// The body of `POST /analysis-buckets` (normally the Hub creates them). Current Hubs require
/// the storage `bucketId`; legacy Hubs do not accept it.
public struct CreateAnalysisBucket: Encodable, Sendable, Hashable {
    public var analysisId: AnyResourceID
    public var type: AnalysisBucketType
    /// The storage bucket (current generation only, required there).
    public var bucketId: AnyResourceID?

    public init(analysis: some ResourceIdentifier, type: AnalysisBucketType, bucketId: AnyResourceID? = nil) {
        analysisId = AnyResourceID(analysis)
        self.type = type
        self.bucketId = bucketId
    }
}

extension CreateAnalysisBucket: WireRuled {
    /// Not ``AnalysisBucket``'s rules: legacy Hubs report the storage bucket (as `external_id`)
    /// but do not take it on create.
    static let wireRules: WireRules = WireRules(CodingKeys.self, [.bucketId: .only([.transitional, .current])])
}

/// The body of `POST /analysis-bucket-files` (normally created by the Hub after an upload).
///
/// Written in the current names; for legacy Hubs the SDK sends `path` as `name`,
/// `bucketFileId` as `external_id` and `analysisBucketId` as `bucket_id`.
public struct CreateAnalysisBucketFile: Encodable, Sendable, Hashable {
    public var analysisBucketId: AnyResourceID
    public var path: String
    public var bucketFileId: AnyResourceID
    /// The storage bucket (current generation only, required there).
    public var bucketId: AnyResourceID?
    public var root: Bool?

    public init(
        analysisBucket: some ResourceIdentifier, path: String, bucketFileId: AnyResourceID,
        bucketId: AnyResourceID? = nil, root: Bool? = nil
    ) {
        analysisBucketId = AnyResourceID(analysisBucket)
        self.path = path
        self.bucketFileId = bucketFileId
        self.bucketId = bucketId
        self.root = root
    }
}

extension CreateAnalysisBucketFile: WireRuled {
    static let wireRules: WireRules = AnalysisBucketFile.wireRules.restricted(to: CodingKeys.self)
}

/// The body of `POST /analysis-bucket-files/:id` (`path` is sent as `name` to legacy Hubs).
public struct UpdateAnalysisBucketFile: Encodable, Sendable, Hashable {
    public var path: Patch<String>
    /// Marks the analysis' entrypoint.
    public var root: Patch<Bool>

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

extension UpdateAnalysisBucketFile: WireRuled {
    static let wireRules: WireRules = AnalysisBucketFile.wireRules.restricted(to: CodingKeys.self)
}

/// The body of `POST /analysis-node-logs` on legacy Hubs (database rows).
public struct CreateAnalysisNodeLog: Encodable, Sendable, Hashable {
    public var analysisId: AnyResourceID
    public var nodeId: AnyResourceID
    /// A run status here also moves the analysis node's status.
    public var status: String
    public var statusMessage: String?
    public var error: Bool?
    public var errorCode: String?

    public init(
        analysis: some ResourceIdentifier, node: some ResourceIdentifier, status: String,
        statusMessage: String? = nil, error: Bool? = nil, errorCode: String? = nil
    ) {
        analysisId = AnyResourceID(analysis)
        nodeId = AnyResourceID(node)
        self.status = status
        self.statusMessage = statusMessage
        self.error = error
        self.errorCode = errorCode
    }
}

/// The body of `POST /analysis-node-logs/:id` on legacy Hubs.
public struct UpdateAnalysisNodeLog: Encodable, Sendable, Hashable {
    public var status: Patch<String>
    public var statusMessage: Patch<String?>
    public var error: Patch<Bool>
    public var errorCode: Patch<String?>

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

// MARK: - Decoding

// Decodable from the bodies' own field names, as in AuthPayloads.swift.
extension CreateRegistry: Decodable {}
extension UpdateRegistry: Decodable {}
extension CreateRegistryProject: Decodable {}
extension UpdateRegistryProject: Decodable {}
extension CreateProject: Decodable {}
extension UpdateProject: Decodable {}
extension CreateProjectNode: Decodable {}
extension UpdateProjectNode: Decodable {}
extension CreateAnalysis: Decodable {}
extension UpdateAnalysis: Decodable {}
extension CreateAnalysisNode: Decodable {}
extension UpdateAnalysisNode: Decodable {}
extension CreateAnalysisBucket: Decodable {}
extension CreateAnalysisBucketFile: Decodable {}
extension UpdateAnalysisBucketFile: Decodable {}
extension CreateAnalysisNodeLog: Decodable {}
extension UpdateAnalysisNodeLog: Decodable {}
