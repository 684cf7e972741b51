import FlameHub

/// Hand-written core routes: commands, credentials, gated reads and (current) the
/// telemetry-backed log endpoints. Everything record-shaped is rendered by the generic engine.
enum CoreRoutes {
    static func all(_ generation: HubGeneration) -> [Route] {
        var routes: [Route] = [
            HubStatus.route(generation),
            Route([.get], "/registries") { context in try gatedSecretRead(context, id: nil) },
            Route([.get], "/registries/:id") { context in try gatedSecretRead(context, id: context.parameters["id"]) },
            Route([.get], "/registry-projects") { context in try gatedSecretRead(context, id: nil) },
            Route([.get], "/registry-projects/:id") { context in
                try gatedSecretRead(context, id: context.parameters["id"])
            },
            Route([.post], "/master-images/command", access: .authenticated) { context in
                try masterImageCommand(context)
            },
            Route([.post], "/analyses/:id/command", access: .authenticated) { context in
                try CoreCommands.analysisCommand(context)
            },
            Route([.post], "/services/:id/command", access: .authenticated) { context in try serviceCommand(context) },
            Route([.post], "/services/:id/hook", access: .authenticated) { context in
                guard context.parameters["id"] == "registry" else { throw EmulatorError.notFound("service") }
                return nullResponse(context.generation)
            },
        ]
        switch generation {
        case .legacy:
            routes += [
                Route([.delete], "/master-image-event-logs/:id", access: .authenticated) { context in
                    try deleteEventLog(context)
                }
            ]
        // 0.12.3–0.12.7 serve the credential and telemetry routes of 0.13
        // (`apps/server-core/src/adapters/http/controllers/entities` at `v0.12.7`).
        case .transitional, .current:
            routes += CoreCredentials.routes() + TelemetryLogs.routes()
            routes += [CoreTable.projectNodes, CoreTable.analyses].map { table in
                Route([.delete], "/\(table.split(separator: "/").last ?? "")/:id") { context in
                    try deleteWithProject(context, table)
                }
            }
        }
        return routes
    }

    /// 202 with the generation's empty answer: legacy no body, current literal `null`.
    static func nullResponse(_ generation: HubGeneration) -> EmulatorResponse {
        generation == .legacy ? .empty(status: 202) : .json(.null, status: 202)
    }

    /// A mutation answer: bare record (legacy) or `{data, meta: {}}`.
    static func writeResponse(
        _ value: EmulatorJSON, _ generation: HubGeneration, status: Int = 202
    ) -> EmulatorResponse {
        generation.envelopesRecords(of: .core)
            ? .json(["data": value, "meta": [:]], status: status) : .json(value, status: status)
    }

    static func resource(_ context: HandlerContext, _ table: String) throws -> ResourceDefinition {
        guard let resource = context.core.registry[table] else { throw EmulatorError(.notFound, entity: "route") }
        return resource
    }

    /// Renders a stored record with every readable column (write responses).
    static func renderWrite(
        _ record: EmulatorJSONObject, _ table: String, _ context: HandlerContext, store: Store
    ) throws -> EmulatorJSON {
        let resource = try resource(context, table)
        let engine = context.core.engine
        return engine.render(
            record, resource: resource, projection: engine.writeProjection(resource), includes: [], store: store)
    }

    // MARK: Secret-gated reads

