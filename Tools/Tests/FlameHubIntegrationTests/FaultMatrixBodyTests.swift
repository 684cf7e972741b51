import FlameHub
import FlameHubEmulator
import HTTPTypes
import Testing

/// The fault matrix, body rows: answers that arrive whole but are not the record asked for
/// (empty, truncated, invalid, wrong-shaped, oversized JSON, a proxy's HTML page), and the
/// timeout rows: stalls and request timeouts on fresh and reused connections, a slow but steady
/// body that must not time out.
@Suite("Fault matrix: bodies and timeouts", .timeLimit(.minutes(2)))
struct FaultMatrixBodyTests {
    typealias Counting = TransportRetryIntegrationTests.CountingMiddleware

    enum BadJSON: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case empty, truncated, invalid, wrongShape, wrongType, htmlFromProxy

        var testDescription: String { rawValue }

        var action: ScriptedServer.Action {
            switch self {
            case .empty: FaultFixtures.json("")
            case .truncated: FaultFixtures.json(String(FaultFixtures.nodeJSON.prefix(50)))
            case .invalid: FaultFixtures.json("{\"id\": nope}")
            case .wrongShape: FaultFixtures.json("[\(FaultFixtures.nodeJSON)]")
            case .wrongType:
                FaultFixtures.json(FaultFixtures.nodeJSON.replacingOccurrences(of: #""fault-node""#, with: "42"))
            case .htmlFromProxy:
                .respond(
                    status: 200, body: "<html><body><h1>Please log in to the proxy</h1></body></html>",
                    headers: ["Content-Type: text/html"])
            }
        }
    }

    @Test(
        "a 200 whose body is not the record: HubDecodingError naming the model and request, not retried",
        arguments: BadJSON.allCases)
    func badJSON(_ kind: BadJSON) async throws {
        try await ScriptedServer.with({ _ in kind.action }) { server in
            try await Fixtures.withTransport { transport in
                let counter = Counting()
                let core = FaultFixtures.core(server.baseURL, transport, counter: counter)
                let error = await #expect(throws: HubDecodingError.self) {
                    _ = try await core.getNode(FaultFixtures.nodeID)
                }
                #expect(error?.model.contains("Node") == true)
                #expect(error?.request.hasPrefix("GET \(server.baseURL)\(FaultFixtures.nodePath)") == true)
                #expect(error?.reason.isEmpty == false)
                #expect(counter.attempts == 1)
                #expect(server.count("GET", path: FaultFixtures.nodePath) == 1)
            }
        }
    }

