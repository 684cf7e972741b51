import FlameHub

/// Declarations of the Hub core's resources (hub-core-storage-api.md sections 5 and 10.3):
/// registries, registry projects, nodes, master images, projects and project nodes. Analyses
/// and their satellites live in ``CoreAnalyses``.
enum CoreDeclarations {
    static func all(_ generation: HubGeneration) -> [ResourceDefinition] {
        var resources = [
            registries(generation), registryProjects(generation), nodes(generation), masterImageGroups(generation),
            masterImages(generation), projects(generation), projectNodes(generation),
        ]
        if generation == .legacy { resources.append(masterImageEventLogs()) }
        // 0.13+ validates the body before the permission pre-check (0.8 the other way round).
        return (resources + CoreAnalyses.all(generation)).map { resource in
            var resource = resource
            resource.validatesBeforeAccess = generation == .current
            // 0.8.13 answers 403 for a row outside the caller's realms.
            if generation == .legacy { resource.unreadableError = HubRules.forbidden("", generation) }
            return resource
        }
    }

    /// Cached declarations by table, for hooks that insert rows of other resources.
    static func definition(_ table: String, _ generation: HubGeneration) -> ResourceDefinition? {
        switch generation {
        case .legacy: legacyTables[table]
        case .transitional: transitionalTables[table]
        case .current: currentTables[table]
        }
    }

    private static let legacyTables = Dictionary(uniqueKeysWithValues: all(.legacy).map { ($0.table, $0) })
    private static let transitionalTables = Dictionary(
        uniqueKeysWithValues: all(.transitional).map { ($0.table, $0) })
    private static let currentTables = Dictionary(uniqueKeysWithValues: all(.current).map { ($0.table, $0) })

    /// Inserts a row of a core/storage resource with its declared defaults (no validation).
    @discardableResult
    static func insert(
        _ table: String, _ values: EmulatorJSONObject, _ generation: HubGeneration, into store: inout Store
    ) -> EmulatorJSONObject {
        guard let resource = definition(table, generation) ?? StorageDeclarations.definition(table, generation) else {
            return store.insert(table, values)
        }
        return store.insert(resource, values)
    }

    /// The Hub's unified process status (analyses, analysis nodes, master images; 0.8.27+).
    static let processStatuses = ["starting", "started", "stopping", "stopped", "executing", "executed", "failed"]
    static let legacyBuildStatuses = ["starting", "started", "stopping", "stopped", "finished", "failed"]
    static let legacyRunStatuses = ["starting", "started", "running", "stopping", "stopped", "finished", "failed"]
    static let approvalStatuses = ["approved", "rejected"]

    /// Writable on update only (approval fields).
    static func updateOnly(_ field: Field) -> Field {
        var copy = field
        copy.onCreate = .readOnly
        copy.onUpdate = .optional
        return copy
    }

    /// Timestamps that are neither sortable nor filterable (master image groups).
    static func plainTimestamps() -> [Field] {
        Field.timestamps().map { $0.sortable(false) }
    }

    /// All of `permissions` (project-node create/delete need `project_create` and `project_update`).
    static func allOf(_ permissions: [String]) -> Access {
        .custom { identity in
            guard let identity else { throw EmulatorError(.unauthorized) }
            for permission in permissions where !identity.has(permission) {
                throw EmulatorError(.permissionDenied(permission: permission))
            }
        }
    }

    /// Any of `permissions`.
    static func anyOf(_ permissions: [String]) -> Access {
        .custom { identity in
            guard let identity else { throw EmulatorError(.unauthorized) }
            if !permissions.contains(where: identity.has) {
                throw EmulatorError(.permissionDenied(permission: permissions.joined(separator: ", ")))
            }
        }
    }

    // MARK: Registries

    static func registries(_ generation: HubGeneration) -> ResourceDefinition {
        let manage = Access.permission("registry_manage")
        let normalize: @Sendable (inout EmulatorJSONObject) -> Void = { record in
            if let host = record["host"]?.stringValue { record["host"] = .string(HubRules.normalizedHost(host)) }
        }
        return ResourceDefinition(
            entity: "registry", table: CoreTable.registries,
            fields: [
                .id(),
                .string("name").required().notNull().length(3...128).filterable(),
                .string("host").required().notNull().length(3...512),
                .string("accountName").writable().length(3...256),
                .string("accountSecret").writable().length(3...256).optionalField(),
            ] + Field.timestamps(),
            uniqueKeys: [["name"], ["host"]], uniqueNullsDistinct: true,
            access: AccessRules(create: manage, update: manage, delete: manage),
            hooks: ResourceHooks(
                prepareCreate: { record, _, _ in normalize(&record) },
                prepareUpdate: { record, _, _, _ in normalize(&record) })
        )
    }

