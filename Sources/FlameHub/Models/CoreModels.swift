#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// Records of the core service. Union of both generations' fields; keys decode from either casing.

/// A container registry the Hub pushes analysis images to.
public struct Registry: HubModel {
    public var id: UUID
    public var name: String
    public var host: String
    public var accountName: String?
    /// Only present when requested with `fields: ["accountSecret"]` (needs `registry_manage`).
    public var accountSecret: SecretString?
    public var createdAt: Date
    public var updatedAt: Date

    public static var optionalFields: [String] { ["accountSecret"] }
}

/// A project inside a registry.
public struct RegistryProject: HubModel {
    public var id: UUID
    public var name: String
    public var type: RegistryProjectType?
    public var `public`: Bool?
    public var externalName: String?
    public var externalId: String?
    public var accountId: String?
    public var accountName: String?
    /// Only present when requested with `fields: ["accountSecret"]`.
    public var accountSecret: SecretString?
    public var webhookName: String?
    public var webhookExists: Bool?
    public var registryId: UUID?
    public var realmId: UUID?
    public var registry: Registry?
    public var createdAt: Date
    public var updatedAt: Date

    public static var includableRelations: [String] { ["registry"] }
    public static var optionalFields: [String] { ["accountSecret"] }
}

/// A node: a site that takes part in projects and runs analyses.
public struct Node: HubModel {
    public var id: UUID
    public var name: String
    public var externalName: String?
    public var publicKey: String?
    public var hidden: Bool?
    public var type: NodeType?
    public var online: Bool?
    public var registryId: UUID?
    public var registryProjectId: UUID?
    /// The node's OAuth2 client (transitional and current generations).
    public var clientId: UUID?
    /// The node's robot (legacy generation).
    public var robotId: UUID?
    public var realmId: UUID?
    public var registry: Registry?
    /// The node's machine identity whatever the generation: its client (transitional, current)
    /// or robot (legacy).
    public var identityId: UUID? { clientId ?? robotId }
    public var registryProject: RegistryProject?
    public var createdAt: Date
    public var updatedAt: Date

    public static var includableRelations: [String] { ["registryProject", "registry"] }
}

extension Node: WireRuled {
    static let wireRules: WireRules = WireRules(
        CodingKeys.self, [.clientId: .only([.transitional, .current]), .robotId: .only([.legacy])])
}

/// The body of `POST /nodes`. The Hub creates the node's machine identity (a robot on legacy
/// Hubs, an OAuth2 client on current ones) unless one is given.
public struct CreateNode: Encodable, Sendable, Hashable {
    public var name: String
    public var type: NodeType?
    public var hidden: Bool?
    public var publicKey: String?
    public var externalName: String?
    public var registryId: AnyResourceID?
    public var realmId: AnyResourceID?
    /// An existing OAuth2 client for the node (transitional and current generations).
    public var clientId: AnyResourceID?
    /// An existing robot for the node (legacy generation only).
    public var robotId: AnyResourceID?

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

extension CreateNode: WireRuled {
    static let wireRules: WireRules = Node.wireRules.restricted(to: CodingKeys.self)
}

/// The body of `POST /nodes/:id`: `UpdateNode(hidden: false, externalName: nil)` sends
/// `{"hidden": false, "externalName": null}` and leaves everything else alone.
public struct UpdateNode: Encodable, Sendable, Hashable {
    public var name: Patch<String>
    public var type: Patch<NodeType?>
    public var hidden: Patch<Bool?>
    public var publicKey: Patch<String?>
    public var externalName: Patch<String?>
    /// `nil` disconnects the node from its registry.
    public var registryId: Patch<AnyResourceID?>

    public init(
        name: Patch<String> = .unset, hidden: Patch<Bool?> = .unset, externalName: Patch<String?> = .unset,
        type: Patch<NodeType?> = .unset, publicKey: Patch<String?> = .unset,
        registryId: Patch<AnyResourceID?> = .unset
    ) {
        self.name = name
        self.type = type
        self.hidden = hidden
        self.publicKey = publicKey
        self.externalName = externalName
        self.registryId = registryId
    }
}

/// A group of master images (a directory of the master-image repository); read and delete only.
public struct MasterImageGroup: HubModel {
    public var id: UUID
    public var name: String
    public var path: String?
    public var virtualPath: String?
    public var createdAt: Date
    public var updatedAt: Date
}

/// A base image analyses are built on, e.g. `python/base`; read and delete only (rows come from
/// the master-image sync).
public struct MasterImage: HubModel {
    public var id: UUID
    public var name: String
    public var path: String?
    public var virtualPath: String?
    public var groupVirtualPath: String?
    public var command: String?
    public var commandArguments: [CommandArgument]?
    /// The state of the last build (current generation).
    public var buildStatus: ProcessStatus?
    public var buildProgress: Int?
    public var buildHash: String?
    public var buildSize: Int64?
    public var createdAt: Date
    public var updatedAt: Date
}

/// An event of a master image (legacy generation, removed in Hub 0.8.15).
public struct MasterImageEventLog: HubModel {
    public var id: UUID
    public var name: String
    public var data: JSONValue?
    public var expiring: Bool?
    public var expiresAt: Date?
    public var masterImageId: UUID?
    public var masterImage: MasterImage?
    public var createdAt: Date
    public var updatedAt: Date

    public static var includableRelations: [String] { ["masterImage"] }
}

/// A project: nodes that work together and the analyses they run.
public struct Project: HubModel {
    public var id: UUID
    public var name: String
    /// Current generation.
    public var displayName: String?
    public var description: String?
    /// The number of project nodes (server-maintained).
    public var nodes: Int?
    /// The number of analyses (server-maintained).
    public var analyses: Int?
    public var realmId: UUID?
    public var userId: UUID?
    /// The creating client (current generation).
    public var clientId: UUID?
    /// The creating robot (legacy generation).
    public var robotId: UUID?
    public var masterImageId: UUID?
    public var masterImage: MasterImage?
    public var createdAt: Date
    public var updatedAt: Date

    public static var includableRelations: [String] { ["masterImage"] }
}

extension Project: WireRuled {
    static let wireRules: WireRules = WireRules(CodingKeys.self, [.displayName: .only([.transitional, .current])])
}

/// A node's membership in a project.
public struct ProjectNode: HubModel {
    public var id: UUID
    /// `nil` while pending.
    public var approvalStatus: ApprovalStatus?
    public var comment: String?
    public var projectId: UUID
    public var projectRealmId: UUID?
    public var nodeId: UUID
    public var nodeRealmId: UUID?
    public var project: Project?
    public var node: Node?
    public var createdAt: Date
    public var updatedAt: Date

    public static var includableRelations: [String] { ["node", "project"] }
}

// Decodable from their own field names, as the bodies in CorePayloads.swift.
extension CreateNode: Decodable {}
extension UpdateNode: Decodable {}
