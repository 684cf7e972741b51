import FlameHub
import FlameHubEmulator
import Testing

/// `meta.schema` as Hub v0.14.0 describes its endpoints (packages/server-kit/src/core/query/
/// describe.ts, docs/src/guide/development/api.md "Query Capability Discovery", the
/// apps/server-core/src/core/entities/*/schema.ts declarations).
@Suite struct EmulatorQuerySchemaTests {
    @Test func collectionDescriptionOfNodes() async throws {
        try await CoreSession.start(.current) { hub in
            let schema = try #require(try await hub.get("/core/nodes").object["meta"]?["schema"])
            #expect(schema["name"] == "node")
            #expect(schema["strict"] == true)
            #expect(schema["indexes"] == .null)
            #expect(schema["filters"]?["caseSensitive"] == .null)
            #expect(schema["filters"]?["indexed"] == false)
            #expect(schema["pagination"]?["maxLimit"] == 50)
            #expect(schema["sorts"]?["indexed"] == false)
            #expect(schema["sorts"]?["default"] == .null)
            #expect(schema["sort"] == nil)
            // `relations.schemas` names the target's schema (DomainType), camelCase.
            #expect(schema["relations"]?["schemas"]?["registryProject"] == "registryProject")
            #expect(schema["relations"]?["schemas"]?["registry"] == "registry")
        }
    }

    /// Record reads advertise `fields` and `relations` under the same head (`name`, `strict`,
    /// `indexes`); `filters`, `sorts` and `pagination` are absent, not null.
    @Test func recordDescriptionOfANode() async throws {
        try await CoreSession.start(.current) { hub in
            let node = try await hub.create("/core/nodes", ["name": "node-a"])
            let meta = try await hub.get("/core/nodes/\(hub.id(node))").object["meta"]
            let schema = try #require(meta?["schema"]?.objectValue)
            #expect(Set(schema.keys) == ["name", "strict", "indexes", "fields", "relations"])
            #expect(schema["name"] == "node")
        }
    }

    /// Multi-word schema names are camelCase (`registryProject`, not `registry-project`); an
    /// allow-list a schema never declares is `null`: master-image-group schema.ts has no
    /// `sorts` and no `relations`; master images derive `sorts.allowed` from `sorts.default`.
    @Test func undeclaredListsAndDerivedSorts() async throws {
        try await CoreSession.start(.current) { hub in
            let projects = try #require(try await hub.get("/core/registry-projects").object["meta"]?["schema"])
            #expect(projects["name"] == "registryProject")
            let groups = try #require(try await hub.get("/core/master-image-groups").object["meta"]?["schema"])
            #expect(groups["name"] == "masterImageGroup")
            #expect(groups["sorts"]?["allowed"] == .null)
            #expect(groups["relations"]?["allowed"] == .null)
            let images = try #require(try await hub.get("/core/master-images").object["meta"]?["schema"])
            #expect(images["sorts"]?["allowed"] == ["path"])
            #expect(images["sorts"]?["default"] == ["path": "ASC"])
        }
    }

    /// The SDK reads the emulator's description into `ListMeta.schema`.
    @Test func sdkExposesTheDescription() async throws {
        try await CoreSession.start(.current) { hub in
            try await hub.create("/core/nodes", ["name": "node-a"])
            let nodes = try HubJSON.decodeList(Node.self, from: try await hub.get("/core/nodes").bytes)
            #expect(nodes.count == 1)
            let schema = try #require(nodes.meta.schema)
            #expect(schema.name == "node")
            #expect(schema.strict == true)
            #expect(schema.pagination?.maxLimit == 50)
            #expect(schema.filters?.allowed?.contains("online") == true)
            #expect(schema.relations?.schemas?["registry"] == "registry")
            #expect(schema.sorts?.allowed?.contains("name") == true)
        }
    }
}