    /// `fields=+accountSecret` on registries needs `registry_manage`; on registry projects a
    /// returned secret needs `registry_manage` or the node client owning the project (else 403).
    static func gatedSecretRead(_ context: HandlerContext, id: String?) throws -> EmulatorResponse {
        let table = context.path.first == "registries" ? CoreTable.registries : CoreTable.registryProjects
        let resource = try resource(context, table)
        let engine = context.core.engine
        let secretToken = "+" + context.wireName("accountSecret")
        let wantsSecret = RapiqQuery(context.query).fields?.contains(secretToken) ?? false
        let privileged = context.identity?.has("registry_manage") ?? false
        if wantsSecret, !privileged, table == CoreTable.registries, context.identity != nil {
            throw EmulatorError(.permissionDenied(permission: "registry_manage"))
        }
        let response =
            try id.map { try engine.read(resource, id: $0, context: context) }
            ?? engine.list(resource, context: context)
        guard wantsSecret, !privileged, table == CoreTable.registryProjects, case .json(let body) = response.body
        else { return response }
        let rows: [EmulatorJSON]
        if id == nil {
            rows = body["data"]?.arrayValue ?? []
        } else {
            rows = [context.envelopesRecords ? body["data"] ?? .null : body]
        }
        let ownProjects: Set<String> = context.state.withStore { store in
            guard let identity = context.identity, identity.kind == .client else { return [] }
            return Set(
                store.rows(CoreTable.nodes) { $0["clientId"] == .string(identity.id) }.compactMap {
                    $0["registryProjectId"]?.stringValue
                })
        }
        let secretKey = context.wireName("accountSecret")
        for row in rows {
            guard let secret = row[secretKey], !secret.isNull, secret != "" else { continue }
            if id == nil || !ownProjects.contains(row["id"]?.stringValue ?? "") {
                throw HubRules.forbidden(
                    "You are not permitted to read the secret of this registry project.", context.generation)
            }
        }
        return response
    }

    /// 0.14's project-node and analysis deletes answer the row with the (recounted) `project`.
    static func deleteWithProject(_ context: HandlerContext, _ table: String) throws -> EmulatorResponse {
        let engine = context.core.engine
        var response = try engine.delete(resource(context, table), id: context.parameters["id"] ?? "", context: context)
        let projects = try resource(context, CoreTable.projects)
        guard case .json(let body) = response.body, var data = body["data"]?.objectValue,
            let projectID = data["projectId"]?.stringValue
        else { return response }
        data["project"] =
            context.state.withStore { store in
                store.find(CoreTable.projects, id: projectID).map {
                    engine.render(
                        $0, resource: projects, projection: engine.writeProjection(projects), includes: [], store: store
                    )
                }
            } ?? .null
        response.body = .json(["data": .object(data), "meta": [:]])
        return response
    }

    /// Hub 0.8.13's event-log DELETE looks the id up among the *analysis logs* (a bug kept for
    /// fidelity: event-log ids are never found there).
    static func deleteEventLog(_ context: HandlerContext) throws -> EmulatorResponse {
        let id = context.parameters["id"] ?? ""
        let record = try context.state.withStore { store -> EmulatorJSON in
            guard let log = store.delete(CoreTable.analysisLogs, id: id) else {
                throw EmulatorError.notFound("master-image-event-log")
            }
            return try renderWrite(log, CoreTable.analysisLogs, context, store: store)
        }
        return .json(record, status: 202)
    }

    // MARK: Master images

    /// `POST /master-images/command`: `sync` (both) and `build` (current).
    static func masterImageCommand(_ context: HandlerContext) throws -> EmulatorResponse {
        let generation = context.generation
        let legacy = generation == .legacy
        if !legacy { try context.require(.permission("master_image_manage")) }
        let body = try context.bodyObject()
        let command = body["command"]?.stringValue
        let scheduler = context.core.scheduler
        switch command {
        case "sync"?:
            try context.state.withStore { store in
                if legacy, store.find(CoreTable.flags, id: "master-image-sync") != nil {
                    throw HubRules.rule("The command is locked and can therefore not be executed.", generation)
                }
                store.save(CoreTable.flags, ["id": "master-image-sync"])
                if legacy { eventLog("synchronizing", store: &store) }
            }
            scheduler.schedule { store in
                CoreSeed.synchronizeMasterImages(generation, store: &store)
                store.delete(CoreTable.flags, id: "master-image-sync")
                if legacy { eventLog("synchronized", store: &store) }
            }
            return legacy ? .empty(status: 202) : writeResponse(.null, generation)
        case "build"? where !legacy:
            guard let id = body["id"]?.stringValue, Support.isUUID(id) else {
                throw HubRules.rule("A valid master image id is required.", generation)
            }
            let rendered = try context.state.withStore { store -> EmulatorJSON in
                guard var image = store.find(CoreTable.masterImages, id: id) else {
                    throw EmulatorError.notFound("master-image")
                }
                image["buildStatus"] = "starting"
                image["buildProgress"] = .null
                image["updatedAt"] = .string(Support.timestamp())
                store.save(CoreTable.masterImages, image)
                return try renderWrite(image, CoreTable.masterImages, context, store: store)
            }
            scheduler.schedule { store in
                guard var image = store.find(CoreTable.masterImages, id: id), image["buildStatus"] == "starting" else {
                    return
                }
                image["buildStatus"] = "executed"
                image["buildProgress"] = 100
                image["buildHash"] = .string("sha256:" + HubRules.randomHex(64))
                image["buildSize"] = .int(Int.random(in: 50_000_000...400_000_000))
                image["updatedAt"] = .string(Support.timestamp())
                store.save(CoreTable.masterImages, image)
            }
            return writeResponse(rendered, generation)
        default:
            throw HubRules.rule(
                legacy ? "The master image command is not valid." : "Unknown command: \(command ?? "undefined")",
                generation)
        }
    }

