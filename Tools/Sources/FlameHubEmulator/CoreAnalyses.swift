import FlameHub

/// Analyses and the resources hanging off them: analysis nodes, buckets, bucket files and the
/// legacy DB-backed logs, with the computed fields and side effects of hub-core-storage-api.md
/// 5.8–5.14 and 10.3.
enum CoreAnalyses {
    static func all(_ generation: HubGeneration) -> [ResourceDefinition] {
        var resources = [
            analyses(generation), analysisNodes(generation), analysisBuckets(generation),
            analysisBucketFiles(generation),
        ]
        resources += generation == .legacy ? [analysisLogs(), analysisNodeLogs()] : [analysisNodeEvents()]
        return resources
    }

    /// `/analysis-node-events` (0.8.14+): read-only links to telemetry events.
    static func analysisNodeEvents() -> ResourceDefinition {
        ResourceDefinition(
            entity: "analysis-node-event", table: "core/analysis-node-events",
            fields: [
                .id().filterable(false).sortable(false),
                .uuid("eventId"),
                .uuid("analysisId").filterable().references(CoreTable.analyses, as: "analysis", onDelete: .cascade),
                .uuid("analysisRealmId").copied(from: "analysisId", field: "realmId"),
                .uuid("nodeId").filterable().references(CoreTable.nodes, as: "node", onDelete: .cascade),
                .uuid("nodeRealmId").copied(from: "nodeId", field: "realmId"),
            ] + Field.timestamps(),
            relations: [
                Relation(name: "analysis", localField: "analysisId", target: CoreTable.analyses),
                Relation(name: "node", localField: "nodeId", target: CoreTable.nodes),
            ],
            operations: [.list, .read]
        )
    }

    static let bucketTypes = ["CODE", "RESULT", "TEMP"]

    // MARK: Analyses