    // MARK: Registry projects

    static let registryProjectTypes = ["default", "aggregator", "incoming", "outgoing", "masterImages", "node"]

    static func registryProjects(_ generation: HubGeneration) -> ResourceDefinition {
        let legacy = generation == .legacy
        let manage = Access.permission("registry_project_manage")
        let account: (Field) -> Field = { legacy ? $0.optionalField() : $0 }
        return ResourceDefinition(
            entity: "registry-project", table: CoreTable.registryProjects,
            fields: [
                .id(),
                .string("name").required().notNull().length(5...128).filterable(),
                Field.enumeration("type", registryProjectTypes).createOnly(required: true).notNull().filterable(),
                .bool("public").defaults(true),
                .string("externalName").required().notNull().length(legacy ? 1...255 : 3...64).pattern(.externalName)
                    .filterable(),
                .string("externalId"),
                account(.string("accountId")),
                account(.string("accountName")),
                .string("accountSecret").optionalField(),
                .string("webhookName"),
                .bool("webhookExists").defaults(false),
                .uuid("registryId").createOnly(required: true).notNull().filterable()
                    .references(CoreTable.registries, as: "registry", onDelete: .cascade),
                .uuid("realmId"),
            ] + Field.timestamps(),
            relations: [Relation(name: "registry", localField: "registryId", target: CoreTable.registries)],
            uniqueKeys: [["name", "registryId"], ["externalName", "registryId"], ["externalId", "registryId"]],
            uniqueNullsDistinct: true,
            access: AccessRules(create: manage, update: manage, delete: manage),
            hooks: ResourceHooks(
                prepareUpdate: { _, existing, _, context in
                    try HubRules.requireWrite(
                        realm: existing["realmId"], context, "You are not permitted to update this registry project.")
                },
                afterCreate: { record, _, context in
                    if let id = record["id"]?.stringValue { scheduleLink(id, context) }
                },
                beforeDelete: { record, _, context in
                    try HubRules.requireWrite(
                        realm: record["realmId"], context, "You are not permitted to delete this registry project.")
                })
        )
    }

    /// The registry integration's asynchronous "link": Harbor project id, robot account and
    /// webhook are filled in after the emulator's effect delay.
    static func scheduleLink(_ id: String, _ context: HookContext) {
        context.scheduler.schedule { store in
            guard var project = store.find(CoreTable.registryProjects, id: id) else { return }
            let external = project["externalName"]?.stringValue ?? id
            project["externalId"] = .string(String(Int.random(in: 1...999_999)))
            project["accountId"] = .string(String(Int.random(in: 1...999_999)))
            project["accountName"] = .string("robot$\(external)")
            project["accountSecret"] = .string(Support.randomAlphanumeric(32))
            project["webhookName"] = "flame"
            project["webhookExists"] = true
            project["updatedAt"] = .string(Support.timestamp())
            store.save(CoreTable.registryProjects, project)
        }
    }

    // MARK: Nodes

