import FlameHub
import FlameHubEmulator
import Testing

/// Registries, registry projects, nodes, master images, projects and project nodes, raw HTTP,
/// both generations.
@Suite struct CoreResourceTests {
    @Test(arguments: HubGeneration.allCases)
    func registriesNormaliseHostsAndGateSecrets(generation: HubGeneration) async throws {
        try await CoreSession.start(generation) { hub in
            let created = try await hub.post(
                "/core/registries",
                ["name": "harbor", "host": "https://harbor.example.org:443/api", "accountSecret": "s3cret"])
            #expect(created.status == 201)
            let registry = created.record(generation)
            #expect(registry["host"] == "harbor.example.org")
            #expect(hub.value(registry, "accountSecret") == "s3cret")  // echoed on writes
            if generation == .current { #expect(created.object["meta"] == .object([:])) }

            let id = hub.id(registry)
            let plain = try await hub.get("/core/registries/\(id)").record(generation)
            #expect(plain["name"] == "harbor")
            #expect(plain[hub.key("accountSecret")] == nil)
            let secretKey = hub.key("accountSecret")
            let withSecret = try await hub.get("/core/registries?fields=%2B\(secretKey)")
            #expect(withSecret.rows.first?[secretKey] == "s3cret")
            // A literal `+` decodes to a space: the field is silently not added.
            let literalPlus = try await hub.get("/core/registries?fields=+\(secretKey)")
            #expect(literalPlus.rows.first?[secretKey] == nil)

            let duplicate = try await hub.post("/core/registries", ["name": "harbor", "host": "other.example.org"])
            #expect(duplicate.status == 409)
            let invalid = try await hub.post("/core/registries", ["name": "h", "host": "x.example.org"])
            #expect(invalid.status == 400)
            let missing = try await hub.get("/core/registries/\(CoreFixtures.freshID)")
            #expect(missing.status == 404)
            switch generation {
            case .legacy:
                #expect(missing.object == ["statusCode": 404, "code": "NOT_FOUND", "message": ""])
                #expect(invalid.object["attributes"] == ["name"])
            case .transitional, .current:
                #expect(
                    missing.object == [
                        "statusCode": 404, "code": "entity_not_found", "message": "The registry was not found.",
                        "issues": [],
                    ])
                #expect(invalid.object["message"] == "Property name is invalid")
            }
            let deleted = try await hub.delete("/core/registries/\(id)")
            #expect(deleted.status == 202)
            #expect(deleted.record(generation)["id"]?.stringValue == id)
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func nodeCreateProvisionsIdentityAndRegistryProject(generation: HubGeneration) async throws {
        try await CoreSession.start(generation) { hub in
            let registry = try await hub.create("/core/registries", ["name": "harbor", "host": "harbor.local"])
            let node = try await hub.create(
                "/core/nodes",
                ["name": "node-a", "registryId": .string(hub.id(registry)), "publicKey": "hello world"])
            #expect(hub.value(node, "publicKey") == "68656c6c6f20776f726c64")
            #expect(node["type"] == "default")
            #expect(node["hidden"] == false)
            #expect(node["online"] == false)
            let projectID = try #require(hub.value(node, "registryProjectId")?.stringValue)
            #expect(hub.value(node, "externalName")?.stringValue?.isEmpty == false)

            switch generation {
            case .legacy:
                let robotID = try #require(node["robot_id"]?.stringValue)
                let robot = try await hub.get("/auth/robots/\(robotID)")
                #expect(robot.status == 200)
                #expect(robot.object["name"]?.stringValue == hub.id(node))
            case .transitional, .current:
                let clientID = try #require(hub.value(node, "clientId")?.stringValue)
                let client = try await hub.get("/auth/clients/\(clientID)")
                #expect(client.record(generation)["name"]?.stringValue == hub.id(node))
            }

            let included = try await hub.get(
                "/core/nodes/\(hub.id(node))?include=registry,\(hub.key("registryProject"))")
            let record = included.record(generation)
            #expect(record["registry"]?["name"] == "harbor")
            #expect(record[hub.key("registryProject")]?["type"] == "node")
            let plain = try await hub.get("/core/nodes/\(hub.id(node))").record(generation)
            #expect(plain["registry"] == nil)

            // The asynchronous registry link fills the robot account.
            let linked = try await hub.eventually { () -> EmulatorJSONObject? in
                // Legacy hides the account columns unless asked for (`+account_name`).
                let project = try await hub.get(
                    "/core/registry-projects/\(projectID)?fields=%2B\(hub.key("accountName"))"
                ).record(generation)
                return project[hub.key("externalId")]?.isNull == false ? project : nil
            }
            #expect(linked[hub.key("accountName")]?.stringValue?.hasPrefix("robot$") == true)

            let duplicate = try await hub.post("/core/nodes", ["name": "node-a"])
            #expect(duplicate.status == 409)

            let deleted = try await hub.delete("/core/nodes/\(hub.id(node))")
            #expect(deleted.status == 202)
            #expect(try await hub.get("/core/registry-projects/\(projectID)").status == 404)
        }
    }

    @Test func nodeCredentialsCurrent() async throws {
        try await CoreSession.start(.current) { hub in
            let registry = try await hub.create("/core/registries", ["name": "harbor", "host": "harbor.local"])
            // With exactly one registry the node is attached to it without asking.
            let node = try await hub.create("/core/nodes", ["name": "node-b", "type": "aggregator"])
            #expect(node["registryId"]?.stringValue == hub.id(registry))
            let nodeID = hub.id(node)

            let read = try await hub.get("/core/nodes/\(nodeID)/client/credentials")
            #expect(read.status == 200)
            #expect(read.object["data"] == nil)  // flat
            #expect(read.object["id"] == node["clientId"])

            let rotated = try await hub.post("/core/nodes/\(nodeID)/client/credentials", ["secret": "node-secret-1"])
            #expect(rotated.status == 200)
            #expect(rotated.object["secret"] == "node-secret-1")
            let generated = try await hub.post("/core/nodes/\(nodeID)/client/credentials", [:])
            #expect(generated.object["secret"]?.stringValue?.count == 64)

            // The node's own client logs in and reads its registry credentials.
            let secret = try #require(generated.object["secret"]?.stringValue)
            let login = try await hub.hub.post(
                "/auth/token",
                [
                    "grant_type": "client_credentials", "client_id": node["clientId"] ?? .null,
                    "client_secret": .string(secret),
                ])
            #expect(login.status == 200, "\(login.text)")
            let nodeToken = try #require(login.object["access_token"]?.stringValue)
            let credentials = try await hub.eventually { () -> EmulatorJSONObject? in
                let response = try await hub.hub.get("/core/nodes/\(nodeID)/registry/credentials", token: nodeToken)
                #expect(response.status == 200)
                return response.object["accountName"]?.isNull == false ? response.object : nil
            }
            #expect(credentials["host"] == "harbor.local")
            #expect(credentials["externalName"] == node["externalName"])
            #expect(try await hub.get("/core/nodes/\(CoreFixtures.freshID)/client/credentials").status == 404)

            // Only user accounts create analyses, even with every permission (the system client).
            let system = try await hub.hub.post(
                "/auth/token", ["grant_type": "client_credentials", "client_id": "system", "client_secret": "start123"])
            let systemToken = try #require(system.object["access_token"]?.stringValue, "\(system.text)")
            let project = try await hub.create("/core/projects", [:])
            let refused = try await hub.hub.post(
                "/core/analyses", ["projectId": project["id"] ?? nil], token: systemToken)
            #expect(refused.status == 403)
            #expect(refused.object["message"] == "Only user accounts are permitted to create an analysis.")
            #expect(try await hub.get("/auth/clients?filter[name]=\(hub.id(node))").rows.count == 1)
            #expect(try await hub.delete("/core/nodes/\(nodeID)").status == 202)
            #expect(try await hub.get("/auth/clients?filter[name]=\(hub.id(node))").rows.isEmpty)
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func masterImagesAreSeededAndSynced(generation: HubGeneration) async throws {
        try await CoreSession.start(generation) { hub in
            let images = try await hub.get("/core/master-images")
            #expect(images.status == 200)
            let paths = images.rows.compactMap { $0["path"]?.stringValue }
            #expect(paths == paths.sorted())  // default sort: path ASC
            let base = try #require(
                try await hub.get("/core/master-images?filter[\(hub.key("virtualPath"))]=python/base").rows.first)
            #expect(base[hub.key("groupVirtualPath")] == "python")
            let groups = try await hub.get("/core/master-image-groups")
            #expect(groups.rows.contains { $0["name"] == "Python" })  // image-group.json of PrivateAIM/master-images

            let sync = try await hub.post("/core/master-images/command", ["command": "sync"])
            #expect(sync.status == 202)
            let invalid = try await hub.post("/core/master-images/command", ["command": "explode"])
            #expect(invalid.status == 400)
            switch generation {
            case .legacy:
                #expect(sync.bytes.isEmpty)
                #expect(invalid.object["message"] == "The master image command is not valid.")
                let logs = try await hub.eventually { () -> [EmulatorJSONObject]? in
                    let rows = try await hub.get("/core/master-image-event-logs").rows
                    return rows.contains { $0["name"] == "synchronized" } ? rows : nil
                }
                let logID = hub.id(try #require(logs.first))
                #expect(try await hub.get("/core/master-image-event-logs/\(logID)").status == 200)
                // 0.8.13 looks event-log ids up among the analysis logs: never found.
                #expect(try await hub.delete("/core/master-image-event-logs/\(logID)").status == 404)
            case .transitional, .current:
                let emptyAnswer: EmulatorJSON = generation == .current ? ["data": nil, "meta": [:]] : .null
                #expect(sync.json == emptyAnswer)
                #expect(invalid.object["message"] == "Unknown command: explode")
                let build = try await hub.post(
                    "/core/master-images/command", ["command": "build", "id": .string(hub.id(base))])
                #expect(build.status == 202)
                #expect(hub.value(build.record(generation), "buildStatus") == "starting")
                let noID = try await hub.post("/core/master-images/command", ["command": "build"])
                #expect(noID.object["message"] == "A valid master image id is required.")
                _ = try await hub.eventually { () -> Bool? in
                    let image = try await hub.get("/core/master-images/\(hub.id(base))").record(generation)
                    return hub.value(image, "buildStatus") == "executed" ? true : nil
                }
            }
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func projectsCountNodesAndAnalyses(generation: HubGeneration) async throws {
        try await CoreSession.start(generation) { hub in
            let project: EmulatorJSONObject
            if generation != .legacy {
                let generated = try await hub.create("/core/projects", [:])
                #expect(generated["name"]?.stringValue?.split(separator: "-").count == 3)
                let spaced = try await hub.post("/core/projects", ["name": "My Project"])
                #expect(spaced.status == 400)
                project = try await hub.create("/core/projects", ["name": "  Alpha-Study ", "displayName": "Alpha"])
                #expect(project["name"] == "alpha-study")
                let duplicate = try await hub.post("/core/projects", ["name": "alpha-study"])
                #expect(duplicate.status == 409)
                #expect(duplicate.object["message"] == "A db entry with some unique attributes already exists.")
            } else {
                project = try await hub.create("/core/projects", ["name": "Alpha Study"])
                #expect(project["name"] == "Alpha Study")
                #expect(try await hub.post("/core/projects", ["name": "abc"]).status == 400)
            }
            #expect(project["nodes"] == 0)
            #expect(project["analyses"] == 0)
            #expect(hub.value(project, "userId")?.stringValue != nil)

            let node = try await hub.create("/core/nodes", ["name": "node-1"])
            let membership = try await hub.create(
                "/core/project-nodes", ["projectId": .string(hub.id(project)), "nodeId": .string(hub.id(node))])
            #expect(membership["project"]?["id"]?.stringValue == hub.id(project))  // resolved parents on create
            #expect(hub.value(membership, "approvalStatus") == .some(.null))
            #expect(
                try await hub.post(
                    "/core/project-nodes", ["projectId": .string(hub.id(project)), "nodeId": .string(hub.id(node))]
                ).status == 409)
            let badRelation = try await hub.post(
                "/core/project-nodes", ["projectId": .string(CoreFixtures.freshID), "nodeId": .string(hub.id(node))])
            #expect(badRelation.status == 400)
            if generation != .legacy {
                #expect(badRelation.object["code"] == "entity_relation_invalid")
                #expect(
                    badRelation.object["message"] == .string("Can't find project entity by \(hub.key("projectId"))"))
            }

            if generation == .legacy {
                // 0.8.13 sorts project nodes through their relations.
                let second = try await hub.create("/core/nodes", ["name": "a-node"])
                try await hub.create(
                    "/core/project-nodes", ["projectId": .string(hub.id(project)), "nodeId": .string(hub.id(second))])
                let sorted = try await hub.get("/core/project-nodes?sort=node.name&include=node")
                #expect(sorted.rows.compactMap { $0["node"]?["name"]?.stringValue } == ["a-node", "node-1"])
                let descending = try await hub.get("/core/project-nodes?sort=-node.name&include=node")
                #expect(descending.rows.compactMap { $0["node"]?["name"]?.stringValue } == ["node-1", "a-node"])
                #expect(try await hub.delete("/core/nodes/\(hub.id(second))").status == 202)
            }
            let approved = try await hub.post(
                "/core/project-nodes/\(hub.id(membership))", ["approvalStatus": "approved"])
            #expect(approved.status == 202)
            #expect(hub.value(approved.record(generation), "approvalStatus") == "approved")

            var analysisBody: [String: EmulatorJSON] = ["projectId": .string(hub.id(project))]
            if generation == .legacy { analysisBody["name"] = "First" }
            let analysis = try await hub.create("/core/analyses", analysisBody)
            let counted = try await hub.get("/core/projects/\(hub.id(project))").record(generation)
            #expect(counted["nodes"] == 1)
            #expect(counted["analyses"] == 1)
            #expect(analysis["nodes"] == 1)  // approved project nodes are assigned

            let refused = try await hub.delete("/core/projects/\(hub.id(project))")
            #expect(refused.status == 400)
            #expect(
                refused.object["message"]
                    == (generation == .legacy
                        ? "Remove all trains associated to the proposal before removing it."
                        : "The project still has associated analyses."))
            let deletedAnalysis = try await hub.delete("/core/analyses/\(hub.id(analysis))")
            #expect(deletedAnalysis.status == 202)
            let deletedMembership = try await hub.delete("/core/project-nodes/\(hub.id(membership))")
            #expect(deletedMembership.status == 202)
            if generation == .current {
                // 0.14 answers the deleted row with the recounted project.
                #expect(deletedAnalysis.record(generation)["project"]?["analyses"] == 0)
                #expect(deletedMembership.record(generation)["project"]?["nodes"] == 0)
            }
            let after = try await hub.get("/core/projects/\(hub.id(project))").record(generation)
            #expect(after["nodes"] == 0)
            #expect(after["analyses"] == 0)
            #expect(try await hub.delete("/core/projects/\(hub.id(project))").status == 202)
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func listQueriesClampAndDropUnknownKeys(generation: HubGeneration) async throws {
        try await CoreSession.start(generation) { hub in
            for index in 0..<3 { try await hub.create("/core/nodes", ["name": .string("node-\(index)")]) }
            let clamped = try await hub.get("/core/nodes?page[limit]=500")
            #expect(clamped.object["meta"]?["limit"] == 50)
            #expect(clamped.object["meta"]?["total"] == 3)
            let unknown = try await hub.get("/core/nodes?filter[bogus]=x&sort=bogus&include=bogus")
            #expect(unknown.rows.count == 3)
            let paged = try await hub.get("/core/nodes?page[limit]=2&page[offset]=1&sort=name")
            #expect(paged.names == ["node-1", "node-2"])
            // `~x`: starts-with on legacy, ends-with on current.
            let like = try await hub.get("/core/nodes?filter[name]=~node")
            #expect(like.rows.count == (generation == .legacy ? 3 : 0))
            if generation == .current {
                #expect(clamped.object["meta"]?["schema"]?["name"] == "node")
                #expect(try await hub.get("/core/nodes?filter[name]=node~").rows.count == 3)
                #expect(try await hub.get("/core/nodes?filter[name]=NODE-1").rows.count == 1)
            } else {
                #expect(clamped.object["meta"]?["schema"] == nil)
            }
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func registrySetupCreatesProjects(generation: HubGeneration) async throws {
        try await CoreSession.start(generation) { hub in
            let registry = try await hub.create("/core/registries", ["name": "harbor", "host": "harbor.local"])
            let setup = try await hub.post(
                "/core/services/registry/command", ["command": "setup", "id": .string(hub.id(registry))])
            #expect(setup.status == 202)
            #expect(generation == .legacy ? setup.bytes.isEmpty : setup.text == "null")
            let types = try await hub.eventually { () -> Set<String>? in
                let rows = try await hub.get(
                    "/core/registry-projects?filter[\(hub.key("registryId"))]=\(hub.id(registry))"
                )
                .rows
                return rows.count == 3 ? Set(rows.compactMap { $0["type"]?.stringValue }) : nil
            }
            #expect(types == ["incoming", "outgoing", "masterImages"])
            #expect(
                try await hub.post("/core/services/other/command", ["command": "setup"]).status == 404)
            let unknownRegistry = try await hub.post(
                "/core/services/registry/command", ["command": "setup", "id": .string(CoreFixtures.freshID)])
            #expect(unknownRegistry.status == 404)
            let hook = try await hub.post("/core/services/registry/hook", [:])
            #expect(hook.status == 202)
        }
    }
}

enum CoreFixtures {
    /// A syntactically valid id that names nothing.
    static var freshID: String { "00000000-0000-4000-8000-000000000000" }
}