    static func analyses(_ generation: HubGeneration) -> ResourceDefinition {
        let legacy = generation == .legacy
        var fields: [Field] = [.id().sortable(false)]
        if legacy {
            fields += [
                .string("name").writable().length(3...128).filterable(),
                .string("description").writable().length(5...4096).filterable(),
                .integer("nodes").defaults(0),
                .bool("configurationLocked").defaults(false).filterable(),
                Field.enumeration("buildStatus", CoreDeclarations.legacyBuildStatuses).filterable(),
                Field.enumeration("runStatus", CoreDeclarations.legacyRunStatuses).filterable(),
            ]
        } else {
            let process = CoreDeclarations.processStatuses
            fields += [
                .string("name").writable().notNull().lowercased().falsyMeansUnsetOnCreate().filterable()
                    .sortable(),
                .string("displayName").writable().length(3...256).filterable().sortable(),
                .string("description").writable().length(5...4096).filterable(),
                .integer("nodes").defaults(0),
                .integer("nodesApproved").defaults(0),
                .bool("configurationLocked").defaults(false).filterable(),
                .bool("configurationEntrypointValid").defaults(false),
                .bool("configurationImageValid").defaults(false),
                .bool("configurationNodeAggregatorValid").defaults(false),
                .bool("configurationNodeDefaultValid").defaults(false),
                .bool("configurationNodesValid").defaults(false),
                .bool("buildNodesValid").defaults(false),
                Field.enumeration("buildStatus", process).filterable(),
                .integer("buildProgress"),
                .string("buildHash"),
                .string("buildOs"),
                .number("buildSize"),
                Field.enumeration("distributionStatus", process),
                .integer("distributionProgress"),
                Field.enumeration("executionStatus", process).filterable(),
                .integer("executionProgress"),
            ]
        }
        fields += [
            .json("imageCommandArguments").writable(),
            .uuid("projectId").createOnly(required: true).notNull().filterable()
                .references(CoreTable.projects, as: "project"),
            .uuid("realmId").filterable().copied(from: "projectId", field: "realmId"),
            .uuid("userId"),
        ]
        if !legacy { fields.append(.uuid("clientId")) }
        fields += [
            .uuid("masterImageId").writable()
                .references(CoreTable.masterImages, as: "masterImage", onDelete: .setNull),
            .uuid("registryId").writable()
                .references(CoreTable.registries, as: "registry", onDelete: legacy ? .cascade : .setNull),
        ]
        return ResourceDefinition(
            entity: "analysis", table: CoreTable.analyses,
            fields: fields + Field.timestamps(),
            relations: [
                Relation(name: "project", localField: "projectId", target: CoreTable.projects),
                Relation(name: "masterImage", localField: "masterImageId", target: CoreTable.masterImages),
            ],
            access: .permissions("analysis"),
            defaultSort: [("updatedAt", true)],
            hooks: ResourceHooks(
                prepareCreate: { record, store, context in
                    guard context.identity?.kind == .user else {
                        throw HubRules.forbidden("Only user accounts are permitted to create an analysis.", generation)
                    }
                    try checkCommandArguments(&record, previous: nil, generation)
                    if !legacy {
                        try HubRules.slugName(&record, creating: true)
                        if context.body["masterImageId"] == nil,
                            let project = record["projectId"]?.stringValue.flatMap({
                                store.find(CoreTable.projects, id: $0)
                            })
                        {
                            record["masterImageId"] = project["masterImageId"] ?? .null
                        }
                        record["clientId"] = .string(
                            HubIdentities.provision(
                                name: record["id"]?.stringValue ?? Support.uuid(), displayName: nil,
                                realmId: record["realmId"] ?? .null, permissions: [], generation: generation,
                                store: &store))
                    }
                    record["userId"] = context.identity.map { .string($0.id) } ?? .null
                },
                prepareUpdate: { record, existing, _, context in
                    try HubRules.requireWrite(
                        realm: existing["realmId"], context, "You are not permitted to update this analysis.")
                    try checkCommandArguments(&record, previous: existing["imageCommandArguments"], generation)
                    if !legacy {
                        if context.body["name"] != nil { try HubRules.slugName(&record, creating: false) }
                        if existing["registryId"]?.isNull == false, record["registryId"] != existing["registryId"] {
                            throw HubRules.rule("The registry can not be changed after it is specified.", generation)
                        }
                        if record["masterImageId"] != existing["masterImageId"] {
                            record["imageCommandArguments"] = .null
                        }
                    }
                },
                afterCreate: { record, store, context in
                    guard let id = record["id"]?.stringValue else { return }
                    assignApprovedNodes(
                        analysis: record, store: &store, generation: generation,
                        skipApproval: context.configuration.switches.skipAnalysisApproval)
                    if legacy {
                        log(analysis: record, command: "spinUp", status: nil, store: &store)
                    }
                    scheduleBuckets(analysisID: id, realm: record["realmId"] ?? .null, context: context)
                },
                beforeDelete: { record, store, context in
                    try HubRules.requireWrite(
                        realm: record["realmId"], context, "You are not permitted to delete this analysis.")
                    // Storage buckets are removed asynchronously (legacy: by the tearDown command).
                    let buckets = store.rows(CoreTable.analysisBuckets) { $0["analysisId"] == record["id"] }
                        .compactMap { ($0[legacy ? "externalId" : "bucketId"])?.stringValue }
                    context.scheduler.schedule { store in
                        for bucket in buckets { StorageDeclarations.removeBucket(bucket, store: &store) }
                    }
                },
                afterDelete: { record, store, _ in
                    if !legacy { HubIdentities.remove(id: record["clientId"], generation: generation, store: &store) }
                },
                present: { record, store in computeFlags(&record, store: store, generation: generation) },
                readable: legacy ? HubRules.realmScoped(["realmId"]) : nil)
        )
    }

    /// `imageCommandArguments`: `null` or an array of `{value: 2–512 chars, position?}`. Hub
    /// v0.8.13 packages/server-core/src/http/controllers/analysis/utils/validator.ts drops a
    /// value that is no array (`null` included: the column keeps `previous`); v0.14.0
    /// packages/core-kit/src/domains/analysis/validator.ts keeps `null` and rejects the rest.
    static func checkCommandArguments(
        _ record: inout EmulatorJSONObject, previous: EmulatorJSON?, _ generation: HubGeneration
    ) throws {
        guard let value = record["imageCommandArguments"] else { return }
        let items: [EmulatorJSON]
        switch generation {
        case .legacy:
            guard let array = value.arrayValue else {
                record["imageCommandArguments"] = previous ?? .null
                return
            }
            items = array
        case .transitional, .current:
            if value.isNull { return }
            guard let array = value.arrayValue else {
                throw HubRules.rule("imageCommandArguments must be an array.", generation)
            }
            items = array
        }
        for item in items {
            let text = item["value"]?.stringValue ?? ""
            let position = item["position"]
            let positionValid =
                position == nil || position?.isNull == true || position == "before" || position == "after"
            if !(2...512).contains(text.count) || !positionValid {
                throw EmulatorError.validation([
                    ValidationIssue(field: "imageCommandArguments", code: "value_invalid", message: "Invalid input")
                ])
            }
        }
    }

