import FlameHub
import FlameHubTesting
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

@Suite("Authentication: token cache, single flight, refresh, replay")
struct AuthFlowTests {
    /// A mock auth service: answers `/auth/token` from `tokens` (in order) and everything else
    /// with an empty list, or 401 for tokens listed in `rejected`.
    final class Server: Sendable {
        let mock: MockTransport
        let tokenRequests = Counter()

        init(
            tokens: [MockTransport.Reply], rejected: Set<String> = [], tokenDelay: Duration? = nil
        ) {
            let script = ScriptedReplies(tokens)
            let counter = tokenRequests
            mock = MockTransport { request in
                if request.target == "/auth/token" {
                    _ = counter.increment()
                    if let tokenDelay { try await Task.sleep(for: tokenDelay) }
                    return script.next()
                }
                if let bearer = request.bearer, rejected.contains(bearer) {
                    return .json(401, #"{"code":"identity_unauthorized","message":"Authentication required."}"#)
                }
                if request.request.method == .post {
                    return .json(201, Fixture.enveloped(Fixture.realmCurrent()))
                }
                return .json(200, Fixture.list([]))
            }
        }

        var tokenBodies: [[String: JSONValue]] {
            mock.requests.filter { $0.target == "/auth/token" }.compactMap(\.json)
        }
        var resourceBearers: [String?] {
            mock.requests.filter { $0.target != "/auth/token" }.map(\.bearer)
        }
    }

    final class ScriptedReplies: Sendable {
        private let replies: Counter
        private let list: [MockTransport.Reply]
        init(_ list: [MockTransport.Reply]) {
            self.list = list
            replies = Counter()
        }
        func next() -> MockTransport.Reply {
            let index = replies.increment() - 1
            return index < list.count ? list[index] : .json(500, #"{"message":"no more tokens"}"#)
        }
    }

    @Test func passwordGrantThenCachedToken() async throws {
        let server = Server(tokens: [.json(200, Fixture.token("A"))])
        let auth = PasswordAuth(username: "admin", password: "start123", baseURL: Fixture.base)
        let client = Fixture.authClient(server.mock, auth: auth)
        for _ in 0..<5 { _ = try await client.realms.list() }
        #expect(server.tokenRequests.count == 1)
        #expect(
            server.tokenBodies.first == [
                "grant_type": .string("password"), "username": .string("admin"), "password": .string("start123"),
            ])
        #expect(server.resourceBearers == Array(repeating: "A", count: 5))
    }

    @Test func singleFlightOnFirstUse() async throws {
        let server = Server(tokens: [.json(200, Fixture.token("A"))], tokenDelay: .milliseconds(50))
        let auth = PasswordAuth(username: "admin", password: "start123", baseURL: Fixture.base)
        let client = Fixture.authClient(server.mock, auth: auth)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<200 { group.addTask { _ = try await client.realms.list() } }
            try await group.waitForAll()
        }
        #expect(server.tokenRequests.count == 1)
        #expect(server.resourceBearers.count == 200)
    }

