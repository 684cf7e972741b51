@_spi(FlameHubTools) import FlameHubEmulator
import FlameHub
import Testing

/// `HubEmulator.routeTable(generation:)`, which Tools/scripts/route-inventory prints into
/// docs/RouteCoverage.md: it lists what the emulator serves, per generation.
@Suite struct RouteTableTests {
    /// Routes that one generation has and another lacks show up in that generation only.
    @Test func listsTheRoutesOfEachGeneration() {
        let legacy = Set(HubEmulator.routeTable(generation: .legacy))
        let transitional = Set(HubEmulator.routeTable(generation: .transitional))
        let current = Set(HubEmulator.routeTable(generation: .current))
        #expect(current.contains("auth GET /userinfo"))
        #expect(!transitional.contains("auth GET /userinfo") && !legacy.contains("auth GET /userinfo"))
        #expect(legacy.contains("auth GET /robots/:id/integrity") && !current.contains("auth GET /robots"))
        #expect(
            current.contains("auth GET /realms/:realmId/users") && !legacy.contains("auth GET /realms/:realmId/users"))
        #expect(
            current.contains("core POST /analyses/:id/command") && legacy.contains("core POST /analyses/:id/command"))
        #expect(current.contains("core GET /analyses/:id/client/credentials"))
        #expect(!legacy.contains("core GET /analyses/:id/client/credentials"))
        #expect(current.contains("storage POST /buckets/:id/upload"))
        #expect(current.contains("auth GET /users/@me"))
    }

    /// Every listed `GET` without parameters answers something other than 404 to the admin, and
    /// a route of another generation answers 404: the table is what the emulator serves. (Self
    /// aliases are left out: `/clients/@me` is 404 to a user.)
    @Test(arguments: HubGeneration.allCases)
    func listedRoutesAreServed(generation: HubGeneration) async throws {
        let table = HubEmulator.routeTable(generation: generation)
        try await withHub(generation) { hub in
            let token = try await hub.adminToken()
            for line in table {
                let parts = line.split(separator: " ").map(String.init)
                // An event stream (the messenger's `/messages/stream`) never ends: its own tests read it.
                guard parts.count == 3, parts[1] == "GET", !parts[2].contains(":"), !parts[2].contains("@"),
                    !parts[2].hasSuffix("/stream")
                else {
                    continue
                }
                let response = try await hub.get("/\(parts[0])\(parts[2])", token: token)
                #expect(response.status != 404, "\(line): \(response.text)")
            }
            if !table.contains("auth GET /userinfo") {
                #expect(try await hub.get("/auth/userinfo", token: token).status == 404)
            }
        }
    }
}