    @Test("a proxy's 502 HTML page: retried, then a HubAPIError with the page's text and the status")
    func htmlErrorPage() async throws {
        let page = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"
        let action = ScriptedServer.Action.respond(status: 502, body: page, headers: ["Content-Type: text/html"])
        try await ScriptedServer.with({ _ in action }) { server in
            try await Fixtures.withTransport { transport in
                let counter = Counting()
                let core = FaultFixtures.core(server.baseURL, transport, counter: counter)
                let error = await #expect(throws: HubAPIError.self) {
                    _ = try await core.getNode(FaultFixtures.nodeID)
                }
                #expect(error?.status == 502)
                #expect(error?.errorResponse == nil)
                #expect(error?.description.contains("502 Bad Gateway") == true)
                #expect(counter.attempts == 3)
                #expect(server.count("GET", path: FaultFixtures.nodePath) == 3)
            }
        }
    }

    @Test("an oversized body (Content-Length over the 64 MiB cap): bodyTooLarge at the head, not retried")
    func oversized() async throws {
        let head = "HTTP/1.1 200 OK\nContent-Type: application/json\nContent-Length: \(100 << 20)"
        try await ScriptedServer.with({ _ in .rawThenHang(FaultFixtures.raw(head, "[")) }) { server in
            try await Fixtures.withTransport { transport in
                let counter = Counting()
                let core = FaultFixtures.core(server.baseURL, transport, counter: counter)
                let error = await #expect(throws: TransportError.self) {
                    _ = try await core.getNode(FaultFixtures.nodeID)
                }
                #expect(error?.code == .bodyTooLarge)
                #expect(counter.attempts == 1)
                #expect(server.count("GET", path: FaultFixtures.nodePath) == 1)
            }
        }
    }

    @Test("the emulator's truncated and invalid JSON: decoding errors through CoreClient, one request each")
    func emulatorBodies() async throws {
        try await CoreHub.run(.current) { hub in
            let node = try await hub.core.createNode(CreateNode(name: "body-node"))
            for action in [Fault.Action.truncatedBody, .invalidJSON] {
                hub.hub.clearRequests()
                hub.hub.injectFault(Fault(pathPrefix: "/core/nodes/", method: "GET", action: action))
                await #expect(throws: HubDecodingError.self) { _ = try await hub.core.getNode(node) }
                #expect(
                    hub.hub.requests.filter { $0.path == "/core/nodes/\(node.id.uuidString.lowercased())" }.count == 1)
            }
            // Cut mid-body (the connection drops after half of it): retried, and the record arrives.
            hub.hub.clearRequests()
            hub.hub.injectFault(Fault(pathPrefix: "/core/nodes/", method: "GET", action: .dropConnection))
            #expect(try await hub.core.getNode(node)?.name == "body-node")
            #expect(hub.hub.requests.filter { $0.path.hasPrefix("/core/nodes/") }.count == 2)
        }
    }

    // MARK: timeouts

    private static let stall = CurlConfiguration.Stall(minimumBytesPerSecond: 1, window: .seconds(1))

    @Test("a stall before the head on a fresh connection: stalled, sent; a GET retried to maxAttempts, a POST once")
    func stallFresh() async throws {
        try await ScriptedServer.with({ _ in .hang }) { server in
            try await Fixtures.withTransport({ $0.timeouts.stall = Self.stall }) { transport in
                let counter = Counting()
                let core = FaultFixtures.core(server.baseURL, transport, counter: counter)
                let error = await #expect(throws: TransportError.self) {
                    _ = try await core.getNode(FaultFixtures.nodeID)
                }
                #expect(error?.code == .stalled)
                #expect(error?.mayHaveReachedServer == true)
                #expect(counter.attempts == 3)
                #expect(server.count("GET", path: FaultFixtures.nodePath) == 3)
                await FaultFixtures.expectCreateSentOnce(core, server, failsWith: .stalled)
            }
        }
    }

    @Test("a stall while connecting (connect timeout longer than the stall window): nothing sent, so a POST is retried")
    func stallWhileConnecting() async throws {
        let listener = try await UnacceptingListener()
        defer { listener.stop() }
        try await Fixtures.withTransport({
            $0.timeouts.stall = Self.stall
            $0.timeouts.connect = .seconds(30)
        }) { transport in
            let counter = Counting()
            let core = FaultFixtures.core("http://127.0.0.1:\(listener.port)", transport, counter: counter)
            let error = await #expect(throws: TransportError.self) {
                try await core.createNode(CreateNode(name: "never-sent"))
            }
            #expect(error?.code == .stalled)
            #expect(error?.mayHaveReachedServer == false)
            #expect(counter.attempts == 3)
        }
    }

    @Test("a stall mid-body on a reused connection: stalled, sent, retried for a GET and then answered")
    func stallReusedMidBody() async throws {
        let tally = AttemptTally()
        let script: FaultFixtures.Script = { request in
            if request.target == "/warm" { return .respond(status: 200, body: "warm") }
            guard tally.next(request) == 1 else { return FaultFixtures.json(FaultFixtures.nodeJSON) }
            let head =
                "HTTP/1.1 200 OK\nContent-Type: application/json\nContent-Length: \(FaultFixtures.nodeJSON.utf8.count)"
            return .rawThenHang(FaultFixtures.raw(head, String(FaultFixtures.nodeJSON.prefix(10))))
        }
        try await ScriptedServer.with(script) { server in
            try await Fixtures.withTransport({ $0.timeouts.stall = Self.stall }) { transport in
                try await transport.expectText("\(server.baseURL)/warm", "warm")
                let counter = Counting()
                let core = FaultFixtures.core(server.baseURL, transport, counter: counter)
                #expect(try await core.getNode(FaultFixtures.nodeID)?.name == "fault-node")
                #expect(counter.attempts == 2)
                #expect(server.count("GET", path: FaultFixtures.nodePath) == 2)
                // The stalled request had reused the warm connection; the retry needed a new one.
                #expect(server.requests.first { $0.target.hasPrefix(FaultFixtures.nodePath) }?.indexOnConnection == 1)
            }
        }
    }

    @Test("request timeouts: fresh and reused connections, a GET retried, a POST sent once")
    func requestTimeouts() async throws {
        let script: FaultFixtures.Script = { request in
            request.target == "/warm" ? .respond(status: 200, body: "warm") : .hang
        }
        for reused in [false, true] {
            try await ScriptedServer.with(script) { server in
                try await Fixtures.withTransport({ $0.timeouts.request = .milliseconds(400) }) { transport in
                    if reused { try await transport.expectText("\(server.baseURL)/warm", "warm") }
                    let counter = Counting()
                    let core = FaultFixtures.core(server.baseURL, transport, counter: counter)
                    let error = await #expect(throws: TransportError.self) {
                        _ = try await core.getNode(FaultFixtures.nodeID)
                    }
                    #expect(error?.code == .requestTimeout)
                    #expect(error?.mayHaveReachedServer == true)
                    #expect(counter.attempts == 3)
                    #expect(server.count("GET", path: FaultFixtures.nodePath) == 3)
                    await FaultFixtures.expectCreateSentOnce(core, server, failsWith: .requestTimeout)
                }
            }
        }
    }

    @Test("a slow but steady body longer than the stall window is not timed out")
    func slowSteadyBody() async throws {
        try await CoreHub.run(.current) { hub in
            for index in 0..<4 { _ = try await hub.core.createNode(CreateNode(name: "slow-node-\(index)")) }
            let transport = Fixtures.transport { $0.timeouts.stall = Self.stall }
            defer { transport.shutdown() }
            let core = CoreClient(
                baseURL: hub.hub.coreURL.absoluteString, auth: hub.auth, transport: transport.with([RetryMiddleware()]))
            // About 2 KiB at 600 bytes per second: more than three stall windows, never a stall.
            hub.hub.injectFault(
                Fault(pathPrefix: "/core/nodes", method: "GET", action: .slowBody(bytesPerSecond: 600)))
            hub.hub.clearRequests()
            let nodes = try await core.getNodes()
            #expect(nodes.items.count == 4)
            #expect(hub.hub.requests.filter { $0.path == "/core/nodes" }.count == 1)
        }
    }
}