    static func nodes(_ generation: HubGeneration) -> ResourceDefinition {
        let legacy = generation == .legacy
        var fields: [Field] = [
            .id().sortable(false),
            .string("name").required().notNull().length(3...128).filterable().sortable(),
            .string("externalName").writable().length(1...64).pattern(.externalName),
            .string("publicKey").writable().length(5...4096),
            Field(name: "hidden", kind: .boolean).writable().defaults(false).filterable(),
            Field.enumeration("type", ["default", "aggregator"]).writable().defaults("default"),
            .bool("online").defaults(false).filterable(),
            .uuid("registryId").writable()
                .references(CoreTable.registries, as: "registry", onDelete: legacy ? .cascade : .setNull),
            .uuid("registryProjectId").references(
                CoreTable.registryProjects, as: "registryProject", onDelete: .setNull),
        ]
        if legacy {
            fields.append(.uuid("robotId").writable().filterable())
        } else {
            fields += [.uuid("clientId").writable().filterable(), .uuid("robotId").filterable()]
        }
        fields.append(.uuid("realmId").createOnly().filterable())
        return ResourceDefinition(
            entity: "node", table: CoreTable.nodes,
            fields: fields + Field.timestamps(),
            relations: [
                Relation(name: "registryProject", localField: "registryProjectId", target: CoreTable.registryProjects),
                Relation(name: "registry", localField: "registryId", target: CoreTable.registries),
            ],
            uniqueKeys: [["name", "realmId"], ["externalName", "registryId"]], uniqueNullsDistinct: true,
            access: .permissions("node"),
            hooks: ResourceHooks(
                prepareCreate: { record, store, context in try prepareNode(&record, store: &store, context: context) },
                prepareUpdate: { record, existing, store, context in
                    try HubRules.requireWrite(
                        realm: existing["realmId"], context, "You are not permitted to update this node.")
                    normalizeNode(&record)
                    if context.body["publicKey"] != nil, let key = record["publicKey"]?.stringValue {
                        record["publicKey"] = .string(HubRules.hexEncoded(key))
                    }
                    if context.body["registryId"] != nil, record["registryId"] != existing["registryId"] {
                        if let old = existing["registryProjectId"]?.stringValue {
                            store.delete(CoreTable.registryProjects, id: old)
                        }
                        record["registryProjectId"] = .null
                        if let registry = record["registryId"]?.stringValue {
                            provisionRegistryProject(&record, registry: registry, store: &store, context: context)
                        }
                    }
                    try CoreReferences.syncNodeIdentity(&record, store: &store, generation: context.generation)
                },
                beforeDelete: { record, _, context in
                    try HubRules.requireWrite(
                        realm: record["realmId"], context, "You are not permitted to delete this node.")
                },
                afterDelete: { record, store, context in
                    if let project = record["registryProjectId"]?.stringValue {
                        store.delete(CoreTable.registryProjects, id: project)
                    }
                    HubIdentities.remove(
                        id: context.generation == .legacy ? record["robotId"] : record["clientId"],
                        generation: context.generation, store: &store)
                })
        )
    }

    /// `type`/`hidden` accept `null` and fall back to their defaults.
    static func normalizeNode(_ record: inout EmulatorJSONObject) {
        if record["type"]?.isNull ?? true { record["type"] = "default" }
        if record["hidden"]?.isNull ?? true { record["hidden"] = false }
    }

    /// Node create: realm, public key, registry project and the node's robot or client.
    static func prepareNode(_ record: inout EmulatorJSONObject, store: inout Store, context: HookContext) throws {
        let generation = context.generation
        normalizeNode(&record)
        if let realm = context.body["realmId"], !realm.isNull {
            try HubRules.requireWrite(realm: realm, context, "You are not permitted to create this node.")
        } else {
            record["realmId"] = context.identity.map { .string($0.realmId) } ?? .null
        }
        if let key = record["publicKey"]?.stringValue { record["publicKey"] = .string(HubRules.hexEncoded(key)) }
        // 0.8.13 provisions the robot before the insert, so an unknown realm wins over a name
        // clash; 0.14.0 provisions the client after it (see ``CoreReferences``).
        switch generation {
        case .legacy: try CoreReferences.checkProvisioningRealm(record, generation: generation, store: store)
        case .transitional, .current: break
        }
        // Unique pre-check: the provisioning below must not happen for a rejected node.
        if store.rows(CoreTable.nodes, where: { $0["name"] == record["name"] && $0["realmId"] == record["realmId"] })
            .first != nil
        {
            throw EmulatorError(.conflict(nil), entity: "node")
        }
        try CoreReferences.syncNodeIdentity(&record, store: &store, generation: generation)
        var registry = record["registryId"]?.stringValue
        if registry == nil, generation == .current {
            // 0.14 picks the only registry; 0.8.13 meant to but never did (it read the unset id).
            let registries = store.all(CoreTable.registries)
            if registries.count == 1 { registry = registries[0]["id"]?.stringValue }
        }
        if let registry {
            record["registryId"] = .string(registry)
            provisionRegistryProject(&record, registry: registry, store: &store, context: context)
        }
    }

