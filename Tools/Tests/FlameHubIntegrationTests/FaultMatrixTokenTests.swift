import FlameHub
import FlameHubEmulator
import HTTPTypes
import Testing

/// The fault matrix, token rows, against the emulator's authup: expiry mid-run, a revoked
/// access token, a refresh token no longer valid, 200 calls on an expiring token, invalid
/// credentials. Each row counts the token requests the emulator received.
@Suite("Fault matrix: tokens", .timeLimit(.minutes(2)))
struct FaultMatrixTokenTests {
    private static func run(
        accessTokenLifetime: Duration? = nil, refreshTokenLifetime: Duration = .seconds(259_200),
        _ body: (HubEmulator, CoreClient, PasswordAuth) async throws -> Void
    ) async throws {
        let hub = try await HubEmulator.start(
            generation: .current,
            configuration: HubEmulator.Configuration(
                accessTokenLifetime: accessTokenLifetime, refreshTokenLifetime: refreshTokenLifetime))
        let auth = PasswordAuth(username: "admin", password: "start123", baseURL: hub.authURL.absoluteString)
        let core = CoreClient(baseURL: hub.coreURL.absoluteString, auth: auth)
        do {
            try await body(hub, core, auth)
        } catch {
            await hub.stop()
            throw error
        }
        await hub.stop()
    }

    private static func tokenRequests(_ hub: HubEmulator) -> [LoggedRequest] {
        hub.requests.filter { $0.method == "POST" && $0.path == "/auth/token" }
    }

    @Test("expiry mid-run: the next call renews the token (one token request) and succeeds")
    func expiryMidRun() async throws {
        // 5 s: the renewed token must outlive a stall of the loaded CI machine before its use.
        try await Self.run(accessTokenLifetime: .seconds(5)) { hub, core, _ in
            _ = try await core.getNodes()
            #expect(Self.tokenRequests(hub).count == 1)
            try await Task.sleep(for: .milliseconds(5200))
            _ = try await core.getNodes()
            let tokens = Self.tokenRequests(hub)
            #expect(tokens.count == 2)
            #expect(tokens.allSatisfy { $0.status == 200 || $0.status == 201 })
        }
    }

    @Test("an access token revoked on the server: 401, one renewal, the call replayed once and answered")
    func revokedAccessToken() async throws {
        try await Self.run { hub, core, auth in
            _ = try await core.getNodes()
            let token = try await auth.accessToken(using: CurlTransport.shared)
            var revoke = try HTTPRequest(method: .post, url: hub.authURL.absoluteString + "token/revoke")
            revoke.headerFields[.authorization] = "Bearer \(token)"
            let (response, _) = try await CurlTransport.shared.fetch(
                revoke.urlString, method: .post, headers: revoke.headerFields)
            #expect((200..<300).contains(response.status.code))
            hub.clearRequests()
            _ = try await core.getNodes()
            #expect(Self.tokenRequests(hub).count == 1)
            let lists = hub.requests.filter { $0.path == "/core/nodes" }
            #expect(lists.map(\.status) == [401, 200])
        }
    }

    @Test("a refresh token no longer valid: the refresh fails once, a fresh login follows, the call succeeds")
    func refreshTokenInvalid() async throws {
        try await Self.run(accessTokenLifetime: .seconds(5), refreshTokenLifetime: .seconds(5)) { hub, core, _ in
            _ = try await core.getNodes()
            try await Task.sleep(for: .milliseconds(5200))
            hub.clearRequests()
            _ = try await core.getNodes()
            let statuses = Self.tokenRequests(hub).map(\.status)
            // The refresh is refused (4xx), the password login answered: two requests, no loop.
            #expect(statuses.count == 2)
            #expect((400..<500).contains(statuses.first ?? 0))
            #expect(statuses.last == 200 || statuses.last == 201)
        }
    }

    @Test("200 concurrent calls on an expired token: exactly one token request, every call answered")
    func concurrentRenewal() async throws {
        // The renewed token lives as long as the first: its lifetime must outlast the 200 calls
        // with room to spare on a loaded 2-core machine (the whole suite runs in parallel), or
        // its own proactive renewal makes a legitimate second token request.
        try await Self.run(accessTokenLifetime: .seconds(6)) { hub, core, _ in
            _ = try await core.getNodes()
            try await Task.sleep(for: .milliseconds(6200))
            hub.clearRequests()
            let answered = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<200 { group.addTask { try await core.getNodes().items.count >= 0 ? 1 : 0 } }
                return try await group.reduce(0, +)
            }
            #expect(answered == 200)
            #expect(Self.tokenRequests(hub).count == 1)
            #expect(hub.requests.filter { $0.path == "/core/nodes" }.allSatisfy { $0.status == 200 })
        }
    }

    @Test("invalid credentials: one token request, one HubAPIError naming the token endpoint, no secret, no loop")
    func invalidCredentials() async throws {
        try await Self.run { hub, _, _ in
            let auth = PasswordAuth(username: "admin", password: "wr0ng-pa55word", baseURL: hub.authURL.absoluteString)
            let core = CoreClient(baseURL: hub.coreURL.absoluteString, auth: auth)
            for _ in 0..<2 {
                let error = await #expect(throws: HubAPIError.self) { _ = try await core.getNodes() }
                #expect(error.map { (400..<500).contains($0.status) } == true)
                #expect(error?.request.contains("/auth/token") == true)
                #expect(error?.description.contains("wr0ng-pa55word") == false)
            }
            // One token request per call: a failed login is not retried in a loop.
            #expect(Self.tokenRequests(hub).count == 2)
            #expect(hub.requests.filter { $0.path == "/core/nodes" }.isEmpty)
        }
    }
}
