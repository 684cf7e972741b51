import FlameHub

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// `create`/`update` decode the fields given on the command line into the SDK's typed bodies
// (`Descriptor.Create`/`.Update`), so that every check of those bodies applies (generation-only
// fields, ids, required fields) and a wrong field is named before anything is sent.
//
// The SDK's bodies are `Encodable` only; until they are `Decodable` themselves (the better home:
// synthesized, so they cannot drift from their fields), this file gives them a decoding init
// built on their public initializers. Each init reads every field of its body through
// ``BodyFields``, which rejects fields the body does not have. Keys are the bodies' own
// camelCase names; `--set` and `--json-body` keys may also be snake_case (converted first).

/// A JSON object key.
struct FieldKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// The fields of one body being decoded; remembers which were read, so that ``finish(_:)``
/// can reject the others by name.
final class BodyFields {
    private let container: KeyedDecodingContainer<FieldKey>
    private var known: [String] = []

    init(_ decoder: any Decoder) throws {
        container = try decoder.container(keyedBy: FieldKey.self)
    }

    /// A field the body requires.
    func required<T: Decodable>(_ key: String) throws -> T {
        known.append(key)
        return try container.decode(T.self, forKey: FieldKey(key))
    }

    /// An optional field (absent or null: nil).
    func optional<T: Decodable>(_ key: String) throws -> T? {
        known.append(key)
        return try container.decodeIfPresent(T.self, forKey: FieldKey(key))
    }

    /// An update field: absent means unchanged; present (even null, for nullable fields) is sent.
    func patch<T: Decodable>(_ key: String) throws -> Patch<T> {
        known.append(key)
        guard container.contains(FieldKey(key)) else { return .unset }
        return .set(try container.decode(T.self, forKey: FieldKey(key)))
    }

    /// Throws for any given field that the body does not have, listing those it has.
    func finish(_ body: Any.Type) throws {
        let unknown = container.allKeys.map(\.stringValue).filter { !known.contains($0) }.sorted()
        guard let first = unknown.first else { return }
        throw DecodingError.dataCorrupted(
            .init(
                codingPath: [FieldKey(first)],
                debugDescription: "\(body) has no such field (its fields: \(known.joined(separator: ", ")))"))
    }
}

extension AnyResourceID: @retroactive Decodable {
    /// A UUID string; anything else is rejected here, naming the field, instead of at sending.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            _ = try text.resourceID()
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a UUID")
        }
        self.init(text)
    }
}

// MARK: - Auth

extension CreateRealm: @retroactive Decodable {
    public init(from decoder: any Decoder) throws {
        let f = try BodyFields(decoder)
        self.init(
            name: try f.required("name"), displayName: try f.optional("displayName"),
            description: try f.optional("description"))
        try f.finish(Self.self)
    }
}

extension UpdateRealm: @retroactive Decodable {
    public init(from decoder: any Decoder) throws {
        let f = try BodyFields(decoder)
        self.init(
            name: try f.patch("name"), displayName: try f.patch("displayName"), description: try f.patch("description"))
        try f.finish(Self.self)
    }
}

extension CreateUser: @retroactive Decodable {
    public init(from decoder: any Decoder) throws {
        let f = try BodyFields(decoder)
        self.init(
            name: try f.required("name"), email: try f.optional("email"), password: try f.optional("password"),
            displayName: try f.optional("displayName"), firstName: try f.optional("firstName"),
            lastName: try f.optional("lastName"), active: try f.optional("active"),
            nameLocked: try f.optional("nameLocked"), status: try f.optional("status"),
            statusMessage: try f.optional("statusMessage"), realmId: try f.optional("realmId"))
        try f.finish(Self.self)
    }
}

extension UpdateUser: @retroactive Decodable {
    public init(from decoder: any Decoder) throws {
        let f = try BodyFields(decoder)
        self.init(
            name: try f.patch("name"), email: try f.patch("email"), password: try f.patch("password"),
            displayName: try f.patch("displayName"), firstName: try f.patch("firstName"),
            lastName: try f.patch("lastName"), active: try f.patch("active"), nameLocked: try f.patch("nameLocked"),
            status: try f.patch("status"), statusMessage: try f.patch("statusMessage"))
        try f.finish(Self.self)
    }
}

extension CreateRobot: @retroactive Decodable {
    public init(from decoder: any Decoder) throws {
        let f = try BodyFields(decoder)
        self.init(
            name: try f.optional("name"), displayName: try f.optional("displayName"),
            description: try f.optional("description"), secret: try f.optional("secret"),
            active: try f.optional("active"), userId: try f.optional("userId"), realmId: try f.optional("realmId"))
        try f.finish(Self.self)
    }
}

