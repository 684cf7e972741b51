import FlameHub
import FlameHubEmulator
import Testing

/// What a fresh Hub serves (its seeders and its master-image sync) and the deployment switches
/// that change its answers; each test names the Hub source it copies.
@Suite struct SeedAndSwitchTests {
    // MARK: Seed data

    /// The master images are the scan of PrivateAIM/master-images with their command arguments
    /// (hub v0.8.13 server-analysis-manager master-images/commands/synchronize/helper.ts, v0.14.0
    /// server-core-worker master-image-synchronizer/handlers/execute/module.ts); 0.8.35+ keeps
    /// the checkout's `data/` in `path`.
    @Test(arguments: HubGeneration.allCases)
    func masterImagesAreTheSyncedCatalogue(generation: HubGeneration) async throws {
        try await CoreSession.start(generation) { hub in
            let images = try await hub.get("/core/master-images").rows
            #expect(images.count == 27)
            func image(_ path: String) throws -> EmulatorJSONObject {
                try #require(images.first { $0[hub.key("virtualPath")]?.stringValue == path }, "\(path)")
            }
            let prefix = generation == .legacy ? "" : "data/"
            let base = try image("python/base")
            #expect(base["name"] == "base")
            #expect(base["path"] == .string(prefix + "python/base"))
            #expect(base[hub.key("groupVirtualPath")] == "python")
            #expect(base["command"] == "python")
            #expect(base[hub.key("commandArguments")] == [["value": "-u"]])
            let gwas = try image("python/conda/fed-gwas")
            #expect(gwas["command"] == "conda")
            #expect(
                gwas[hub.key("commandArguments")]?.arrayValue?.compactMap { $0["value"]?.stringValue }
                    == ["run", "-n", "ppgwas", "--no-capture-output", "python"])
            #expect(gwas[hub.key("groupVirtualPath")] == "python/conda")
            // The conda group sets no arguments, so its base image inherits the python group's.
            #expect(try image("python/conda/base")[hub.key("commandArguments")] == [["value": "-u"]])
            let rml = try image("r/ml")
            #expect(rml["command"] == "Rscript")
            #expect(rml[hub.key("commandArguments")] == [])
            #expect(images.allSatisfy { $0[hub.key("commandArguments")]?.arrayValue != nil })

            let groups = try await hub.get("/core/master-image-groups").rows
            #expect(
                groups.compactMap { $0[hub.key("virtualPath")]?.stringValue }.sorted()
                    == ["python", "python/conda", "python/test", "python/use-cases", "r"])
            let python = try #require(groups.first { $0[hub.key("virtualPath")] == "python" })
            #expect(python["name"] == "Python")
            #expect(python["path"] == .string(prefix + "python"))
        }
    }

    /// `sync` makes the tables equal to the repository again: a deleted image comes back (hub
    /// v0.8.13 packages/server-core/src/services/master-image/synchronizer/module.ts).
    @Test(arguments: HubGeneration.allCases)
    func syncRestoresDeletedImages(generation: HubGeneration) async throws {
        try await CoreSession.start(generation) { hub in
            let path = "python/use-cases/ood"
            let before = try #require(
                try await hub.get("/core/master-images?filter[\(hub.key("virtualPath"))]=\(path)").rows.first)
            #expect(try await hub.delete("/core/master-images/\(hub.id(before))").status == 202)
            #expect(try await hub.post("/core/master-images/command", ["command": "sync"]).status == 202)
            let after = try await hub.eventually { () -> EmulatorJSONObject? in
                try await hub.get("/core/master-images?filter[\(hub.key("virtualPath"))]=\(path)").rows.first
            }
            #expect(after["id"] != before["id"])
            #expect(after[hub.key("commandArguments")] == [["value": "-u"]])
        }
    }

    /// The admin user as authup seeds it: beta.26 with its author's address
    /// (packages/server-core/src/database/seeder/module.ts), beta.62 with
    /// `buildUserFakeEmail("admin")` (provisioning/sources/default/module.ts).
    @Test(arguments: HubGeneration.allCases)
    func adminUserIsSeededAsAuthupDoes(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let token = try await hub.adminToken()
            let users = try await hub.get("/auth/users?fields=%2Bemail", token: token).rows
            #expect(users.count == 1)
            let admin = try #require(users.first)
            #expect(admin["name"] == "admin")
            #expect(admin["active"] == true)
            #expect(admin["email"] == "admin@example.com")
        }
    }

    /// Legacy: Hub 0.8.13 creates a `registry` robot next to authup's `system` robot (hub v0.8.13
    /// packages/server-core/src/core/authup/setup.ts). Current: beta.62 provisions `realm_admin` as
    /// a global role (provisioning/sources/default/module.ts).
    @Test(arguments: HubGeneration.allCases)
    func machineIdentitiesAndRoles(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let token = try await hub.adminToken()
            switch generation {
            case .legacy:
                let robots = try await hub.get("/auth/robots", token: token).names
                #expect(robots.sorted() == ["registry", "system"])
            case .transitional, .current:
                let role = try #require(
                    try await hub.get("/auth/roles?filter[name]=realm_admin", token: token).rows.first)
                #expect(role["realmId"] == .null)
            }
        }
    }

    // MARK: Switches

    static func configuration(_ switches: HubEmulator.Switches) -> HubEmulator.Configuration {
        var configuration = fastEffects
        configuration.switches = switches
        return configuration
    }

    /// `SKIP_PROJECT_APPROVAL`: project nodes start approved (hub v0.8.13
    /// http/controllers/project-node/handlers/create.ts, v0.14.0 core/entities/project-node/service.ts).
    @Test(arguments: HubGeneration.allCases, [false, true])
    func skipProjectApproval(generation: HubGeneration, skip: Bool) async throws {
        let configuration = Self.configuration(HubEmulator.Switches(skipProjectApproval: skip))
        try await CoreSession.start(generation, configuration: configuration) { hub in
            let project = try await hub.create("/core/projects", ["name": "switch-project"])
            let node = try await hub.create("/core/nodes", ["name": "switch-node"])
            let member = try await hub.create(
                "/core/project-nodes", ["projectId": project["id"] ?? nil, "nodeId": node["id"] ?? nil])
            #expect(member[hub.key("approvalStatus")] == (skip ? "approved" : .null))
        }
    }

    /// `SKIP_ANALYSIS_APPROVAL`: analysis nodes start approved, whether added by hand or when the
    /// analysis is created (hub v0.8.13 http/controllers/analysis-node/handlers/create.ts, v0.14.0
    /// core/entities/analysis/service.ts), and unlocking keeps the approvals (v0.8.13
    /// domains/analysis/commands/configuration-unlock.ts).
    @Test(arguments: HubGeneration.allCases, [false, true])
    func skipAnalysisApproval(generation: HubGeneration, skip: Bool) async throws {
        let configuration = Self.configuration(HubEmulator.Switches(skipAnalysisApproval: skip))
        try await CoreSession.start(generation, configuration: configuration) { hub in
            let fixture = try await CoreAnalysisTests.fixture(hub)
            let analysisID = hub.id(fixture.analysis)
            let workerFilter =
                "filter[\(hub.key("analysisId"))]=\(analysisID)&filter[\(hub.key("nodeId"))]=\(hub.id(fixture.worker))"
            let assigned = try #require(try await hub.get("/core/analysis-nodes?\(workerFilter)").rows.first)
            #expect(assigned[hub.key("approvalStatus")] == (skip ? "approved" : .null))

            let late = try await hub.create("/core/nodes", ["name": "late-node"])
            _ = try await hub.create(
                "/core/project-nodes", ["projectId": fixture.project["id"] ?? nil, "nodeId": late["id"] ?? nil])
            let added = try await hub.create(
                "/core/analysis-nodes", ["analysisId": .string(analysisID), "nodeId": late["id"] ?? nil])
            #expect(added[hub.key("approvalStatus")] == (skip ? "approved" : .null))

            guard generation == .legacy else { return }
            // Legacy: approve by hand, lock, unlock: the approval goes unless the switch is on.
            _ = try await hub.post("/core/analysis-nodes/\(hub.id(assigned))", ["approvalStatus": "approved"])
            let entry = try await CoreAnalysisTests.uploadEntrypoint(hub, analysisID: analysisID)
            #expect(try await hub.post("/core/analysis-bucket-files/\(hub.id(entry))", ["root": true]).status == 202)
            let lock = try await hub.post("/core/analyses/\(analysisID)/command", ["command": "configurationLock"])
            #expect(lock.status == 202, "\(lock.text)")
            let unlock = try await hub.post("/core/analyses/\(analysisID)/command", ["command": "configurationUnlock"])
            #expect(unlock.status == 202, "\(unlock.text)")
            let after = try #require(try await hub.get("/core/analysis-nodes/\(hub.id(assigned))").json?.objectValue)
            #expect(after[hub.key("approvalStatus")] == (skip ? "approved" : .null))
        }
    }

    /// `SKIP_ANALYSIS_APPROVAL` on Hub 0.14: `buildNodesValid` ignores the approvals (v0.14.0
    /// core/entities/analysis-node/recalculator.ts).
    @Test func skipAnalysisApprovalValidatesTheBuild() async throws {
        let configuration = Self.configuration(HubEmulator.Switches(skipAnalysisApproval: true))
        try await CoreSession.start(.current, configuration: configuration) { hub in
            let fixture = try await CoreAnalysisTests.fixture(hub)
            let analysisID = hub.id(fixture.analysis)
            for row in try await hub.get("/core/analysis-nodes?filter[analysisId]=\(analysisID)").rows {
                #expect(
                    try await hub.post("/core/analysis-nodes/\(hub.id(row))", ["approvalStatus": "rejected"]).status
                        == 202)
            }
            let analysis = try await hub.get("/core/analyses/\(analysisID)").record(.current)
            #expect(analysis["nodesApproved"] == 0)
            #expect(analysis["buildNodesValid"] == true)
        }
    }

    /// `USER_ADMIN_ENABLED=false` / `USER_ADMIN_NAME` (authup beta.26 config/read/env.ts and
    /// database/seeder/module.ts; beta.62 config/read/env.ts).
    @Test(arguments: HubGeneration.allCases)
    func adminUserSwitches(generation: HubGeneration) async throws {
        let disabled = Self.configuration(HubEmulator.Switches(userAdminEnabled: false))
        try await withHub(generation, configuration: disabled) { hub in
            let response = try await hub.post(
                "/auth/token", ["grant_type": "password", "username": "admin", "password": "start123"])
            #expect(response.status == 400)
            #expect(response.object["message"] == "The user account is inactive.")
        }
        let renamed = Self.configuration(HubEmulator.Switches(userAdminName: "root"))
        try await withHub(generation, configuration: renamed) { hub in
            let root = try await hub.post(
                "/auth/token", ["grant_type": "password", "username": "root", "password": "start123"])
            // beta.62 always names its admin `admin`.
            #expect(root.status == (generation == .legacy ? 200 : 400), "\(root.text)")
        }
    }

    /// `ROBOT_ADMIN_ENABLED` (beta.26: the system robot's `active`) / `CLIENT_SYSTEM_ENABLED`
    /// (beta.62: the system client's), database/seeder/module.ts and provisioning/sources/default.
    @Test(arguments: HubGeneration.allCases, [false, true])
    func systemIdentitySwitch(generation: HubGeneration, enabled: Bool) async throws {
        let configuration = Self.configuration(HubEmulator.Switches(systemEnabled: enabled))
        try await withHub(generation, configuration: configuration) { hub in
            let grant: EmulatorJSON =
                generation == .legacy
                ? ["grant_type": "robot_credentials", "id": "system", "secret": "start123"]
                : ["grant_type": "client_credentials", "client_id": "system", "client_secret": "start123"]
            let response = try await hub.post("/auth/token", grant)
            #expect(response.status == (enabled ? 200 : (generation == .legacy ? 400 : 401)), "\(response.text)")
        }
    }

    /// `PERMISSIONS` (beta.26): further built-in permissions granted to `admin`
    /// (database/seeder/module.ts `getPermissions`); beta.62 no longer uses it.
    @Test(arguments: HubGeneration.allCases)
    func extraPermissions(generation: HubGeneration) async throws {
        let configuration = Self.configuration(HubEmulator.Switches(permissions: ["study_audit"]))
        try await withHub(generation, configuration: configuration) { hub in
            let token = try await hub.adminToken()
            let rows = try await hub.get("/auth/permissions?filter[name]=study_audit", token: token).rows
            switch generation {
            case .legacy:
                #expect(rows.count == 1)
                #expect(rows.first?["built_in"] == true)
            case .transitional, .current:
                #expect(rows.isEmpty)
            }
        }
    }

    /// The Hub's environment names map to the switches and values; a value the Hub's `readBool`
    /// / `readInt` would not read is refused.
    @Test func environmentNames() throws {
        var configuration = HubEmulator.Configuration()
        try configuration.applyEnvironment([
            "SKIP_PROJECT_APPROVAL": "true", "SKIP_ANALYSIS_APPROVAL": "1", "USER_ADMIN_ENABLED": "no",
            "ROBOT_ADMIN_ENABLED": "false", "USER_ADMIN_PASSWORD": "s3cret-admin",
            "CLIENT_SYSTEM_SECRET": "s3cret-system",
            "PERMISSIONS": "a_read, b_read", "TOKEN_ACCESS_MAX_AGE": "120", "TOKEN_REFRESH_MAX_AGE": "600",
            "USER_ADMIN_NAME": "", "UNRELATED": "x", "MFA_ENABLED": "true",
        ])
        #expect(
            configuration.switches
                == HubEmulator.Switches(
                    skipProjectApproval: true, skipAnalysisApproval: true, userAdminEnabled: false,
                    systemEnabled: false,
                    permissions: ["a_read", "b_read"], mfaEnabled: true))
        #expect(configuration.adminPassword == "s3cret-admin")
        #expect(configuration.systemSecret == "s3cret-system")
        #expect(configuration.accessTokenLifetime == .seconds(120))
        #expect(configuration.refreshTokenLifetime == .seconds(600))
        #expect(throws: HubEmulator.EnvironmentError(name: "SKIP_PROJECT_APPROVAL", value: "maybe")) {
            try configuration.applyEnvironment(["SKIP_PROJECT_APPROVAL": "maybe"])
        }
        #expect(throws: HubEmulator.EnvironmentError(name: "TOKEN_ACCESS_MAX_AGE", value: "soon")) {
            try configuration.applyEnvironment(["TOKEN_ACCESS_MAX_AGE": "soon"])
        }
    }
}