    /// Computed columns: node counters and (current) configuration flags.
    static func computeFlags(_ record: inout EmulatorJSONObject, store: Store, generation: HubGeneration) {
        let id = record["id"]
        let assigned = store.rows(CoreTable.analysisNodes) { $0["analysisId"] == id }
        record["nodes"] = .int(assigned.count)
        // `nodes_approved` and the configuration flags exist at 0.12.7 (`analysis/entity.ts`).
        guard generation != .legacy else { return }
        let approved = assigned.filter { $0["approvalStatus"] == "approved" }.count
        record["nodesApproved"] = .int(approved)
        let types = Set(
            assigned.compactMap { $0["nodeId"]?.stringValue.flatMap { store.find(CoreTable.nodes, id: $0)?["type"] } })
        let aggregator = types.contains("aggregator")
        let standard = types.contains("default")
        record["configurationNodeAggregatorValid"] = .bool(aggregator)
        record["configurationNodeDefaultValid"] = .bool(standard)
        record["configurationNodesValid"] = .bool(aggregator && standard)
        record["configurationImageValid"] = .bool(record["masterImageId"]?.isNull == false)
        // SKIP_ANALYSIS_APPROVAL: hub v0.14.0 core/entities/analysis-node/recalculator.ts.
        let ignoreApproval = CoreSeed.skipsAnalysisApproval(store)
        record["buildNodesValid"] = .bool(!assigned.isEmpty && (ignoreApproval || approved == assigned.count))
        let codeBuckets = Set(
            store.rows(CoreTable.analysisBuckets) { $0["analysisId"] == id && $0["type"] == "CODE" }.compactMap {
                $0["id"]
            })
        record["configurationEntrypointValid"] = .bool(
            store.rows(CoreTable.analysisBucketFiles) {
                $0["root"] == true && codeBuckets.contains($0["analysisBucketId"] ?? .null)
            }.first != nil)
    }

    /// Every approved project node joins a new analysis (aggregators approved at once, all of them
    /// with `SKIP_ANALYSIS_APPROVAL`: hub v0.14.0 core/entities/analysis/service.ts).
    static func assignApprovedNodes(
        analysis: EmulatorJSONObject, store: inout Store, generation: HubGeneration, skipApproval: Bool = false
    ) {
        let members = store.rows(CoreTable.projectNodes) {
            $0["projectId"] == analysis["projectId"] && $0["approvalStatus"] == "approved"
        }
        for member in members {
            let node = member["nodeId"]?.stringValue.flatMap { store.find(CoreTable.nodes, id: $0) }
            CoreDeclarations.insert(
                CoreTable.analysisNodes,
                [
                    "analysisId": analysis["id"] ?? .null, "nodeId": member["nodeId"] ?? .null,
                    "approvalStatus": node?["type"] == "aggregator" || skipApproval ? "approved" : .null,
                ], generation, into: &store)
        }
    }

    /// The Hub asks storage for CODE, RESULT and TEMP buckets; the analysis buckets appear later.
    static func scheduleBuckets(analysisID: String, realm: EmulatorJSON, context: HookContext) {
        let generation = context.generation
        let identity = context.identity
        context.scheduler.schedule { store in
            guard store.find(CoreTable.analyses, id: analysisID) != nil else { return }
            for type in bucketTypes {
                let exists = store.rows(CoreTable.analysisBuckets) {
                    $0["analysisId"] == .string(analysisID) && $0["type"] == .string(type)
                }
                if !exists.isEmpty { continue }
                let bucket = CoreDeclarations.insert(
                    CoreTable.buckets,
                    [
                        "name": .string("analysis-\(type.lowercased())-files.\(analysisID)"), "realmId": realm,
                        "actorType": identity.map { .string($0.kind.rawValue) } ?? .null,
                        "actorId": identity.map { .string($0.id) } ?? .null,
                    ], generation, into: &store)
                var row: EmulatorJSONObject = ["type": .string(type), "analysisId": .string(analysisID)]
                row[generation == .legacy ? "externalId" : "bucketId"] = bucket["id"] ?? .null
                CoreDeclarations.insert(CoreTable.analysisBuckets, row, generation, into: &store)
            }
        }
    }