extension UpdateRobot: @retroactive Decodable {
    public init(from decoder: any Decoder) throws {
        let f = try BodyFields(decoder)
        self.init(
            name: try f.patch("name"), displayName: try f.patch("displayName"), description: try f.patch("description"),
            secret: try f.patch("secret"), active: try f.patch("active"), userId: try f.patch("userId"))
        try f.finish(Self.self)
    }
}

extension CreateClient: @retroactive Decodable {
    public init(from decoder: any Decoder) throws {
        let f = try BodyFields(decoder)
        self.init(
            name: try f.required("name"), displayName: try f.optional("displayName"),
            description: try f.optional("description"), active: try f.optional("active"),
            authMethod: try f.optional("authMethod"), tokenBindingMethod: try f.optional("tokenBindingMethod"),
            secret: try f.optional("secret"), secretHashed: try f.optional("secretHashed"),
            isConfidential: try f.optional("isConfidential"), redirectUri: try f.optional("redirectUri"),
            postLogoutRedirectUri: try f.optional("postLogoutRedirectUri"), baseUrl: try f.optional("baseUrl"),
            rootUrl: try f.optional("rootUrl"), grantTypes: try f.optional("grantTypes"),
            scope: try f.optional("scope"), realmId: try f.optional("realmId"))
        try f.finish(Self.self)
    }
}

extension UpdateClient: @retroactive Decodable {
    public init(from decoder: any Decoder) throws {
        let f = try BodyFields(decoder)
        self.init(
            name: try f.patch("name"), displayName: try f.patch("displayName"), description: try f.patch("description"),
            active: try f.patch("active"), authMethod: try f.patch("authMethod"),
            tokenBindingMethod: try f.patch("tokenBindingMethod"), secret: try f.patch("secret"),
            secretHashed: try f.patch("secretHashed"), isConfidential: try f.patch("isConfidential"),
            redirectUri: try f.patch("redirectUri"), postLogoutRedirectUri: try f.patch("postLogoutRedirectUri"),
            baseUrl: try f.patch("baseUrl"), rootUrl: try f.patch("rootUrl"), grantTypes: try f.patch("grantTypes"),
            scope: try f.patch("scope"))
        try f.finish(Self.self)
    }
}

extension CreatePermission: @retroactive Decodable {
    public init(from decoder: any Decoder) throws {
        let f = try BodyFields(decoder)
        self.init(
            name: try f.required("name"), displayName: try f.optional("displayName"),
            description: try f.optional("description"), clientId: try f.optional("clientId"),
            realmId: try f.patch("realmId"), policyId: try f.optional("policyId"),
            decisionStrategy: try f.optional("decisionStrategy"))
        try f.finish(Self.self)
    }
}

extension UpdatePermission: @retroactive Decodable {
    public init(from decoder: any Decoder) throws {
        let f = try BodyFields(decoder)
        self.init(
            name: try f.patch("name"), displayName: try f.patch("displayName"), description: try f.patch("description"),
            clientId: try f.patch("clientId"), policyId: try f.patch("policyId"),
            decisionStrategy: try f.patch("decisionStrategy"))
        try f.finish(Self.self)
    }
}

extension CreateRole: @retroactive Decodable {
    public init(from decoder: any Decoder) throws {
        let f = try BodyFields(decoder)
        self.init(
            name: try f.required("name"), displayName: try f.optional("displayName"),
            description: try f.optional("description"), clientId: try f.optional("clientId"),
            realmId: try f.patch("realmId"))
        try f.finish(Self.self)
    }
}

extension UpdateRole: @retroactive Decodable {
    public init(from decoder: any Decoder) throws {
        let f = try BodyFields(decoder)
        self.init(
            name: try f.patch("name"), displayName: try f.patch("displayName"), description: try f.patch("description"),
            clientId: try f.patch("clientId"))
        try f.finish(Self.self)
    }
}

extension UpdatePermissionAssignment: @retroactive Decodable {
    public init(from decoder: any Decoder) throws {
        let f = try BodyFields(decoder)
        self.init(policyId: try f.patch("policyId"), realmScope: try f.patch("realmScope"))
        try f.finish(Self.self)
    }
}

