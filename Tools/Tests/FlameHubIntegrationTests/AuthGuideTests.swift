import FlameHub
import FlameHubEmulator
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

/// The Python user guide's auth, finding, optional-field, meta, nested-resource, exception and
/// update examples, written in Swift, through `CurlTransport` against the emulator of each
/// generation.
@Suite("User guide examples against the emulator (auth)")
struct AuthGuideTests {
    /// Runs `body` against a fresh emulator of `generation`, with an `AuthClient` logged in as
    /// the seeded admin.
    func withHub(
        _ generation: HubGeneration, _ body: (HubEmulator, AuthClient) async throws -> Void
    ) async throws {
        let hub = try await HubEmulator.start(generation: generation)
        do {
            let url = hub.authURL.absoluteString
            let auth = PasswordAuth(username: "admin", password: "start123", baseURL: url)
            try await body(hub, AuthClient(baseURL: url, auth: auth))
        } catch {
            await hub.stop()
            throw error
        }
        await hub.stop()
    }

    static let generations = HubGeneration.allCases

    @Test(arguments: generations)
    func dialectIsDetected(generation: HubGeneration) async throws {
        try await withHub(generation) { _, client in
            let dialect = try await client.dialect()
            #expect(dialect.generation == generation)
            #expect(dialect.version == generation.authupVersion)
        }
    }

    @Test(arguments: generations)
    func authenticationFlows(generation: HubGeneration) async throws {
        try await withHub(generation) { hub, client in
            let url = hub.authURL.absoluteString
            let admin = try #require(try await client.users.find(filter: ["name": "admin"]).first)
            #expect(admin.name == "admin")
            // The machine identity of the generation.
            let machine: any HubAuthentication =
                generation == .legacy
                ? RobotAuth(robotId: "system", secret: "start123", baseURL: url)
                : ClientAuth(clientId: "system", secret: "start123", baseURL: url)
            let realms = try await client.withAuth(machine).realms.find(filter: ["name": "master"])
            #expect(realms.map(\.name) == ["master"])
            // A static token taken from a login works too.
            let token = try await PasswordAuth(username: "admin", password: "start123", baseURL: url)
                .accessToken(using: client.context.transport)
            #expect(try await client.withAuth(token).roles.find(filter: ["name": "admin"]).count == 1)
            // Wrong credentials surface as HubAPIError from the token endpoint.
            let wrong = PasswordAuth(username: "admin", password: "wrong-password", baseURL: url)
            let error = await #expect(throws: HubAPIError.self) { try await client.withAuth(wrong).users.list() }
            #expect(error?.code == "invalid_credentials")
            #expect(error.map { "\($0)" }?.contains("wrong-password") == false)
        }
    }