    /// Aggregates the analysis' execution status from its nodes (current): any `failed` wins,
    /// else the lowest status by rank; progress is the floored mean.
    static func refreshExecution(analysisID: EmulatorJSON?, store: inout Store) {
        guard let id = analysisID?.stringValue, var analysis = store.find(CoreTable.analyses, id: id) else { return }
        let assigned = store.rows(CoreTable.analysisNodes) { $0["analysisId"] == analysisID }
        let statuses = assigned.compactMap { $0["executionStatus"]?.stringValue }
        var status: EmulatorJSON = .null
        if statuses.contains("failed") {
            status = "failed"
        } else if statuses.count == assigned.count, !assigned.isEmpty {
            let ranks = CoreDeclarations.processStatuses
            status =
                statuses.min { (ranks.firstIndex(of: $0) ?? 0) < (ranks.firstIndex(of: $1) ?? 0) }
                .map(EmulatorJSON.string) ?? .null
        }
        analysis["executionStatus"] = status
        let progress = assigned.compactMap { $0["executionProgress"]?.intValue }
        analysis["executionProgress"] =
            assigned.isEmpty || progress.isEmpty ? .null : .int(progress.reduce(0, +) / assigned.count)
        store.save(CoreTable.analyses, analysis)
    }

    /// Legacy: a DB row in `/analysis-logs` for a command (or, with `component: "builder"`, for
    /// an event of the analysis manager's builder).
    static func log(
        analysis: EmulatorJSONObject, component: String = "analysis", command: String?, event: String = "executed",
        status: String?, store: inout Store
    ) {
        CoreDeclarations.insert(
            CoreTable.analysisLogs,
            [
                "component": .string(component), "command": command.map(EmulatorJSON.string) ?? .null,
                "event": .string(event), "error": false,
                "status": status.map(EmulatorJSON.string) ?? .null, "analysisId": analysis["id"] ?? .null,
                "realmId": analysis["realmId"] ?? .null,
            ], .legacy, into: &store)
    }

    // MARK: Analysis nodes