    /// Creates the node's registry project (type `node`, not public) and queues its link.
    static func provisionRegistryProject(
        _ record: inout EmulatorJSONObject, registry: String, store: inout Store, context: HookContext
    ) {
        let external = record["externalName"]?.stringValue ?? Support.randomAlphanumeric(21)
        record["externalName"] = .string(external)
        let project = insert(
            CoreTable.registryProjects,
            [
                "name": record["name"] ?? .null, "externalName": .string(external), "type": "node",
                "realmId": record["realmId"] ?? .null, "registryId": .string(registry), "public": false,
            ], context.generation, into: &store)
        record["registryProjectId"] = project["id"] ?? .null
        if let id = project["id"]?.stringValue { scheduleLink(id, context) }
    }

    // MARK: Master images

    static func masterImageGroups(_ generation: HubGeneration) -> ResourceDefinition {
        ResourceDefinition(
            entity: "master-image-group", table: CoreTable.masterImageGroups,
            fields: [
                .id().sortable(false),
                .string("name").filterable(),
                .string("path").filterable(),
                .string("virtualPath").filterable(),
            ] + plainTimestamps(),
            operations: [.list, .read, .delete],
            access: AccessRules(delete: .permission("master_image_group_manage"))
        )
    }

    static func masterImages(_ generation: HubGeneration) -> ResourceDefinition {
        var fields: [Field] = [
            .id().sortable(false),
            .string("name").filterable(),
            .string("path").filterable().sortable(),
            .string("virtualPath").filterable(),
            .string("groupVirtualPath").filterable(),
            .string("command"),
            .json("commandArguments"),
        ]
        // Built master images since before 0.12.7 (`master-image/entity.ts` at `v0.12.7`: `build_status`).
        if generation != .legacy {
            fields += [
                Field.enumeration("buildStatus", processStatuses), .integer("buildProgress"), .string("buildHash"),
                .number("buildSize"),
            ]
        }
        return ResourceDefinition(
            entity: "master-image", table: CoreTable.masterImages,
            fields: fields + plainTimestamps(),
            operations: [.list, .read, .delete],
            access: AccessRules(delete: .permission("master_image_manage")),
            defaultSort: [("path", false)]
        )
    }

    /// Legacy `/master-image-event-logs` (removed in 0.8.15).
    static func masterImageEventLogs() -> ResourceDefinition {
        ResourceDefinition(
            entity: "master-image-event-log", table: CoreTable.masterImageEventLogs,
            fields: [
                .id().filterable(false).sortable(false),
                .string("name").filterable(),
                .json("data"),
                .bool("expiring").defaults(false),
                Field(name: "expiresAt", kind: .timestamp).sortable(),
                .uuid("masterImageId").filterable()
                    .references(CoreTable.masterImages, as: "masterImage", onDelete: .cascade),
            ] + Field.timestamps(filterable: true),
            relations: [Relation(name: "masterImage", localField: "masterImageId", target: CoreTable.masterImages)],
            operations: [.list, .read, .delete]
        )
    }

    // MARK: Projects

    static func projects(_ generation: HubGeneration) -> ResourceDefinition {
        let legacy = generation == .legacy
        var fields: [Field] = [.id()]
        if legacy {
            fields += [
                .string("name").required().notNull().length(5...100).filterable(),
                .string("description").writable().length(5...4096),
            ]
        } else {
            fields += [
                .string("name").writable().notNull().lowercased().falsyMeansUnsetOnCreate().filterable()
                    .sortable(),
                .string("displayName").writable().length(3...256).filterable().sortable(),
                .string("description").writable().length(5...4096),
            ]
        }
        fields += [
            .integer("nodes").defaults(0),
            .integer("analyses").defaults(0),
            .uuid("realmId").filterable(),
            .uuid("userId").filterable(),
            .uuid("robotId"),
        ]
        if !legacy { fields.append(.uuid("clientId")) }
        fields.append(
            .uuid("masterImageId").writable().references(
                CoreTable.masterImages, as: "masterImage", onDelete: .setNull))
        return ResourceDefinition(
            entity: "project", table: CoreTable.projects,
            fields: fields + Field.timestamps(),
            relations: [Relation(name: "masterImage", localField: "masterImageId", target: CoreTable.masterImages)],
            uniqueKeys: [["name"]],
            access: .permissions("project"),
            conflictMessage: legacy ? nil : "A db entry with some unique attributes already exists.",
            hooks: ResourceHooks(
                prepareCreate: { record, _, context in
                    if legacy, let kind = context.identity?.kind, kind == .client {
                        throw HubRules.forbidden("Only users and robots are permitted to create a project.", generation)
                    }
                    if !legacy { try HubRules.slugName(&record, creating: true) }
                    record["realmId"] = context.identity.map { .string($0.realmId) } ?? .null
                    record.merge(
                        HubRules.creator(context.identity, kinds: legacy ? [.user, .robot] : [.user, .robot, .client])
                    ) { _, new in new }
                },
                prepareUpdate: { record, existing, _, context in
                    try HubRules.requireWrite(
                        realm: existing["realmId"], context, "You are not permitted to update this project.")
                    if !legacy, context.body["name"] != nil { try HubRules.slugName(&record, creating: false) }
                },
                beforeDelete: { record, store, context in
                    try HubRules.requireWrite(
                        realm: record["realmId"], context, "You are not permitted to delete this project.")
                    if store.rows(CoreTable.analyses, where: { $0["projectId"] == record["id"] }).first != nil {
                        throw HubRules.rule(
                            legacy
                                ? "Remove all trains associated to the proposal before removing it."
                                : "The project still has associated analyses.", generation)
                    }
                },
                present: { record, store in
                    let id = record["id"]
                    record["nodes"] = .int(store.rows(CoreTable.projectNodes) { $0["projectId"] == id }.count)
                    record["analyses"] = .int(store.rows(CoreTable.analyses) { $0["projectId"] == id }.count)
                })
        )
    }

