/// Current-generation credential endpoints (flat bodies, 200 also for POST): node and analysis
/// OAuth2 client credentials, node registry credentials and analysis client permissions.
enum CoreCredentials {
    static func routes() -> [Route] {
        [
            Route([.get, .post], "/nodes/:id/client/credentials", access: .authenticated) { context in
                try nodeClientCredentials(context)
            },
            Route([.get], "/nodes/:id/registry/credentials", access: .authenticated) { context in
                try nodeRegistryCredentials(context)
            },
            Route([.get, .post], "/analyses/:id/client/credentials", access: .authenticated) { context in
                try analysisClientCredentials(context)
            },
            Route([.get, .post], "/analyses/:id/client/permissions", access: .authenticated) { context in
                try analysisClientPermissions(context, permissionID: nil)
            },
            Route([.delete], "/analyses/:id/client/permissions/:permissionId", access: .authenticated) { context in
                try analysisClientPermissions(context, permissionID: context.parameters["permissionId"])
            },
        ]
    }

    static func isOwnClient(_ identity: Identity?, _ record: EmulatorJSONObject) -> Bool {
        guard let identity, identity.kind == .client else { return false }
        return record["clientId"] == .string(identity.id)
    }

    /// `{id, name, displayName, secret}` of a client; a POST first writes a new secret
    /// (`null`/absent → 64 random hex digits) and, when `acceptNames`, name/displayName.
    static func credentials(
        clientID: String, context: HandlerContext, acceptNames: Bool, store: inout Store
    ) throws -> EmulatorJSON {
        guard var client = store.find(AuthTable.clients, id: clientID) else {
            throw EmulatorError.notFound("client")
        }
        // `display_name` on 0.12.3–0.12.7 (`core/services/client-credential/types.ts` at `v0.12.7`).
        let displayNameKey = context.wireName("displayName")
        if context.method == .post {
            let body = try context.bodyObject()
            let secret = body["secret"]?.stringValue ?? HubRules.randomHex(64)
            client["secret"] = .string(client["secretHashed"] == true ? SecretHash.make(secret) : secret)
            if acceptNames {
                if let name = body["name"]?.stringValue { client["name"] = .string(name) }
                if let displayName = body[displayNameKey], displayName.isNull || displayName.stringValue != nil {
                    client["displayName"] = displayName
                }
            }
            client["updatedAt"] = .string(Support.timestamp())
            store.save(AuthTable.clients, client)
            return [
                "id": client["id"] ?? .null, "name": client["name"] ?? .null,
                displayNameKey: client["displayName"] ?? .null, "secret": .string(secret),
            ]
        }
        return [
            "id": client["id"] ?? .null, "name": client["name"] ?? .null,
            displayNameKey: client["displayName"] ?? .null, "secret": client["secret"] ?? .null,
        ]
    }

    static func nodeClientCredentials(_ context: HandlerContext) throws -> EmulatorResponse {
        let generation = context.generation
        let value = try context.state.withStore { store -> EmulatorJSON in
            guard let node = store.find(CoreTable.nodes, id: context.parameters["id"] ?? "") else {
                throw EmulatorError.notFound("node")
            }
            let allowed =
                isOwnClient(context.identity, node)
                || (context.identity?.has("node_update") == true
                    && HubRules.canWrite(realm: node["realmId"], context.identity))
            if !allowed {
                let verb = context.method == .post ? "write" : "read"
                throw HubRules.forbidden(
                    "You are not permitted to \(verb) the credentials of this node client.", generation)
            }
            guard let clientID = node["clientId"]?.stringValue, store.find(AuthTable.clients, id: clientID) != nil
            else {
                throw HubRules.rule("The node has no client provisioned yet.", generation)
            }
            return try credentials(clientID: clientID, context: context, acceptNames: true, store: &store)
        }
        return .json(value)
    }

    static func nodeRegistryCredentials(_ context: HandlerContext) throws -> EmulatorResponse {
        let generation = context.generation
        let value = try context.state.withStore { store -> EmulatorJSON in
            guard let node = store.find(CoreTable.nodes, id: context.parameters["id"] ?? "") else {
                throw EmulatorError.notFound("node")
            }
            guard isOwnClient(context.identity, node) || context.identity?.has("registry_manage") == true else {
                throw HubRules.forbidden(
                    "You are not permitted to read the registry credentials of this node.", generation)
            }
            guard let projectID = node["registryProjectId"]?.stringValue else {
                throw HubRules.rule("The node has no registry project provisioned yet.", generation)
            }
            guard let project = store.find(CoreTable.registryProjects, id: projectID) else {
                throw HubRules.rule("The registry project of the node could not be found.", generation)
            }
            guard let registryID = project["registryId"]?.stringValue,
                let registry = store.find(CoreTable.registries, id: registryID)
            else {
                throw HubRules.rule("The registry of the node could not be found.", generation)
            }
            return [
                "host": registry["host"] ?? .null, "externalName": project["externalName"] ?? .null,
                "accountName": project["accountName"] ?? .null, "accountSecret": project["accountSecret"] ?? .null,
            ]
        }
        return .json(value)
    }