    static func analysisNodes(_ generation: HubGeneration) -> ResourceDefinition {
        let legacy = generation == .legacy
        var fields: [Field] = [
            .id().filterable(false).sortable(false),
            Field.enumeration("approvalStatus", CoreDeclarations.approvalStatuses).writable().filterable(),
        ]
        if legacy {
            fields += [
                Field.enumeration("runStatus", CoreDeclarations.legacyRunStatuses).writable().filterable(),
                .integer("index").writable().defaults(0).sortable(),
            ]
        } else {
            fields += [
                Field.enumeration("executionStatus", CoreDeclarations.processStatuses).writable().filterable(),
                .integer("executionProgress").writable(),
            ]
        }
        fields += [
            // v0.8.13 analysis-node/utils/validation.ts `isString()`, v0.14.0
            // core-kit analysis-node/validator.ts `z.string().nullable()`: no length rule.
            .string("comment").writable(),
            .string("artifactTag"),
            .string("artifactDigest"),
            .uuid("analysisId").createOnly(required: true).notNull().filterable()
                .references(CoreTable.analyses, as: "analysis", onDelete: .cascade),
            .uuid("analysisRealmId").filterable().copied(from: "analysisId", field: "realmId"),
            .uuid("nodeId").createOnly(required: true).notNull().filterable()
                .references(CoreTable.nodes, as: "node", onDelete: .cascade),
            .uuid("nodeRealmId").filterable().copied(from: "nodeId", field: "realmId"),
        ]
        let either = CoreDeclarations.anyOf(["analysis_update", "analysis_approve"])
        return ResourceDefinition(
            entity: "analysis-node", table: CoreTable.analysisNodes,
            fields: fields + Field.timestamps(),
            relations: [
                Relation(
                    name: "node", localField: "nodeId", target: CoreTable.nodes,
                    filterFields: legacy ? ["name", "realmId"] : [],
                    sortFields: legacy ? ["name", "createdAt", "updatedAt"] : []),
                Relation(
                    name: "analysis", localField: "analysisId", target: CoreTable.analyses,
                    filterFields: legacy ? ["id", "name", "projectId"] : [],
                    sortFields: legacy ? ["name", "createdAt", "updatedAt"] : []),
            ],
            uniqueKeys: legacy ? [["nodeId", "analysisId"]] : [],
            access: AccessRules(create: .permission("analysis_update"), update: either, delete: either),
            hooks: ResourceHooks(
                prepareCreate: { record, store, context in
                    try checkProgress(record, generation)
                    guard
                        let analysis = record["analysisId"]?.stringValue.flatMap({
                            store.find(CoreTable.analyses, id: $0)
                        })
                    else { return }
                    if analysis["configurationLocked"] == true {
                        throw HubRules.rule(
                            "The analysis has already been locked and can therefore no longer be modified.", generation)
                    }
                    let member = store.rows(CoreTable.projectNodes) {
                        $0["projectId"] == analysis["projectId"] && $0["nodeId"] == record["nodeId"]
                    }
                    if member.isEmpty {
                        throw HubRules.notFound("The referenced node is not part of the analysis project.", generation)
                    }
                    if !legacy,
                        let existing = store.rows(
                            CoreTable.analysisNodes,
                            where: {
                                $0["analysisId"] == record["analysisId"] && $0["nodeId"] == record["nodeId"]
                            }
                        ).first
                    {
                        record = existing  // idempotent: the stored row is answered again
                        return
                    }
                    let node = record["nodeId"]?.stringValue.flatMap { store.find(CoreTable.nodes, id: $0) }
                    // SKIP_ANALYSIS_APPROVAL: hub v0.8.13 http/controllers/analysis-node/handlers/create.ts,
                    // v0.14.0 core/entities/analysis-node/service.ts.
                    if node?["type"] == "aggregator" || context.configuration.switches.skipAnalysisApproval {
                        record["approvalStatus"] = "approved"
                    }
                },
                prepareUpdate: { record, existing, _, context in
                    try checkProgress(record, generation)
                    let identity = context.identity
                    let nodeAuthority = HubRules.canWrite(realm: existing["nodeRealmId"], identity)
                    if !nodeAuthority, !HubRules.canWrite(realm: existing["analysisRealmId"], identity) {
                        throw HubRules.forbidden("You are neither part of the node nor analysis realm.", generation)
                    }
                    let message = "You are either no authority of the node or you don't have the required permissions."
                    let body = context.body
                    if body["approvalStatus"] != nil || body["comment"] != nil,
                        !(nodeAuthority && identity?.has("analysis_approve") == true)
                    {
                        throw HubRules.rule(message, generation)
                    }
                    if body["executionStatus"] != nil || body["runStatus"] != nil,
                        !(nodeAuthority && identity?.has("analysis_update") == true)
                    {
                        throw HubRules.rule(message, generation)
                    }
                },
                afterWrite: { record, store, _ in
                    if !legacy { refreshExecution(analysisID: record["analysisId"], store: &store) }
                },
                beforeDelete: { record, _, context in
                    if !HubRules.canWrite(realm: record["nodeRealmId"], context.identity),
                        !HubRules.canWrite(realm: record["analysisRealmId"], context.identity)
                    {
                        throw HubRules.forbidden("You are neither part of the node nor analysis realm.", generation)
                    }
                },
                afterDelete: { record, store, _ in
                    if !legacy { refreshExecution(analysisID: record["analysisId"], store: &store) }
                },
                readable: legacy ? HubRules.realmScoped(["nodeRealmId", "analysisRealmId"]) : nil)
        )
    }

    static func checkProgress(_ record: EmulatorJSONObject, _ generation: HubGeneration) throws {
        if let progress = record["executionProgress"]?.intValue, !(0...100).contains(progress) {
            throw EmulatorError.validation([
                ValidationIssue(
                    field: "executionProgress", code: progress < 0 ? "min_value" : "max_value",
                    message: "Invalid input: expected number between 0 and 100")
            ])
        }
    }

    // MARK: Analysis buckets

