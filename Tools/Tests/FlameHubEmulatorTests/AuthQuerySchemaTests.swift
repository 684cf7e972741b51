import FlameHub
import FlameHubEmulator
import Testing

/// authup beta.63's list `meta.schema` renders the indexes its schema.ts files declare.
@Suite struct AuthQuerySchemaTests {
    /// `apps/server-core/src/core/entities/realm/schema.ts` at v1.0.0-beta.63: six single-column
    /// indexes, `filters` and `sorts` both `indexed: true`, no `strict`.
    @Test func realmsDescribeTheirDeclaredIndexes() async throws {
        try await withHub(.current) { hub in
            let admin = try await hub.adminToken()
            let listed = try await hub.get("/auth/realms", token: admin)
            let schema = try #require(listed.json?["meta"]?["schema"], "\(listed.text)")
            #expect(schema["name"] == "realm" && schema["strict"] == false)
            #expect(
                schema["indexes"] == [["id"], ["name"], ["builtIn"], ["displayName"], ["createdAt"], ["updatedAt"]])
            #expect(schema["filters"]?["indexed"] == true && schema["sorts"]?["indexed"] == true)
            // Compound indexes keep their column order (`user/schema.ts`: name + realmId).
            let users = try await hub.get("/auth/users", token: admin)
            #expect(users.json?["meta"]?["schema"]?["indexes"]?.arrayValue?.dropFirst().first == ["name", "realmId"])
        }
    }
}