    /// Legacy master-image event log line (expiring after a day).
    static func eventLog(_ name: String, store: inout Store) {
        CoreDeclarations.insert(
            CoreTable.masterImageEventLogs,
            [
                "name": .string(name), "expiring": true,
                "expiresAt": .string(Support.timestamp(Support.now() + 86_400)),
            ], .legacy, into: &store)
    }

    // MARK: Services

    static let registryCommands = ["setup", "cleanup", "delete", "projectLink", "projectUnlink"]

    /// `POST /services/registry/command` → 202 `null`; `setup` creates the registry's
    /// `incoming`, `outgoing` and `masterImages` projects asynchronously.
    static func serviceCommand(_ context: HandlerContext) throws -> EmulatorResponse {
        let generation = context.generation
        guard context.parameters["id"] == "registry" else { throw EmulatorError.notFound("service") }
        try context.require(.permission("registry_manage"))
        let body = try context.bodyObject()
        let command = body["command"]?.stringValue ?? ""
        let id = body["id"]?.stringValue ?? ""
        if generation == .legacy {
            // 0.8.13 validated the body (uuid id, command enum).
            var issues: [ValidationIssue] = []
            if !registryCommands.contains(command) {
                issues.append(ValidationIssue(field: "command", code: "value_invalid", message: "Invalid command"))
            }
            if !Support.isUUID(id) {
                issues.append(ValidationIssue(field: "id", code: "value_invalid", message: "Invalid id"))
            }
            if !issues.isEmpty { throw EmulatorError.validation(issues) }
        }
        let hookContext = context.hookContext()
        switch command {
        case "setup", "cleanup", "delete":
            let exists = context.state.withStore { $0.find(CoreTable.registries, id: id) != nil }
            guard exists else { throw EmulatorError.notFound("registry") }
            if command == "setup" {
                context.core.scheduler.schedule { store in
                    for (type, name, external) in [
                        ("incoming", "Incoming", "incoming"), ("outgoing", "Outgoing", "outgoing"),
                        ("masterImages", "Master Images", "master-images"),
                    ] {
                        let present = store.rows(CoreTable.registryProjects) {
                            $0["registryId"] == .string(id) && $0["type"] == .string(type)
                        }
                        guard present.isEmpty else { continue }
                        let project = CoreDeclarations.insert(
                            CoreTable.registryProjects,
                            [
                                "name": .string(name), "externalName": .string(external), "type": .string(type),
                                "registryId": .string(id), "public": .bool(type == "masterImages"),
                            ], generation, into: &store)
                        if let projectID = project["id"]?.stringValue {
                            CoreDeclarations.scheduleLink(projectID, hookContext)
                        }
                    }
                }
            }
        case "projectLink", "projectUnlink":
            let exists = context.state.withStore { $0.find(CoreTable.registryProjects, id: id) != nil }
            guard exists else { throw EmulatorError.notFound("registry-project") }
            if command == "projectLink" {
                CoreDeclarations.scheduleLink(id, hookContext)
            } else {
                context.core.scheduler.schedule { store in
                    guard var project = store.find(CoreTable.registryProjects, id: id) else { return }
                    for key in ["externalId", "accountId", "accountName", "accountSecret", "webhookName"] {
                        project[key] = .null
                    }
                    project["webhookExists"] = false
                    store.save(CoreTable.registryProjects, project)
                }
            }
        default:
            throw HubRules.rule("Unknown command: \(command)", generation)
        }
        return nullResponse(generation)
    }
}
