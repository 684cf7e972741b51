import FlameHub
import FlameHubTesting
import Testing

@Suite("Authentication: grant authentications are checked Sendable and share one token")
struct GrantAuthenticationTests {
    typealias Server = AuthFlowTests.Server

    /// A type the compiler only accepts as `Sendable`: a grant crosses into another task by value.
    private static func inOtherTask<Value: Sendable>(_ value: Value) async -> Value {
        await Task.detached { value }.value
    }

    @Test func oneInstanceSharesOneTokenBetweenClientsAndTasks() async throws {
        let server = Server(tokens: [.json(200, Fixture.token("A"))], tokenDelay: .milliseconds(20))
        let auth = PasswordAuth(username: "admin", password: "start123", baseURL: Fixture.base)
        let first = Fixture.authClient(server.mock, auth: auth)
        let second = Fixture.authClient(server.mock, auth: await Self.inOtherTask(auth))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                group.addTask { _ = try await (index.isMultiple(of: 2) ? first : second).realms.list() }
            }
            try await group.waitForAll()
        }
        #expect(server.tokenRequests.count == 1)
        #expect(server.resourceBearers == Array(repeating: "A", count: 20))
    }

    @Test func separateInstancesKeepSeparateTokens() async throws {
        let server = Server(tokens: [.json(200, Fixture.token("A")), .json(200, Fixture.token("B"))])
        let client = {
            Fixture.authClient(server.mock, auth: ClientAuth(clientId: "c", secret: "s", baseURL: Fixture.base))
        }
        _ = try await client().realms.list()
        _ = try await client().realms.list()
        #expect(server.tokenRequests.count == 2)
        #expect(server.resourceBearers == ["A", "B"])
    }

    @Test func theGrantsAreGrantAuthentications() async throws {
        let grants: [any GrantAuthentication] = [
            PasswordAuth(username: "admin", password: "pw"), RobotAuth(robotId: "r", secret: "s"),
            ClientAuth(clientId: "c", secret: "s"),
        ]
        let moved = await Self.inOtherTask(grants)
        #expect(moved.map { "\($0)".prefix(while: { $0 != "(" }) } == ["PasswordAuth", "RobotAuth", "ClientAuth"])
        let password = PasswordAuth(username: "admin", password: "pw", realmId: "master")
        #expect(password.username == "admin")
        #expect(RobotAuth(robotId: "r", secret: "s").robotId == "r")
        #expect(ClientAuth(clientId: "c", secret: "s").clientId == "c")
        #expect("\(password)".hasSuffix("token URL: https://auth.privateaim.dev/token)"))
    }

    @Test func dumpShowsNeitherSecretsNorTokens() async throws {
        let server = Server(tokens: [.json(200, Fixture.token("token-value-A"))])
        let auths: [any GrantAuthentication] = [
            PasswordAuth(username: "admin", password: "start123-secret", baseURL: Fixture.base),
            RobotAuth(robotId: Fixture.robotID, secret: "start123-secret", baseURL: Fixture.base),
            ClientAuth(clientId: "c", secret: "start123-secret", baseURL: Fixture.base),
        ]
        _ = try await auths[0].accessToken(using: server.mock)
        for auth in auths {
            var text = ""
            dump(auth, to: &text)
            #expect(!text.contains("start123-secret"), "\(text)")
            #expect(!text.contains("token-value-A"), "\(text)")
            #expect(!text.contains("refresh-1"), "\(text)")
            #expect(text.contains("http://hub.test/auth/token"), "\(text)")
        }
    }
}