    @Test(arguments: generations)
    func findingResources(generation: HubGeneration) async throws {
        try await withHub(generation) { _, client in
            let first25 = try await client.permissions.find(page: Page(limit: 25))
            let next10 = try await client.permissions.find(page: Page(limit: 10, offset: 10))
            #expect(Array(first25[10..<20]) == Array(next10))

            let exact = try await client.permissions.find(filter: ["name": "user_create"])
            #expect(exact.map(\.name) == ["user_create"])

            // The guide's raw `~` filter and FilterOperator.like are the same request.
            let raw = try await client.permissions.find(filter: ["name": "~user_"])
            let like = try await client.permissions.find(filter: ["name": .like("user_")])
            #expect(raw == like)
            // `~x` is starts-with on rapiq 0.9 servers (authup up to beta.56) and ends-with on current ones.
            #expect(raw.isEmpty == (generation == .current))

            // Typed operators mean the same on both generations.
            let starts = try await client.permissions.find(filter: ["name": .startsWith("user_")])
            #expect(!starts.isEmpty && starts.allSatisfy { $0.name.hasPrefix("user_") })
            if generation == .current {
                let ends = try await client.permissions.find(filter: ["name": .endsWith("_create")])
                #expect(!ends.isEmpty && ends.allSatisfy { $0.name.hasSuffix("_create") })
                let contains = try await client.permissions.find(filter: ["name": .contains("permission")])
                #expect(!contains.isEmpty && contains.allSatisfy { $0.name.contains("permission") })
            } else {
                await #expect(throws: HubClientError.self) {
                    try await client.permissions.find(filter: ["name": .endsWith("_create")])
                }
            }

            let ascending = try await client.permissions.find(
                filter: ["name": .startsWith("realm_")], sort: Sort(by: "name"))
            let descending = try await client.permissions.find(
                filter: ["name": .startsWith("realm_")], sort: Sort(by: "name", order: .descending))
            #expect(Array(ascending) == Array(descending.reversed()))
            #expect(ascending.map(\.name) == ascending.map(\.name).sorted())

            // Auto-pagination walks every page.
            var all: [Permission] = []
            for try await permission in client.permissions.findAll() { all.append(permission) }
            #expect(all.count == first25.meta.total)
            #expect(Set(all.map(\.id)).count == all.count)
        }
    }

    @Test(arguments: generations)
    func optionalFields(generation: HubGeneration) async throws {
        try await withHub(generation) { _, client in
            if generation == .legacy {
                let robot = try #require(try await client.robots.find(filter: ["name": "system"]).first)
                #expect(robot.secret == nil)
                let withSecret = try #require(
                    try await client.robots.find(filter: ["name": "system"], fields: ["secret"]).first)
                #expect(withSecret.secret?.revealed.isEmpty == false)
                #expect(Robot.optionalFields == ["secret"])
            } else {
                let system = try #require(try await client.clients.find(filter: ["name": "system"]).first)
                #expect(system.secret == nil)
                let withSecret = try #require(
                    try await client.clients.find(filter: ["name": "system"], fields: ["secret"]).first)
                #expect(withSecret.secret?.revealed == "start123")
                #expect(!"\(withSecret)".contains("start123"))
            }
            let admin = try #require(try await client.users.find(filter: ["name": "admin"], fields: ["email"]).first)
            #expect(admin.email != nil)
        }
    }

    @Test(arguments: generations)
    func metaInformation(generation: HubGeneration) async throws {
        try await withHub(generation) { _, client in
            let permissions = try await client.permissions.list()
            #expect(permissions.meta.limit == 50)
            #expect(permissions.meta.offset == 0)
            #expect((permissions.meta.total ?? 0) > 50)
            #expect(permissions.count == 50)
        }
    }

    @Test(arguments: generations)
    func nestedResources(generation: HubGeneration) async throws {
        try await withHub(generation) { _, client in
            let admin = try #require(try await client.users.find(filter: ["name": "admin"]).first)
            let realm = try #require(admin.realm)
            let master = try #require(try await client.realms.find(filter: ["name": "master"]).first)
            #expect(realm == master)
            #expect(admin.realmId == master.id)
        }
    }

    @Test(arguments: generations)
    func handlingExceptions(generation: HubGeneration) async throws {
        try await withHub(generation) { _, client in
            let error = await #expect(throws: HubAPIError.self) {
                try await client.roles.create(CreateRole(name: "x"))
            }
            #expect(error?.status == 400)
            #expect(error?.description.hasPrefix("received status code 400 (") == true)
            let missing = await #expect(throws: HubAPIError.self) {
                try await client.users.create(
                    CreateUser(name: "someone", email: "someone@example.com", realmId: AnyResourceID(UUID())))
            }
            #expect(missing?.status == 400)
            #expect(missing?.message.contains("realm") == true)
            let nothing = try await client.realms.get(UUID())
            #expect(nothing == nil)
        }
    }

    @Test(arguments: generations)
    func updateModels(generation: HubGeneration) async throws {
        try await withHub(generation) { _, client in
            let realm = try await client.realms.create(
                CreateRealm(name: "my-realm", displayName: "My Realm", description: "A realm for tests"))
            #expect(realm.displayName == "My Realm")
            // Set one field to null, change another, leave the name alone.
            let updated = try await client.realms.update(
                realm, UpdateRealm(displayName: "Renamed", description: nil))
            #expect(updated.name == "my-realm")
            #expect(updated.displayName == "Renamed")
            #expect(updated.description == nil)
            let fetched = try #require(try await client.realms.get(realm.id))
            #expect(fetched.displayName == "Renamed" && fetched.description == nil)
            try await client.realms.delete(realm)
            #expect(try await client.realms.get(realm) == nil)
        }
    }

    @Test(arguments: generations)
    func replayAfterTheServerForgotTheToken(generation: HubGeneration) async throws {
        try await withHub(generation) { hub, client in
            _ = try await client.realms.list()
            hub.reset()  // every issued token becomes invalid
            let users = try await client.users.find(filter: ["name": "admin"])
            #expect(users.count == 1)
        }
    }
}
