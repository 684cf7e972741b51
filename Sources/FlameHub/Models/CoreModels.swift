import FoundationEssentials

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
    /// The node's OAuth2 client (current generation).
    public var clientId: UUID?
    /// The node's robot (legacy generation).
    public var robotId: UUID?
    public var realmId: UUID?
    public var registry: Registry?
    public var registryProject: RegistryProject?
    public var createdAt: Date
    public var updatedAt: Date

    public static var includableRelations: [String] { ["registryProject", "registry"] }
}

/// The body of `POST /nodes`.
public struct CreateNode: Encodable, Sendable, Hashable {
    public var name: String
    public var type: NodeType?
    public var hidden: Bool?
    public var publicKey: String?
    public var externalName: String?
    public var registryId: AnyResourceID?
    public var realmId: AnyResourceID?

    public init(
        name: String, type: NodeType? = nil, hidden: Bool? = nil, publicKey: String? = nil,
        externalName: String? = nil, registryId: AnyResourceID? = nil, realmId: AnyResourceID? = nil
    ) {
        self.name = name
        self.type = type
        self.hidden = hidden
        self.publicKey = publicKey
        self.externalName = externalName
        self.registryId = registryId
        self.realmId = realmId
    }
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