/// What is granted by an assignment body: a permission (with policy and realm scope) or a role.
/// The SDK's initializers are constrained per granted type, so each grant builds its own body.
protocol AssignmentGrant {
    static func assignment<Holder: AssignmentParty>(holder: Holder.Type, _ fields: BodyFields) throws -> Any
}

extension Permission: AssignmentGrant {
    static func assignment<Holder: AssignmentParty>(holder: Holder.Type, _ f: BodyFields) throws -> Any {
        CreateAssignment<Holder, Permission>(
            try f.required(Holder.assignmentKey) as UUID, permission: try f.required("permissionId") as UUID,
            policyId: try f.optional("policyId"), realmScope: try f.optional("realmScope"))
    }
}

extension Role: AssignmentGrant {
    static func assignment<Holder: AssignmentParty>(holder: Holder.Type, _ f: BodyFields) throws -> Any {
        CreateAssignment<Holder, Role>(
            try f.required(Holder.assignmentKey) as UUID, role: try f.required("roleId") as UUID)
    }
}

extension CreateAssignment: @retroactive Decodable {
    public init(from decoder: any Decoder) throws {
        let f = try BodyFields(decoder)
        guard let grant = Granted.self as? any AssignmentGrant.Type,
            let body = try grant.assignment(holder: Holder.self, f) as? Self
        else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "\(Self.self) cannot be built"))
        }
        self = body
        try f.finish(Self.self)
    }
}

// MARK: - Core

extension CreateRegistry: @retroactive Decodable {
    public init(from decoder: any Decoder) throws {
        let f = try BodyFields(decoder)
        self.init(
            name: try f.required("name"), host: try f.required("host"), accountName: try f.optional("accountName"),
            accountSecret: try f.optional("accountSecret"))
        try f.finish(Self.self)
    }
}

extension UpdateRegistry: @retroactive Decodable {
    public init(from decoder: any Decoder) throws {
        let f = try BodyFields(decoder)
        self.init(
            name: try f.patch("name"), host: try f.patch("host"), accountName: try f.patch("accountName"),
            accountSecret: try f.patch("accountSecret"))
        try f.finish(Self.self)
    }
}

extension CreateRegistryProject: @retroactive Decodable {
    public init(from decoder: any Decoder) throws {
        let f = try BodyFields(decoder)
        self.init(
            name: try f.required("name"), type: try f.required("type"), registryId: try f.required("registryId"),
            externalName: try f.required("externalName"))
        try f.finish(Self.self)
    }
}

extension UpdateRegistryProject: @retroactive Decodable {
    public init(from decoder: any Decoder) throws {
        let f = try BodyFields(decoder)
        self.init(name: try f.patch("name"), externalName: try f.patch("externalName"))
        try f.finish(Self.self)
    }
}

extension CreateNode: @retroactive Decodable {
    public init(from decoder: any Decoder) throws {
        let f = try BodyFields(decoder)
        self.init(
            name: try f.required("name"), type: try f.optional("type"), hidden: try f.optional("hidden"),
            publicKey: try f.optional("publicKey"), externalName: try f.optional("externalName"),
            registryId: try f.optional("registryId"), realmId: try f.optional("realmId"),
            clientId: try f.optional("clientId"), robotId: try f.optional("robotId"))
        try f.finish(Self.self)
    }
}

extension UpdateNode: @retroactive Decodable {
    public init(from decoder: any Decoder) throws {
        let f = try BodyFields(decoder)
        self.init(
            name: try f.patch("name"), hidden: try f.patch("hidden"), externalName: try f.patch("externalName"),
            type: try f.patch("type"), publicKey: try f.patch("publicKey"), registryId: try f.patch("registryId"))
        try f.finish(Self.self)
    }
}

extension CreateProject: @retroactive Decodable {
    public init(from decoder: any Decoder) throws {
        let f = try BodyFields(decoder)
        self.init(
            name: try f.optional("name"), displayName: try f.optional("displayName"),
            description: try f.optional("description"), masterImageId: try f.optional("masterImageId"))
        try f.finish(Self.self)
    }
}

extension UpdateProject: @retroactive Decodable {
    public init(from decoder: any Decoder) throws {
        let f = try BodyFields(decoder)
        self.init(
            name: try f.patch("name"), displayName: try f.patch("displayName"), description: try f.patch("description"),
            masterImageId: try f.patch("masterImageId"))
        try f.finish(Self.self)
    }
}

extension CreateProjectNode: @retroactive Decodable {
    public init(from decoder: any Decoder) throws {
        let f = try BodyFields(decoder)
        self.init(project: try f.required("projectId") as UUID, node: try f.required("nodeId") as UUID)
        try f.finish(Self.self)
    }
}