    static func analysisClientCredentials(_ context: HandlerContext) throws -> EmulatorResponse {
        let generation = context.generation
        let value = try context.state.withStore { store -> EmulatorJSON in
            guard let analysis = store.find(CoreTable.analyses, id: context.parameters["id"] ?? "") else {
                throw EmulatorError.notFound("analysis")
            }
            let identity = context.identity
            let updater = identity?.has("analysis_update") == true
            if context.method == .post {
                guard updater else { throw EmulatorError(.permissionDenied(permission: "analysis_update")) }
                try HubRules.requireWrite(
                    realm: analysis["realmId"], context.hookContext(),
                    "You are not permitted to write the credentials of this analysis client.")
            } else if !updater {
                // A node client whose node approved this analysis may read them.
                let approvedNodeClients = store.rows(CoreTable.analysisNodes) {
                    $0["analysisId"] == analysis["id"] && $0["approvalStatus"] == "approved"
                }.compactMap { $0["nodeId"]?.stringValue.flatMap { store.find(CoreTable.nodes, id: $0)?["clientId"] } }
                guard let identity, identity.kind == .client, approvedNodeClients.contains(.string(identity.id)) else {
                    throw HubRules.forbidden(
                        "You are not permitted to read the credentials of this analysis client.", generation)
                }
            }
            guard let clientID = analysis["clientId"]?.stringValue, store.find(AuthTable.clients, id: clientID) != nil
            else {
                throw HubRules.rule("The analysis has no client provisioned yet.", generation)
            }
            return try credentials(clientID: clientID, context: context, acceptNames: false, store: &store)
        }
        return .json(value)
    }

    /// Capabilities an analysis client may be given.
    static let assignablePermissions: Set<String> = ["analysis_self_storage_use", "analysis_self_message_broker_use"]

    static func analysisClientPermissions(_ context: HandlerContext, permissionID: String?) throws -> EmulatorResponse {
        let generation = context.generation
        try context.require(.permission("analysis_update"))
        guard let junction = context.core.registry[AuthTable.clientPermissions],
            let permissionRelation = junction.relation("permission")
        else { throw EmulatorError(.notFound, entity: "route") }
        let engine = context.core.engine
        let projection = engine.writeProjection(junction)
        let hookContext = context.hookContext()
        return try context.state.withStore { store -> EmulatorResponse in
            guard let analysis = store.find(CoreTable.analyses, id: context.parameters["id"] ?? "") else {
                throw EmulatorError.notFound("analysis")
            }
            let clientID = analysis["clientId"] ?? .null
            let rows = store.rows(AuthTable.clientPermissions) { !clientID.isNull && $0["clientId"] == clientID }
            func render(_ row: EmulatorJSONObject) -> EmulatorJSON {
                engine.render(
                    row, resource: junction, projection: projection, includes: [permissionRelation], store: store)
            }
            switch (context.method, permissionID) {
            case (.get, nil):
                return .json(["data": .array(rows.map(render)), "meta": ["total": .int(rows.count)]])
            case (.post, nil):
                let body = try context.bodyObject()
                // `permission_id` on 0.12.7 (`analysis-client-permission/module.ts` at `v0.12.7`).
                guard let permission = body[context.wireName("permissionId")]?.stringValue, Support.isUUID(permission)
                else {
                    throw EmulatorError.validation([
                        ValidationIssue(field: "permissionId", code: "invalid_format", message: "Invalid UUID")
                    ])
                }
                try HubRules.requireWrite(
                    realm: analysis["realmId"], hookContext, "You are not permitted to update this analysis.")
                if analysis["configurationLocked"] == true {
                    throw HubRules.rule(
                        "The analysis has already been locked and can therefore no longer be modified.", generation)
                }
                guard !clientID.isNull else {
                    throw HubRules.rule("The analysis has no client provisioned yet.", generation)
                }
                guard let record = store.find(AuthTable.permissions, id: permission) else {
                    throw EmulatorError.notFound("permission")
                }
                guard let name = record["name"]?.stringValue, assignablePermissions.contains(name) else {
                    throw HubRules.forbidden(
                        "The permission \(record["name"]?.stringValue ?? "") can not be assigned.", generation)
                }
                let row =
                    rows.first { $0["permissionId"] == .string(permission) }
                    ?? store.insert(junction, ["clientId": clientID, "permissionId": .string(permission)])
                return .json(["data": render(row), "meta": [:]], status: 201)
            case (.delete, let permission?):
                try HubRules.requireWrite(
                    realm: analysis["realmId"], hookContext, "You are not permitted to update this analysis.")
                guard let row = rows.first(where: { $0["permissionId"] == .string(permission) }),
                    let rowID = row["id"]?.stringValue
                else { throw EmulatorError.notFound("clientPermission") }
                store.delete(AuthTable.clientPermissions, id: rowID)
                return .json(["data": render(row), "meta": [:]], status: 202)
            default:
                throw EmulatorError(.notFound, entity: "route")
            }
        }
    }
}
