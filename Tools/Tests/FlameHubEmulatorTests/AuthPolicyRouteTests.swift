import FlameHub
import FlameHubEmulator
import Testing

/// `GET /policies/:id/expanded` and `POST /policies/:id/check` on every generation.
@Suite struct AuthPolicyRouteTests {
    func key(_ name: String, _ generation: HubGeneration) -> String {
        generation == .legacy ? KeyCasing.snakeCase.convert(name) : name
    }

    @Test(arguments: HubGeneration.allCases)
    func expandedAndChecked(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let admin = try await hub.adminToken()
            let parent = try await hub.post(
                "/auth/policies",
                .object(["name": "any-of", "type": "composite", key("decisionStrategy", generation): "affirmative"]),
                token: admin)
            let parentID = try #require(parent.record(generation)["id"]?.stringValue, "\(parent.text)")
            let child = try await hub.post(
                "/auth/policies",
                .object([
                    "name": "names", "type": "attributeNames", "names": ["name"],
                    key("parentId", generation): .string(parentID),
                ]), token: admin)
            #expect(child.status == 201, "\(child.text)")
            let expanded = try await hub.get("/auth/policies/\(parentID)/expanded", token: admin)
            #expect(expanded.status == 200, "\(expanded.text)")
            let children = expanded.record(generation)["children"]?.arrayValue
            switch generation {
            // beta.26 loads the descendants; later releases answer the plain record.
            case .legacy: #expect(children?.first?["name"] == "names")
            case .transitional, .current: #expect(children == nil)
            }
            let granted = try await hub.post(
                "/auth/policies/any-of/check", ["attributes": ["name": "x"]], token: admin)
            #expect(granted.status == 202 && granted.json?["status"] == "success", "\(granted.text)")
            let denied = try await hub.post(
                "/auth/policies/\(parentID)/check", ["attributes": ["secret": "x"]], token: admin)
            #expect(denied.json?["status"] == "error" && denied.json?["data"]?["code"] != nil, "\(denied.text)")
            #expect(try await hub.post("/auth/policies/\(parentID)/check", [:]).status == 401)
            switch generation {
            case .legacy:
                #expect(
                    try await hub.post("/auth/realms/master/policies/any-of/check", [:], token: admin).status == 404)
            case .transitional, .current:
                let scoped = try await hub.post(
                    "/auth/realms/master/policies/any-of/check", ["attributes": ["name": "x"]], token: admin)
                #expect(scoped.json?["status"] == "success", "\(scoped.text)")
            }
        }
    }
}