extension UpdateProjectNode: @retroactive Decodable {
    public init(from decoder: any Decoder) throws {
        let f = try BodyFields(decoder)
        self.init(approvalStatus: try f.patch("approvalStatus"), comment: try f.patch("comment"))
        try f.finish(Self.self)
    }
}

extension CreateAnalysis: @retroactive Decodable {
    public init(from decoder: any Decoder) throws {
        let f = try BodyFields(decoder)
        self.init(
            project: try f.required("projectId") as UUID, name: try f.optional("name"),
            displayName: try f.optional("displayName"), description: try f.optional("description"),
            masterImageId: try f.optional("masterImageId"), registryId: try f.optional("registryId"),
            imageCommandArguments: try f.optional("imageCommandArguments"))
        try f.finish(Self.self)
    }
}

extension UpdateAnalysis: @retroactive Decodable {
    public init(from decoder: any Decoder) throws {
        let f = try BodyFields(decoder)
        self.init(
            name: try f.patch("name"), displayName: try f.patch("displayName"), description: try f.patch("description"),
            masterImageId: try f.patch("masterImageId"), registryId: try f.patch("registryId"),
            imageCommandArguments: try f.patch("imageCommandArguments"))
        try f.finish(Self.self)
    }
}

extension CreateAnalysisNode: @retroactive Decodable {
    public init(from decoder: any Decoder) throws {
        let f = try BodyFields(decoder)
        self.init(
            analysis: try f.required("analysisId") as UUID, node: try f.required("nodeId") as UUID,
            approvalStatus: try f.optional("approvalStatus"), executionStatus: try f.optional("executionStatus"),
            executionProgress: try f.optional("executionProgress"), comment: try f.optional("comment"),
            index: try f.optional("index"))
        try f.finish(Self.self)
    }
}

extension UpdateAnalysisNode: @retroactive Decodable {
    public init(from decoder: any Decoder) throws {
        let f = try BodyFields(decoder)
        self.init(
            approvalStatus: try f.patch("approvalStatus"), executionStatus: try f.patch("executionStatus"),
            executionProgress: try f.patch("executionProgress"), comment: try f.patch("comment"),
            index: try f.patch("index"))
        try f.finish(Self.self)
    }
}

extension CreateAnalysisBucket: @retroactive Decodable {
    public init(from decoder: any Decoder) throws {
        let f = try BodyFields(decoder)
        self.init(
            analysis: try f.required("analysisId") as UUID, type: try f.required("type"),
            bucketId: try f.optional("bucketId"))
        try f.finish(Self.self)
    }
}

extension CreateAnalysisBucketFile: @retroactive Decodable {
    public init(from decoder: any Decoder) throws {
        let f = try BodyFields(decoder)
        self.init(
            analysisBucket: try f.required("analysisBucketId") as UUID, path: try f.required("path"),
            bucketFileId: try f.required("bucketFileId"), bucketId: try f.optional("bucketId"),
            root: try f.optional("root"))
        try f.finish(Self.self)
    }
}

extension UpdateAnalysisBucketFile: @retroactive Decodable {
    public init(from decoder: any Decoder) throws {
        let f = try BodyFields(decoder)
        self.init(path: try f.patch("path"), root: try f.patch("root"))
        try f.finish(Self.self)
    }
}

extension CreateAnalysisNodeLog: @retroactive Decodable {
    public init(from decoder: any Decoder) throws {
        let f = try BodyFields(decoder)
        self.init(
            analysis: try f.required("analysisId") as UUID, node: try f.required("nodeId") as UUID,
            status: try f.required("status"), statusMessage: try f.optional("statusMessage"),
            error: try f.optional("error"), errorCode: try f.optional("errorCode"))
        try f.finish(Self.self)
    }
}

extension UpdateAnalysisNodeLog: @retroactive Decodable {
    public init(from decoder: any Decoder) throws {
        let f = try BodyFields(decoder)
        self.init(
            status: try f.patch("status"), statusMessage: try f.patch("statusMessage"), error: try f.patch("error"),
            errorCode: try f.patch("errorCode"))
        try f.finish(Self.self)
    }
}

// MARK: - Storage

extension CreateBucket: @retroactive Decodable {
    public init(from decoder: any Decoder) throws {
        let f = try BodyFields(decoder)
        self.init(name: try f.required("name"), region: try f.optional("region"), realmId: try f.optional("realmId"))
        try f.finish(Self.self)
    }
}