    static func analysisBuckets(_ generation: HubGeneration) -> ResourceDefinition {
        let legacy = generation == .legacy
        var fields: [Field] = [
            .id().filterable(false).sortable(false),
            Field.enumeration("type", bucketTypes).createOnly(required: true).notNull().filterable().sortable(),
        ]
        fields.append(legacy ? .uuid("externalId") : .uuid("bucketId").createOnly(required: true).notNull())
        fields += [
            .uuid("analysisId").createOnly(required: true).notNull().filterable()
                .references(CoreTable.analyses, as: "analysis", onDelete: .cascade),
            .uuid("realmId").copied(from: "analysisId", field: "realmId"),
        ]
        return ResourceDefinition(
            entity: "analysis-bucket", table: CoreTable.analysisBuckets,
            fields: fields + Field.timestamps(),
            relations: [
                Relation(
                    name: "analysis", localField: "analysisId", target: CoreTable.analyses,
                    filterFields: legacy ? ["id", "name"] : [])
            ],
            uniqueKeys: legacy ? [] : [["bucketId", "analysisId"]],
            hooks: ResourceHooks(
                prepareCreate: { record, _, context in
                    try HubRules.requireWrite(
                        realm: record["realmId"], context, "You are not permitted to create this analysis bucket.")
                },
                prepareUpdate: { _, existing, _, context in
                    try HubRules.requireWrite(
                        realm: existing["realmId"], context, "You are not permitted to update this analysis bucket.")
                },
                beforeDelete: { record, _, context in
                    try HubRules.requireWrite(
                        realm: record["realmId"], context, "You are not permitted to delete this analysis bucket.")
                },
                readable: legacy ? HubRules.realmScoped(["realmId"]) : nil)
        )
    }

    // MARK: Analysis bucket files

    static func analysisBucketFiles(_ generation: HubGeneration) -> ResourceDefinition {
        let legacy = generation == .legacy
        var fields: [Field] = [.id().filterable(false).sortable(false)]
        let bucketKey = legacy ? "bucketId" : "analysisBucketId"
        if legacy {
            fields += [
                // v0.8.13 analysis-bucket-file/utils/validator.ts: `exists().isString()`, no length.
                .string("name").required().notNull().filterable().sortable(),
                .bool("root").writable().defaults(false).filterable(),
                .uuid("externalId").createOnly(required: true).notNull(),
                .uuid("bucketId").createOnly(required: true).notNull().filterable()
                    .references(CoreTable.analysisBuckets, as: "bucket", onDelete: .cascade),
            ]
        } else {
            fields += [
                // v0.14.0 core-kit analysis-bucket-file/validator.ts: `z.string()`, no length.
                .string("path").required().notNull().filterable().sortable(),
                .bool("root").writable().defaults(false).filterable(),
                .uuid("bucketId").createOnly(required: true).notNull(),
                .uuid("bucketFileId").createOnly(required: true).notNull(),
                .uuid("analysisBucketId").createOnly(required: true).notNull().filterable()
                    .references(CoreTable.analysisBuckets, as: "analysisBucket", onDelete: .cascade),
            ]
        }
        fields += [
            .uuid("analysisId").filterable().copied(from: bucketKey, field: "analysisId"),
            .uuid("realmId"),
            .uuid("userId"),
            .uuid("robotId"),
        ]
        if !legacy { fields.append(.uuid("clientId")) }
        let nameKey = legacy ? "name" : "path"
        return ResourceDefinition(
            entity: "analysis-bucket-file", table: CoreTable.analysisBucketFiles,
            fields: fields + Field.timestamps(),
            relations: [
                Relation(
                    name: "analysis", localField: "analysisId", target: CoreTable.analyses,
                    filterFields: legacy ? ["id", "name"] : []),
                Relation(
                    name: legacy ? "bucket" : "analysisBucket", localField: bucketKey,
                    target: CoreTable.analysisBuckets),
            ],
            uniqueKeys: legacy ? [] : [["analysisId", nameKey]],
            hooks: ResourceHooks(
                prepareCreate: { record, store, context in
                    let bucket = record[bucketKey]?.stringValue.flatMap {
                        store.find(CoreTable.analysisBuckets, id: $0)
                    }
                    try HubRules.requireWrite(
                        realm: bucket?["realmId"], context, "You are not permitted to create this analysis bucket file."
                    )
                    if legacy, bucket?["type"] == "CODE",
                        let analysis = record["analysisId"]?.stringValue.flatMap({
                            store.find(CoreTable.analyses, id: $0)
                        }), analysis["configurationLocked"] == true
                    {
                        throw HubRules.rule(
                            "The analysis is locked right now. It is not possible to add files.", generation)
                    }
                    record["realmId"] = context.identity.map { .string($0.realmId) } ?? .null
                    record.merge(
                        HubRules.creator(context.identity, kinds: legacy ? [.user, .robot] : [.user, .robot, .client])
                    ) { _, new in new }
                },
                prepareUpdate: { _, existing, _, context in
                    try HubRules.requireWrite(
                        realm: existing["realmId"], context,
                        "You are not permitted to update this analysis bucket file.")
                },
                afterWrite: { record, store, _ in
                    // 0.8.13 keeps a single entrypoint per analysis; 0.14 no longer clears the others.
                    guard legacy, record["root"] == true else { return }
                    for var other in store.rows(
                        CoreTable.analysisBucketFiles,
                        where: {
                            $0["analysisId"] == record["analysisId"] && $0["id"] != record["id"] && $0["root"] == true
                        })
                    {
                        other["root"] = false
                        store.save(CoreTable.analysisBucketFiles, other)
                    }
                },
                beforeDelete: { record, _, context in
                    try HubRules.requireWrite(
                        realm: record["realmId"], context, "You are not permitted to delete this analysis bucket file.")
                },
                readable: legacy ? HubRules.realmScoped(["realmId"]) : nil)
        )
    }