    // MARK: Project nodes

    static func projectNodes(_ generation: HubGeneration) -> ResourceDefinition {
        let legacy = generation == .legacy
        let membership = allOf(["project_create", "project_update"])
        return ResourceDefinition(
            entity: "project-node", table: CoreTable.projectNodes,
            fields: [
                .id().filterable(false).sortable(false),
                updateOnly(Field.enumeration("approvalStatus", approvalStatuses).filterable()),
                updateOnly(.string("comment").length(3...4096)),
                .uuid("projectId").createOnly(required: true).notNull().filterable()
                    .references(CoreTable.projects, as: "project", onDelete: .cascade),
                .uuid("projectRealmId").filterable().copied(from: "projectId", field: "realmId"),
                .uuid("nodeId").createOnly(required: true).notNull().filterable()
                    .references(CoreTable.nodes, as: "node", onDelete: .cascade),
                .uuid("nodeRealmId").filterable().copied(from: "nodeId", field: "realmId"),
            ] + Field.timestamps(),
            relations: [
                Relation(
                    name: "node", localField: "nodeId", target: CoreTable.nodes, filterFields: legacy ? ["name"] : [],
                    sortFields: legacy ? ["name", "createdAt", "updatedAt"] : []),
                Relation(
                    name: "project", localField: "projectId", target: CoreTable.projects,
                    filterFields: legacy ? ["id", "name"] : [],
                    sortFields: legacy ? ["name", "createdAt", "updatedAt"] : []),
            ],
            uniqueKeys: [["projectId", "nodeId"]],
            access: AccessRules(create: membership, update: .permission("project_approve"), delete: membership),
            hooks: ResourceHooks(
                prepareCreate: { record, store, context in
                    try HubRules.requireWrite(
                        realm: record["projectRealmId"], context, "The referenced project realm is not permitted.")
                    let node = record["nodeId"]?.stringValue.flatMap { store.find(CoreTable.nodes, id: $0) }
                    // SKIP_PROJECT_APPROVAL: hub v0.8.13 http/controllers/project-node/handlers/create.ts,
                    // v0.14.0 core/entities/project-node/service.ts.
                    if node?["type"] == "aggregator" || context.configuration.switches.skipProjectApproval {
                        record["approvalStatus"] = "approved"
                    }
                },
                prepareUpdate: { _, existing, _, context in
                    try HubRules.requireWrite(
                        realm: existing["nodeRealmId"], context, "You are not permitted to update this object.")
                },
                beforeDelete: { record, _, context in
                    if !HubRules.canWrite(realm: record["nodeRealmId"], context.identity),
                        !HubRules.canWrite(realm: record["projectRealmId"], context.identity)
                    {
                        throw HubRules.forbidden("You are not permitted to delete this object.", context.generation)
                    }
                },
                readable: legacy ? HubRules.realmScoped(["nodeRealmId", "projectRealmId"]) : nil)
        )
    }
}

extension Field.Pattern {
    /// Harbor project names: `^[a-z0-9-_]*$`.
    static let externalName = Field.Pattern(description: "external name") { text in
        text.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}
