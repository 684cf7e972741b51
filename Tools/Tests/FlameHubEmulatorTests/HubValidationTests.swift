import FlameHub
import FlameHubEmulator
import Testing

/// Body rules as the Hub's validators state them, per generation. Legacy = Hub v0.8.13
/// (packages/server-core/src/http/controllers/*/utils/valid*.ts, express-validator chains);
/// current = Hub v0.14.0 (packages/core-kit/src/domains/*/validator.ts, validup 2 + zod).
@Suite struct HubValidationTests {
    /// Hub 0.13.0–0.14.0 apps/server-core/src/core/entities/{analysis,project}/service.ts
    /// `create()`: `if (!input.name) input.name = generateName()` runs before the validator, so
    /// `null` and `""` get a generated slug. flame_hub 0.5.5's `create_analysis` sends
    /// `"name": null` (pydantic `model_dump`).
    @Test func currentAcceptsNullNamesAndGeneratesSlugs() async throws {
        try await CoreSession.start(.current) { hub in
            let project = try await hub.create("/core/projects", ["name": .null, "displayName": "Study"])
            let projectName = try #require(project["name"]?.stringValue)
            #expect(projectName.split(separator: "-").count == 3)
            let analysis = try await hub.create("/core/analyses", ["projectId": project["id"] ?? nil, "name": .null])
            let name = try #require(analysis["name"]?.stringValue)
            #expect(name.count >= 3 && name == name.lowercased())
            let empty = try await hub.create("/core/analyses", ["projectId": project["id"] ?? nil, "name": ""])
            #expect(empty["name"]?.stringValue?.isEmpty == false)
            // A non-null name still obeys the slug rule.
            let short = try await hub.post("/core/analyses", ["projectId": project["id"] ?? nil, "name": "ab"])
            #expect(short.status == 400)
        }
    }

    /// v0.8.13 analysis/utils/validator.ts: `name` is `optional({ values: 'null' })`, kept `null`.
    @Test func legacyAcceptsNullAnalysisName() async throws {
        try await CoreSession.start(.legacy) { hub in
            let project = try await hub.create("/core/projects", ["name": "study-project"])
            let analysis = try await hub.create("/core/analyses", ["projectId": project["id"] ?? nil, "name": .null])
            #expect(analysis["name"] == .null)
        }
    }

    /// v0.8.13 analysis/utils/validator.ts: `description` is 5–4096 characters (0.14 too).
    @Test(arguments: HubGeneration.allCases)
    func analysisDescriptionLength(generation: HubGeneration) async throws {
        try await CoreSession.start(generation) { hub in
            let project = try await hub.create("/core/projects", ["name": "study-project"])
            let short = try await hub.post(
                "/core/analyses", ["projectId": project["id"] ?? nil, "name": "analysis", "description": "abc"])
            #expect(short.status == 400)
            #expect(short.text.contains("description"))
            try await hub.create(
                "/core/analyses", ["projectId": project["id"] ?? nil, "name": "analysis", "description": "abcde"])
        }
    }

    /// v0.8.13 drops an `image_command_arguments` that is no array; v0.14.0 answers 400
    /// `imageCommandArguments must be an array.` (core-kit analysis/validator.ts).
    @Test(arguments: HubGeneration.allCases)
    func commandArgumentsThatAreNoArray(generation: HubGeneration) async throws {
        try await CoreSession.start(generation) { hub in
            let project = try await hub.create("/core/projects", ["name": "study-project"])
            let body: [String: EmulatorJSON] = [
                "projectId": project["id"] ?? nil, "name": "analysis", "imageCommandArguments": "--verbose",
            ]
            switch generation {
            case .legacy:
                let analysis = try await hub.create("/core/analyses", body)
                #expect(hub.value(analysis, "imageCommandArguments") == .null)
            case .transitional, .current:
                let rejected = try await hub.post("/core/analyses", body)
                #expect(rejected.status == 400)
                #expect(rejected.object["message"] == "imageCommandArguments must be an array.")
            }
        }
    }

    /// v0.8.13 analysis-node/utils/validation.ts (`isString()`) and v0.14.0 core-kit
    /// analysis-node/validator.ts (`z.string().nullable()`): an analysis-node comment has no
    /// length rule, unlike the project-node comment (3–4096 in both tags).
    @Test(arguments: HubGeneration.allCases)
    func analysisNodeCommentHasNoLengthRule(generation: HubGeneration) async throws {
        try await CoreSession.start(generation) { hub in
            let fixture = try await CoreAnalysisTests.fixture(hub)
            let assigned = try await hub.get(
                "/core/analysis-nodes?filter[\(hub.key("analysisId"))]=\(hub.id(fixture.analysis))"
            ).rows
            let member = try #require(assigned.first)
            let updated = try await hub.post("/core/analysis-nodes/\(hub.id(member))", ["comment": "ok"])
            #expect(updated.status == 202, "\(updated.text)")
            #expect(hub.value(updated.record(generation), "comment") == "ok")
            let projectMembers = try await hub.get(
                "/core/project-nodes?filter[\(hub.key("projectId"))]=\(hub.id(fixture.project))"
            ).rows
            let projectMember = try #require(projectMembers.first)
            let short = try await hub.post("/core/project-nodes/\(hub.id(projectMember))", ["comment": "ok"])
            #expect(short.status == 400)
        }
    }

    /// v0.8.13 server-storage bucket/utils/validation.ts mounts no `realm_id` (stripped, the
    /// caller's realm is used); v0.14.0 storage-kit bucket/validator.ts takes `realmId` on create.
    @Test(arguments: HubGeneration.allCases)
    func bucketRealmOnCreate(generation: HubGeneration) async throws {
        try await CoreSession.start(generation) { hub in
            let realm = try await hub.create("/auth/realms", ["name": "other"])
            let bucket = try await hub.create(
                "/storage/buckets", ["name": "data-bucket", "realmId": realm["id"] ?? nil])
            let master = try #require(try await hub.get("/auth/realms?filter[name]=master").rows.first)
            switch generation {
            case .legacy: #expect(hub.value(bucket, "realmId") == master["id"])
            case .transitional, .current: #expect(hub.value(bucket, "realmId") == realm["id"])
            }
        }
    }
}