    @Test func singleFlightRefreshOfAnExpiringToken() async throws {
        // The first token expires at once: the next 200 concurrent calls share one refresh.
        let server = Server(
            tokens: [
                .json(200, Fixture.token("A", expiresIn: 0)), .json(200, Fixture.token("B", refresh: "refresh-2")),
            ],
            tokenDelay: .milliseconds(20))
        let auth = PasswordAuth(username: "admin", password: "start123", baseURL: Fixture.base)
        let client = Fixture.authClient(server.mock, auth: auth)
        _ = try await client.realms.list()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<200 { group.addTask { _ = try await client.realms.list() } }
            try await group.waitForAll()
        }
        #expect(server.tokenRequests.count == 2)
        #expect(
            server.tokenBodies.last == ["grant_type": .string("refresh_token"), "refresh_token": .string("refresh-1")])
        #expect(server.resourceBearers.first == "A")
        #expect(server.resourceBearers.dropFirst().allSatisfy { $0 == "B" })
    }

    @Test func failedRefreshFallsBackToLogin() async throws {
        let server = Server(tokens: [
            .json(200, Fixture.token("A", expiresIn: 0)),
            .json(400, #"{"statusCode":400,"code":"inactive_token","message":"The JWT is not active."}"#),
            .json(200, Fixture.token("C")),
        ])
        let auth = PasswordAuth(username: "admin", password: "start123", baseURL: Fixture.base)
        let client = Fixture.authClient(server.mock, auth: auth)
        _ = try await client.realms.list()
        _ = try await client.realms.list()
        #expect(
            server.tokenBodies.map { $0["grant_type"] } == [
                .string("password"), .string("refresh_token"), .string("password"),
            ])
        #expect(server.resourceBearers == ["A", "C"])
    }

    @Test func unauthorizedTriggersOneRefreshAndReplay() async throws {
        let server = Server(tokens: [.json(200, Fixture.token("A")), .json(200, Fixture.token("B"))], rejected: ["A"])
        let auth = PasswordAuth(username: "admin", password: "start123", baseURL: Fixture.base)
        let client = Fixture.authClient(server.mock, auth: auth)
        _ = try await client.realms.create(CreateRealm(name: "x")).name
        let lines = server.mock.requests.map { "\($0.line) \($0.bearer ?? "-")" }
        #expect(lines == ["POST /auth/token -", "POST /auth/realms A", "POST /auth/token -", "POST /auth/realms B"])
        #expect(server.mock.requests[3].bodyText == #"{"name":"x"}"#)
    }

    @Test func replayHappensOnlyOnce() async throws {
        let server = Server(
            tokens: [.json(200, Fixture.token("A")), .json(200, Fixture.token("B"))], rejected: ["A", "B"])
        let client = Fixture.authClient(
            server.mock, auth: ClientAuth(clientId: "system", secret: "start123", baseURL: Fixture.base))
        let error = await #expect(throws: HubAPIError.self) { try await client.realms.list() }
        #expect(error?.status == 401)
        #expect(server.tokenRequests.count == 2)
        #expect(server.tokenBodies.first?["grant_type"] == .string("client_credentials"))
    }

    @Test func staticTokensAreNotReplayed() async throws {
        let server = Server(tokens: [], rejected: ["fixed"])
        let error = await #expect(throws: HubAPIError.self) {
            try await Fixture.authClient(server.mock, auth: "fixed").realms.list()
        }
        #expect(error?.status == 401)
        #expect(server.mock.requests.count == 1)
    }

    @Test func tokenEndpointErrorsAreHubAPIErrors() async throws {
        let server = Server(tokens: [
            .json(
                400, #"{"statusCode":400,"code":"invalid_credentials","message":"The robot credentials are invalid."}"#)
        ])
        let auth = RobotAuth(robotId: Fixture.robotID, secret: "s3cr3t-value", baseURL: Fixture.base)
        let client = Fixture.authClient(server.mock, dialect: .legacy, auth: auth)
        let error = await #expect(throws: HubAPIError.self) { try await client.robots.list() }
        #expect(error?.code == "invalid_credentials")
        #expect(error?.request == "POST http://hub.test/auth/token")
        #expect(error.map { "\($0)" }?.contains("s3cr3t") == false)
        #expect(
            server.tokenBodies.first == [
                "grant_type": .string("robot_credentials"), "id": .string(Fixture.robotID),
                "secret": .string("s3cr3t-value"),
            ])
    }

    @Test func withAuthOverridesPerCall() async throws {
        let server = Server(tokens: [.json(200, Fixture.token("A"))])
        let client = Fixture.authClient(
            server.mock, auth: PasswordAuth(username: "admin", password: "pw", baseURL: Fixture.base))
        _ = try await client.withAuth(StaticAuth("other")).realms.list()
        _ = try await client.withAuth("plain").realms.list()
        #expect(server.tokenRequests.count == 0)
        #expect(server.resourceBearers == ["other", "plain"])
    }

    @Test func credentialDescriptionsAreRedacted() {
        let descriptions = [
            "\(PasswordAuth(username: "admin", password: "start123-secret"))",
            "\(RobotAuth(robotId: "r", secret: "start123-secret"))",
            "\(ClientAuth(clientId: "c", secret: "start123-secret"))",
            "\(StaticAuth("start123-secret"))",
            String(reflecting: StaticAuth("start123-secret")),
            "\(SecretString("start123-secret"))",
        ]
        for text in descriptions {
            #expect(!text.contains("start123-secret"), "\(text)")
        }
        #expect(descriptions[0].contains("admin"))
    }
}
