import ArgumentParser
import FlameHub

/// Every resource of the three clients, one line each: its descriptor (which decides the
/// command name — the resource's path — and which of list/get/create/update/delete/replace/me
/// exist), its service, the table columns between `id` and `createdAt`, any commands beyond
/// CRUD, and the fields never printed (``Withheld``). The commands themselves are the generic ones in ResourceCommands.swift.
enum ResourceTable {
    /// Built once: ArgumentParser asks each group for its configuration many times a run, and
    /// each asked for its entry, so a table rebuilt per access cost a whole process's start-up
    /// (and, in the tests' process, seconds of both cores).
    static let entries: [ResourceEntry] = [
        // auth
        .init(AuthResources.Realms.self, .auth, ["name", "displayName", "builtIn"]),
        .init(AuthResources.Users.self, .auth, ["name", "email", "active", "realmId"]),
        .init(AuthResources.Robots.self, .auth, ["name", "active", "userId", "realmId"]),
        .init(AuthResources.Clients.self, .auth, ["name", "active", "realmId"]),
        .init(AuthResources.Permissions.self, .auth, ["name", "builtIn", "realmId"]),
        .init(AuthResources.Roles.self, .auth, ["name", "realmId"]),
        .init(AuthResources.RolePermissions.self, .auth, ["roleId", "permissionId"]),
        .init(AuthResources.UserPermissions.self, .auth, ["userId", "permissionId"]),
        .init(AuthResources.UserRoles.self, .auth, ["userId", "roleId"]),
        .init(AuthResources.RobotPermissions.self, .auth, ["robotId", "permissionId"]),
        .init(AuthResources.RobotRoles.self, .auth, ["robotId", "roleId"]),
        .init(AuthResources.ClientPermissions.self, .auth, ["clientId", "permissionId"]),
        .init(AuthResources.ClientRoles.self, .auth, ["clientId", "roleId"]),
        .init(AuthResources.Scopes.self, .auth, ["name", "builtIn", "realmId"]),
        .init(AuthResources.ClientScopes.self, .auth, ["clientId", "scopeId", "isDefault"]),
        .init(AuthResources.RoleAttributes.self, .auth, ["name", "value", "roleId"]),
        .init(AuthResources.UserAttributes.self, .auth, ["name", "value", "userId"]),
        .init(AuthResources.Policies.self, .auth, ["name", "type", "realmId"]),
        .init(AuthResources.PermissionPolicies.self, .auth, ["permissionId", "policyId"]),
        .init(AuthResources.IdentityProviders.self, .auth, ["name", "protocol", "enabled", "realmId"]),
        .init(AuthResources.IdentityProviderRoleMappings.self, .auth, ["providerId", "roleId", "name"]),
        .init(AuthResources.IdentityProviderAccounts.self, .auth, ["providerUserName", "userId", "providerId"]),
        .init(AuthResources.Sessions.self, .auth, ["subKind", "sub", "expiresAt"]),
        .init(AuthResources.SessionTokens.self, .auth, ["kind", "sessionId", "expiresAt"]),
        .init(AuthResources.Events.self, .auth, ["scope", "name", "actorName", "refType", "realmId"]),
        .init(
            AuthResources.Keys.self, .auth, ["name", "use", "signatureAlgorithm", "priority", "status", "realmId"],
            withheld: ["decryptionKey"]),
        .init(AuthResources.TrustAnchors.self, .auth, ["name", "enabled", "realmId"]),
        .init(AuthResources.Consents.self, .auth, ["scope", "subKind", "sub", "clientId", "realmId"]),
        // core
        .init(CoreResources.Registries.self, .core, ["name", "host"], extras: [RegistryCommandCommand.self]),
        .init(CoreResources.RegistryProjects.self, .core, ["name", "type", "externalName", "registryId"]),
        .init(
            CoreResources.Nodes.self, .core, ["name", "type", "hidden", "online"],
            extras: [ClientCredentialsCommand<CoreResources.Nodes>.self, NodeRegistryCredentialsCommand.self]),
        .init(CoreResources.MasterImageGroups.self, .core, ["name", "virtualPath"]),
        .init(
            CoreResources.MasterImages.self, .core, ["name", "virtualPath", "buildStatus"],
            extras: [MasterImagesSyncCommand.self, MasterImageBuildCommand.self]),
        .init(CoreResources.MasterImageEventLogs.self, .core, ["name", "masterImageId"]),
        .init(CoreResources.Projects.self, .core, ["name", "nodes", "masterImageId"]),
        .init(CoreResources.ProjectNodes.self, .core, ["projectId", "nodeId", "approvalStatus"]),
        .init(
            CoreResources.Analyses.self, .core, ["name", "buildStatus", "executionStatus", "projectId"],
            extras: [
                AnalysisCommandCommand.self, ClientCredentialsCommand<CoreResources.Analyses>.self,
                AnalysisPermissionsCommand.self,
                AnalysisLogsCommand.self, AnalysisWriteLogCommand.self,
            ]),
        .init(
            CoreResources.AnalysisNodes.self, .core, ["analysisId", "nodeId", "approvalStatus", "executionStatus"]),
        .init(CoreResources.AnalysisBuckets.self, .core, ["type", "analysisId", "bucketId"]),
        .init(CoreResources.AnalysisBucketFiles.self, .core, ["path", "root", "analysisBucketId"]),
        .init(CoreResources.AnalysisNodeEvents.self, .core, ["eventId", "analysisId", "nodeId"]),
        .init(CoreResources.AnalysisLogs.self, .core, ["status", "statusMessage", "analysisId"]),
        .init(CoreResources.AnalysisNodeLogs.self, .core, ["status", "statusMessage", "analysisId", "nodeId"]),
        // storage
        .init(
            StorageResources.Buckets.self, .storage, ["name", "region"],
            extras: [BucketUploadCommand.self, BucketDownloadCommand.self]),
        .init(
            StorageResources.BucketFiles.self, .storage, ["path", "size", "bucketId"],
            extras: [BucketFileDownloadCommand.self]),
    ]

    private static let positions = Dictionary(
        entries.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { first, _ in first })

    /// The entry of `descriptor`.
    static func entry<D: ResourceDescriptor>(_ descriptor: D.Type) -> ResourceEntry {
        // Every group command is made from an entry, so the lookup cannot miss.
        guard let position = positions[ObjectIdentifier(descriptor)] else {
            return ResourceEntry(descriptor, .core, [])
        }
        return entries[position]
    }
}

/// One line of ``ResourceTable``.
struct ResourceEntry: Sendable {
    let id: ObjectIdentifier
    let service: HubService
    let columns: [String]
    let extras: [any ParsableCommand.Type]
    /// Fields left out of every table and JSON document (a private key the SDK type can hold).
    let withheld: [String]
    /// `flamehub <path> …`.
    let group: any ParsableCommand.Type

    init<D: ResourceDescriptor>(
        _ descriptor: D.Type, _ service: HubService, _ columns: [String], extras: [any ParsableCommand.Type] = [],
        withheld: [String] = []
    ) {
        id = ObjectIdentifier(descriptor)
        self.service = service
        self.columns = columns
        self.extras = extras
        self.withheld = withheld
        group = ResourceGroup<D>.self
    }
}
