import FlameHub
import FlameHubEmulator
import Testing

/// Analyses: computed flags, auto-assignment, asynchronous buckets, commands and logs.
@Suite struct CoreAnalysisTests {
    /// A project with an aggregator and a default node (both approved members) and an analysis.
    struct Fixture {
        var project: EmulatorJSONObject
        var aggregator: EmulatorJSONObject
        var worker: EmulatorJSONObject
        var analysis: EmulatorJSONObject
    }

    static func fixture(_ hub: CoreSession, masterImage: Bool = true) async throws -> Fixture {
        let image = try #require(
            try await hub.get("/core/master-images?filter[\(hub.key("virtualPath"))]=python/base").rows.first)
        var projectBody: [String: EmulatorJSON] = ["name": "study-project"]
        if masterImage { projectBody["masterImageId"] = image["id"] }
        let project = try await hub.create("/core/projects", projectBody)
        let aggregator = try await hub.create("/core/nodes", ["name": "aggregator", "type": "aggregator"])
        let worker = try await hub.create("/core/nodes", ["name": "worker"])
        for node in [aggregator, worker] {
            let member = try await hub.create(
                "/core/project-nodes", ["projectId": project["id"] ?? nil, "nodeId": node["id"] ?? nil])
            if member[hub.key("approvalStatus")] != "approved" {
                let approved = try await hub.post(
                    "/core/project-nodes/\(hub.id(member))", ["approvalStatus": "approved"])
                #expect(approved.status == 202)
            }
        }
        var analysisBody: [String: EmulatorJSON] = ["projectId": project["id"] ?? nil]
        if hub.generation == .legacy {
            analysisBody["name"] = "Analysis"
            analysisBody["masterImageId"] = image["id"]
        }
        let analysis = try await hub.create("/core/analyses", analysisBody)
        return Fixture(project: project, aggregator: aggregator, worker: worker, analysis: analysis)
    }

    /// Waits for the CODE analysis bucket and uploads an entrypoint into its storage bucket.
    static func uploadEntrypoint(_ hub: CoreSession, analysisID: String) async throws -> EmulatorJSONObject {
        let buckets = try await hub.eventually { () -> [EmulatorJSONObject]? in
            let rows = try await hub.get("/core/analysis-buckets?filter[\(hub.key("analysisId"))]=\(analysisID)").rows
            return rows.count == 3 ? rows : nil
        }
        #expect(Set(buckets.compactMap { $0["type"]?.stringValue }) == ["CODE", "RESULT", "TEMP"])
        let code = try #require(buckets.first { $0["type"] == "CODE" })
        let storageBucket = try #require(
            code[hub.key(hub.generation == .legacy ? "externalId" : "bucketId")]?.stringValue)
        let upload = try await hub.upload(bucket: storageBucket, [(name: "main.py", bytes: Array("print(1)".utf8))])
        #expect(upload.status == 201)
        return try await hub.eventually { () -> EmulatorJSONObject? in
            try await hub.get("/core/analysis-bucket-files?filter[\(hub.key("analysisId"))]=\(analysisID)").rows.first
        }
    }

    @Test func currentAnalysisLifecycle() async throws {
        try await CoreSession.start(.current) { hub in
            let fixture = try await Self.fixture(hub)
            let analysis = fixture.analysis
            let id = hub.id(analysis)
            #expect(analysis["nodes"] == 2)
            #expect(analysis["nodesApproved"] == 1)  // the aggregator only
            #expect(analysis["configurationNodesValid"] == true)
            #expect(analysis["configurationImageValid"] == true)  // from the project
            #expect(analysis["configurationEntrypointValid"] == false)
            #expect(analysis["buildNodesValid"] == false)
            #expect(analysis["clientId"]?.stringValue != nil)
            #expect(analysis["name"]?.stringValue?.isEmpty == false)
            #expect(analysis["project"]?["id"] == fixture.project["id"])

            let refused = try await hub.post("/core/analyses/\(id)/command", ["command": "configurationLock"])
            #expect(refused.status == 400)
            #expect(refused.object["code"] == "ANALYSIS_ERROR")
            #expect(refused.object["message"] == "An entrypoint must be selected.")
            #expect(
                try await hub.post("/core/analyses/\(id)/command", ["command": "fly"]).object["message"]
                    == "Invalid command.")
            #expect(
                try await hub.post("/core/analyses/\(CoreFixtures.freshID)/command", ["command": "buildStart"]).status
                    == 404)

            let entry = try await Self.uploadEntrypoint(hub, analysisID: id)
            #expect(entry["root"] == false)
            #expect(entry["path"] == "main.py")
            let root = try await hub.post("/core/analysis-bucket-files/\(hub.id(entry))", ["root": true])
            #expect(root.status == 202)

            let assignments = try await hub.get("/core/analysis-nodes?filter[analysisId]=\(id)&include=node").rows
            #expect(assignments.count == 2)
            let pending = try #require(assignments.first { $0["node"]?["type"] == "default" })
            #expect(pending["approvalStatus"] == .some(.null))
            let approve = try await hub.post(
                "/core/analysis-nodes/\(hub.id(pending))", ["approvalStatus": "approved", "comment": "looks good"])
            #expect(approve.status == 202)

            let locked = try await hub.post("/core/analyses/\(id)/command", ["command": "configurationLock"])
            #expect(locked.status == 202, "\(locked.text)")
            #expect(locked.object["meta"] == .object([:]))
            let record = locked.record(.current)
            #expect(record["configurationLocked"] == true)
            #expect(record["buildNodesValid"] == true)
            #expect(record["configurationEntrypointValid"] == true)

            let lockedAdd = try await hub.post(
                "/core/analysis-nodes", ["analysisId": .string(id), "nodeId": fixture.worker["id"] ?? nil])
            #expect(lockedAdd.status == 400)

            let build = try await hub.post("/core/analyses/\(id)/command", ["command": "buildStart"])
            #expect(build.status == 202)
            #expect(build.record(.current)["buildStatus"] == "starting")
            _ = try await hub.eventually { () -> Bool? in
                let current = try await hub.get("/core/analyses/\(id)").record(.current)
                return current["buildStatus"] == "executed" ? true : nil
            }
            let logs = try await hub.get("/core/analysis-logs?filter[analysisId]=\(id)")
            #expect(logs.status == 200)
            #expect(logs.rows.count == 2)
            #expect(logs.rows.first?["labels"]?["refType"] == "analysis")
            #expect(logs.object["meta"]?["total"] == 2)
            #expect(logs.rows.first?["id"] == nil)
            #expect(
                try await hub.get("/core/analysis-logs").object["message"] == "The filter analysisId must be defined.")
            let deleted = try await hub.delete("/core/analysis-logs?filter[analysisId]=\(id)")
            #expect(deleted.status == 202)
            #expect(deleted.text == "null")

            let unlock = try await hub.post("/core/analyses/\(id)/command", ["command": "configurationUnlock"])
            #expect(unlock.status == 400)  // executed builds keep the configuration locked
        }
    }

    @Test func currentAnalysisNodeExecutionAndCredentials() async throws {
        try await CoreSession.start(.current) { hub in
            let fixture = try await Self.fixture(hub)
            let id = hub.id(fixture.analysis)
            // Idempotent create: the existing assignment is answered with 201.
            let again = try await hub.create(
                "/core/analysis-nodes", ["analysisId": .string(id), "nodeId": fixture.worker["id"] ?? nil])
            let assignments = try await hub.get("/core/analysis-nodes?filter[analysisId]=\(id)").rows
            #expect(assignments.count == 2)
            #expect(assignments.contains { $0["id"] == again["id"] })
            let stranger = try await hub.create("/core/nodes", ["name": "stranger"])
            let outside = try await hub.post(
                "/core/analysis-nodes", ["analysisId": .string(id), "nodeId": stranger["id"] ?? nil])
            #expect(outside.status == 404)
            #expect(outside.object["message"] == "The referenced node is not part of the analysis project.")

            for (assignment, status) in zip(assignments, ["executed", "executing"]) {
                let update = try await hub.post(
                    "/core/analysis-nodes/\(hub.id(assignment))",
                    ["executionStatus": .string(status), "executionProgress": 50])
                #expect(update.status == 202)
            }
            let analysis = try await hub.get("/core/analyses/\(id)").record(.current)
            #expect(analysis["executionStatus"] == "executing")  // the lowest rank wins
            #expect(analysis["executionProgress"] == 50)
            let tooFar = try await hub.post(
                "/core/analysis-nodes/\(hub.id(assignments[0]))", ["executionProgress": 101])
            #expect(tooFar.status == 400)

            let credentials = try await hub.get("/core/analyses/\(id)/client/credentials")
            #expect(credentials.status == 200)
            #expect(credentials.object["id"] == analysis["clientId"])
            let rotated = try await hub.post("/core/analyses/\(id)/client/credentials", ["name": "ignored"])
            #expect(rotated.status == 200)
            #expect(rotated.object["secret"]?.stringValue?.count == 64)
            #expect(rotated.object["name"] == credentials.object["name"])

            let permissions = try await hub.get("/auth/permissions?filter[name]=analysis_self_storage_use")
            let permission = try #require(permissions.rows.first)
            let granted = try await hub.post(
                "/core/analyses/\(id)/client/permissions", ["permissionId": permission["id"] ?? nil])
            #expect(granted.status == 201)
            let listed = try await hub.get("/core/analyses/\(id)/client/permissions")
            #expect(listed.object["meta"] == ["total": 1])
            #expect(listed.rows.first?["permission"]?["name"] == "analysis_self_storage_use")
            let revoked = try await hub.delete("/core/analyses/\(id)/client/permissions/\(hub.id(permission))")
            #expect(revoked.status == 202)
            #expect(
                try await hub.delete("/core/analyses/\(id)/client/permissions/\(hub.id(permission))").object["message"]
                    == "The clientPermission was not found.")
        }
    }

    @Test func currentTelemetryNodeLogs() async throws {
        try await CoreSession.start(.current) { hub in
            let fixture = try await Self.fixture(hub)
            let analysisID = hub.id(fixture.analysis)
            let nodeID = hub.id(fixture.worker)
            let created = try await hub.post(
                "/core/analysis-node-logs",
                [
                    "analysisId": .string(analysisID), "nodeId": .string(nodeID), "level": "info",
                    "message": "container started", "status": "running", "labels": ["step": "one"],
                ])
            #expect(created.status == 202)
            let line = created.record(.current)
            #expect(line["channel"] == "http")
            #expect(line["service"] == "hub-server-core")
            #expect(line["labels"]?["refType"] == "analysisNode")
            #expect(line["labels"]?["status"] == "running")
            #expect(line["labels"]?["step"] == "one")
            #expect(line["id"] == nil)

            let invalid = try await hub.post("/core/analysis-node-logs", ["analysisId": .string(analysisID)])
            #expect(invalid.status == 400)
            #expect((invalid.object["issues"]?.arrayValue?.count ?? 0) >= 3)
            let unfiltered = try await hub.get("/core/analysis-node-logs?filter[analysisId]=\(analysisID)")
            #expect(unfiltered.object["message"] == "The filters nodeId and analysisId must be defined.")
            let notEqual = try await hub.get(
                "/core/analysis-node-logs?filter[analysisId]=\(analysisID)&filter[nodeId]=!\(nodeID)")
            #expect(notEqual.status == 400)
            let query = "filter[analysisId]=\(analysisID)&filter[nodeId]=\(nodeID)"
            let listed = try await hub.get("/core/analysis-node-logs?\(query)")
            #expect(listed.rows.count == 1)
            #expect(listed.object["meta"]?["limit"] == 50)
            #expect(try await hub.delete("/core/analysis-node-logs?\(query)").status == 202)
            #expect(try await hub.get("/core/analysis-node-logs?\(query)").rows.isEmpty)
            // No id routes on the telemetry proxy.
            #expect(try await hub.get("/core/analysis-node-logs/\(CoreFixtures.freshID)").status == 404)
        }
    }

    @Test func legacyAnalysisCommandsAndLogs() async throws {
        try await CoreSession.start(.legacy) { hub in
            let fixture = try await Self.fixture(hub)
            let analysis = fixture.analysis
            let id = hub.id(analysis)
            #expect(analysis["run_status"] == .some(.null))
            #expect(analysis["build_status"] == .some(.null))
            #expect(analysis["configuration_locked"] == false)
            #expect(analysis["nodes"] == 2)
            #expect(analysis["data"] == nil)  // bare record

            // A duplicate analysis node is a conflict on 0.8.13 (no idempotency).
            let duplicate = try await hub.post(
                "/core/analysis-nodes", ["analysisId": .string(id), "nodeId": fixture.worker["id"] ?? nil])
            #expect(duplicate.status == 409)
            let refused = try await hub.post("/core/analyses/\(id)/command", ["command": "configurationLock"])
            #expect(refused.status == 400)
            #expect(refused.object["code"] == "BAD_REQUEST")
            #expect(
                try await hub.post("/core/analyses/\(id)/command", ["command": "distributionStart"]).status == 400)

            let entry = try await Self.uploadEntrypoint(hub, analysisID: id)
            #expect(entry["name"] == "main.py")
            #expect(entry["external_id"]?.stringValue != nil)
            #expect(try await hub.post("/core/analysis-bucket-files/\(hub.id(entry))", ["root": true]).status == 202)

            let locked = try await hub.post("/core/analyses/\(id)/command", ["command": "configurationLock"])
            #expect(locked.status == 202, "\(locked.text)")
            #expect(locked.object["configuration_locked"] == true)
            let build = try await hub.post("/core/analyses/\(id)/command", ["command": "buildStart"])
            #expect(build.object["build_status"] == "starting")
            _ = try await hub.eventually { () -> Bool? in
                try await hub.get("/core/analyses/\(id)").object["build_status"] == "finished" ? true : nil
            }

            let logs = try await hub.get("/core/analysis-logs?filter[analysis_id]=\(id)")
            #expect(logs.status == 200)
            // Hub v0.8.13 packages/server-core/src/http/controllers/analysis-log/handlers/read.ts:
            // `getManyAndCount()`, so the list's meta has `total` like every other list.
            #expect(logs.object["meta"]?["total"] == .int(logs.rows.count))
            #expect(logs.rows.contains { $0["command"] == "buildStart" })
            let logID = hub.id(try #require(logs.rows.first))
            #expect(try await hub.get("/core/analysis-logs/\(logID)").status == 200)
            #expect(try await hub.delete("/core/analysis-logs/\(logID)").status == 202)

            // DB-backed node logs with ids; a run status moves the analysis node.
            let nodeLog = try await hub.create(
                "/core/analysis-node-logs",
                ["analysisId": .string(id), "nodeId": fixture.worker["id"] ?? nil, "status": "running"])
            let nodeLogID = hub.id(nodeLog)
            #expect(try await hub.get("/core/analysis-node-logs/\(nodeLogID)").status == 200)
            let updated = try await hub.post(
                "/core/analysis-node-logs/\(nodeLogID)", ["statusMessage": "half way"])
            #expect(updated.object["status_message"] == "half way")
            let assignment = try await hub.get(
                "/core/analysis-nodes?filter[analysis_id]=\(id)&filter[node_id]=\(hub.id(fixture.worker))")
            #expect(assignment.rows.first?["run_status"] == "running")
            let nodeLogs = try await hub.get("/core/analysis-node-logs?filter[analysis_id]=\(id)")
            #expect(nodeLogs.rows.count == 1)
            #expect(nodeLogs.object["meta"]?["total"] == 1)  // analysis-node-log/handlers/read.ts, the same
            #expect(try await hub.delete("/core/analysis-node-logs/\(nodeLogID)").status == 202)
            let stranger = try await hub.create("/core/nodes", ["name": "stranger"])
            let unrelated = try await hub.post(
                "/core/analysis-node-logs",
                ["analysisId": .string(id), "nodeId": stranger["id"] ?? nil, "status": "running"])
            #expect(unrelated.status == 400)
            #expect(unrelated.object["message"] == "A relation between analysis and node must exist to create logs.")
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func readsAreRealmScopedOnlyOnLegacy(generation: HubGeneration) async throws {
        try await CoreSession.start(generation) { hub in
            let fixture = try await Self.fixture(hub)
            let realm = try await hub.create("/auth/realms", ["name": "other"])
            var user: [String: EmulatorJSON] = [
                "name": "bob", "password": "bob-password-1", "realmId": realm["id"] ?? nil,
            ]
            if generation != .legacy { user["email"] = "bob@example.org" }
            try await hub.create("/auth/users", user)
            var grant: EmulatorJSONObject = ["grant_type": "password", "username": "bob", "password": "bob-password-1"]
            if generation != .legacy { grant["realm_name"] = "other" }
            let login = try await hub.hub.post("/auth/token", .object(grant))
            let token = try #require(login.object["access_token"]?.stringValue, "\(login.text)")

            let analyses = try await hub.hub.get("/core/analyses", token: token)
            let memberships = try await hub.hub.get("/core/project-nodes", token: token)
            let single = try await hub.hub.get("/core/analyses/\(hub.id(fixture.analysis))", token: token)
            let nodes = try await hub.hub.get("/core/nodes", token: token)
            #expect(nodes.rows.count == 2)  // nodes were never realm-scoped
            switch generation {
            case .legacy:
                #expect(analyses.rows.isEmpty)
                #expect(analyses.object["meta"]?["total"] == 0)
                #expect(memberships.rows.isEmpty)
                #expect(single.status == 403)
                #expect(single.object["code"] == "FORBIDDEN")
            case .transitional, .current:
                #expect(analyses.rows.count == 1)
                #expect(memberships.rows.count == 2)
                #expect(single.status == 200)
            }
            // 0.14 validates the body before evaluating permissions; 0.8.13 checks the permission first.
            let invalid = try await hub.hub.post("/core/nodes", [:], token: token)
            switch generation {
            case .current:
                #expect(invalid.status == 400)
                #expect(invalid.object["message"] == "Property name is invalid")
                let denied = try await hub.hub.post("/core/nodes", ["name": "bobs-node"], token: token)
                #expect(denied.status == 400)
                #expect(denied.object["message"] == "The evaluation of permissions node_create failed")
            case .transitional:
                // Permission first (validation first is 0.13's), failing with the current error body.
                #expect(invalid.status == 400)
                #expect(invalid.object["message"] == "The evaluation of permissions node_create failed")
            case .legacy:
                #expect(invalid.status == 403)
            }
            // Writes stay realm-checked in both generations (the Hub answers 403 itself).
            let foreign = try await hub.hub.post(
                "/core/analyses/\(hub.id(fixture.analysis))/command", ["command": "configurationLock"], token: token)
            #expect(foreign.status == 403)
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func analysisBucketsAppearAndGoWithTheAnalysis(generation: HubGeneration) async throws {
        try await CoreSession.start(generation) { hub in
            let fixture = try await Self.fixture(hub)
            let id = hub.id(fixture.analysis)
            let buckets = try await hub.eventually { () -> [EmulatorJSONObject]? in
                let rows = try await hub.get(
                    "/core/analysis-buckets?filter[\(hub.key("analysisId"))]=\(id)&include=analysis"
                ).rows
                return rows.count == 3 ? rows : nil
            }
            #expect(buckets.allSatisfy { $0["analysis"]?["id"]?.stringValue == id })
            let storageKey = hub.key(generation == .legacy ? "externalId" : "bucketId")
            let storageID = try #require(buckets.first?[storageKey]?.stringValue)
            let bucket = try await hub.get("/storage/buckets/\(storageID)").record(generation)
            #expect(bucket["name"]?.stringValue?.hasSuffix(id) == true)

            #expect(try await hub.delete("/core/analyses/\(id)").status == 202)
            #expect(try await hub.get("/core/analysis-buckets?filter[\(hub.key("analysisId"))]=\(id)").rows.isEmpty)
            _ = try await hub.eventually { () -> Bool? in
                try await hub.get("/storage/buckets/\(storageID)").status == 404 ? true : nil
            }
        }
    }
}