    // MARK: Legacy logs

    /// `/analysis-logs` of Hub 0.8.13: DB rows written by the Hub, read and deleted by clients.
    static func analysisLogs() -> ResourceDefinition {
        ResourceDefinition(
            entity: "analysis-log", table: CoreTable.analysisLogs,
            fields: [
                .id().filterable(false).sortable(false),
                .string("component"),
                .string("command").filterable().sortable(),
                .string("event"),
                .bool("error").defaults(false).filterable(),
                .string("errorCode"),
                .string("status").filterable().sortable(),
                .string("statusMessage"),
                .json("meta"),
                .uuid("analysisId").filterable().references(CoreTable.analyses, as: "analysis", onDelete: .cascade),
                .uuid("realmId"),
            ] + Field.timestamps(),
            relations: [Relation(name: "analysis", localField: "analysisId", target: CoreTable.analyses)],
            operations: [.list, .read, .delete]
        )
    }

    /// `/analysis-node-logs` of Hub 0.8.13: DB rows with ids, created by nodes (201).
    static func analysisNodeLogs() -> ResourceDefinition {
        ResourceDefinition(
            entity: "analysis-node-log", table: CoreTable.analysisNodeLogs,
            fields: [
                .id().filterable(false).sortable(false),
                .bool("error").writable().defaults(false).filterable(),
                .string("errorCode").writable(),
                .string("status").required().notNull().filterable().sortable(),
                .string("statusMessage").writable(),
                .uuid("analysisId").createOnly(required: true).notNull().filterable()
                    .references(CoreTable.analyses, as: "analysis", onDelete: .cascade),
                .uuid("analysisRealmId").copied(from: "analysisId", field: "realmId"),
                .uuid("nodeId").createOnly(required: true).notNull().filterable()
                    .references(CoreTable.nodes, as: "node", onDelete: .cascade),
                .uuid("nodeRealmId").copied(from: "nodeId", field: "realmId"),
            ] + Field.timestamps(),
            relations: [
                Relation(name: "analysis", localField: "analysisId", target: CoreTable.analyses),
                Relation(name: "node", localField: "nodeId", target: CoreTable.nodes),
            ],
            hooks: ResourceHooks(
                prepareCreate: { record, store, _ in
                    if analysisNode(record, store) == nil {
                        throw HubRules.rule("A relation between analysis and node must exist to create logs.", .legacy)
                    }
                },
                afterWrite: { record, store, _ in
                    // A status that is a run status moves the analysis node along.
                    guard let status = record["status"]?.stringValue,
                        CoreDeclarations.legacyRunStatuses.contains(status),
                        var assignment = analysisNode(record, store)
                    else { return }
                    assignment["runStatus"] = .string(status)
                    assignment["updatedAt"] = .string(Support.timestamp())
                    store.save(CoreTable.analysisNodes, assignment)
                })
        )
    }

    static func analysisNode(_ log: EmulatorJSONObject, _ store: Store) -> EmulatorJSONObject? {
        store.rows(CoreTable.analysisNodes) { $0["analysisId"] == log["analysisId"] && $0["nodeId"] == log["nodeId"] }
            .first
    }
}
