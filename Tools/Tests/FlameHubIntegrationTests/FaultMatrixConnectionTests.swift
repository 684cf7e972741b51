import FlameHub
import HTTPTypes
import Testing

/// The fault matrix, connection rows: a broken network or a server that breaks HTTP, through
/// `CurlTransport` (behind the retry middleware) and through `CoreClient`. Each row states the
/// outcome, `mayHaveReachedServer` and how many requests the server received.
@Suite("Fault matrix: connections")
struct FaultMatrixConnectionTests {
    typealias Counting = TransportRetryIntegrationTests.CountingMiddleware

    @Test("refused connection: connectionFailed, nothing sent, so even a POST is retried up to maxAttempts")
    func refusedConnection() async throws {
        try await TestNetwork.withRefusingPort { port in
            try await refusedConnection(base: "http://127.0.0.1:\(port)")
        }
    }

    private func refusedConnection(base: String) async throws {
        try await Fixtures.withTransport { transport in
            let counter = Counting()
            let client = transport.with([RetryMiddleware(policy: FaultFixtures.policy), counter])
            let error = await #expect(throws: TransportError.self) { _ = try await client.fetch("\(base)/nodes") }
            #expect(error?.code == .connectionFailed)
            #expect(error?.mayHaveReachedServer == false)
            #expect(counter.attempts == 3)

            let coreCounter = Counting()
            let core = FaultFixtures.core(base, transport, counter: coreCounter)
            let createError = await #expect(throws: TransportError.self) {
                try await core.createNode(CreateNode(name: "never-sent"))
            }
            #expect(createError?.code == .connectionFailed)
            #expect(createError?.mayHaveReachedServer == false)
            #expect(coreCounter.attempts == 3)
        }
    }

    @Test("unresolvable host (.invalid): couldNotResolveHost, nothing sent, retried, one clear error")
    func unresolvableHost() async throws {
        let base = "http://hub.flamehub-fault-matrix.invalid"
        try await Fixtures.withTransport({ $0.timeouts.connect = .seconds(5) }) { transport in
            let counter = Counting()
            let client = transport.with([RetryMiddleware(policy: FaultFixtures.policy), counter])
            let error = await #expect(throws: TransportError.self) { _ = try await client.fetch("\(base)/nodes") }
            #expect(error?.code == .couldNotResolveHost)
            #expect(error?.mayHaveReachedServer == false)
            #expect(error?.description.contains("hub.flamehub-fault-matrix.invalid") == true)
            #expect(counter.attempts == 3)

            let coreCounter = Counting()
            let core = FaultFixtures.core(base, transport, counter: coreCounter)
            let getError = await #expect(throws: TransportError.self) {
                _ = try await core.getNode(FaultFixtures.nodeID)
            }
            #expect(getError?.code == .couldNotResolveHost)
            #expect(coreCounter.attempts == 3)
        }
    }

    /// A server whose first answer to each `METHOD target` is `failure`, the later ones the node.
    private func failingOnce(_ failure: ScriptedServer.Action) -> FaultFixtures.Script {
        let tally = AttemptTally()
        return { request in tally.next(request) == 1 ? failure : FaultFixtures.json(FaultFixtures.nodeJSON) }
    }

    /// The ways a fresh connection can break after the request went out, each with the code the
    /// transport reports: reset before any answer, in the middle of the head, in the middle of the
    /// body, a body that ends before its `Content-Length`, a broken chunked body.
    enum Break: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case resetBeforeHead, resetDuringHead, resetMidBody, truncatedBody, brokenChunks, unterminatedChunks

        var testDescription: String { rawValue }

        var action: ScriptedServer.Action {
            switch self {
            case .resetBeforeHead: .close
            case .resetDuringHead: .raw(Array("HTTP/1.1 200 OK\r\nContent-Type: applic".utf8))
            case .resetMidBody:
                .raw(
                    FaultFixtures.raw(
                        "HTTP/1.1 200 OK\nContent-Type: application/json\nContent-Length: \(FaultFixtures.nodeJSON.utf8.count)",
                        String(FaultFixtures.nodeJSON.prefix(40))))
            case .truncatedBody:
                // The head promises more than comes, and the server then closes: a cut body.
                .raw(
                    FaultFixtures.raw(
                        "HTTP/1.1 200 OK\nContent-Type: application/json\nContent-Length: 4096",
                        FaultFixtures.nodeJSON))
            case .brokenChunks:
                .raw(
                    FaultFixtures.raw(
                        "HTTP/1.1 200 OK\nContent-Type: application/json\nTransfer-Encoding: chunked",
                        "10\r\n{\"id\":\"6f1c2a4e\"\r\nzz\r\nnot hex\r\n"))
            case .unterminatedChunks:
                .raw(
                    FaultFixtures.raw(
                        "HTTP/1.1 200 OK\nContent-Type: application/json\nTransfer-Encoding: chunked",
                        "10\r\n{\"id\":\"6f1c2a4e\"\r\n"))
            }
        }
    }

    @Test(
        "a connection breaking after the request: a GET is retried and succeeds, a POST is not",
        arguments: Break.allCases)
    func breaks(_ kind: Break) async throws {
        try await ScriptedServer.with(failingOnce(kind.action)) { server in
            try await Fixtures.withTransport { transport in
                // Through the transport, a caller streaming the body: the transport hands the head
                // out as soon as it is complete. If the break came first, the attempt failed and
                // is retried; if the head was out already, the break is the caller's, reported as
                // receiveFailed (sent) and not retried behind its back.
                let counter = Counting()
                let client = transport.with([RetryMiddleware(policy: FaultFixtures.policy), counter])
                do {
                    let (response, bytes) = try await client.fetch("\(server.baseURL)/streamed")
                    #expect(response.status.code == 200)
                    #expect(String(decoding: bytes, as: UTF8.self) == FaultFixtures.nodeJSON)
                    #expect(counter.attempts == 2)
                    #expect(server.count("GET", "/streamed") == 2)
                } catch let error as TransportError {
                    #expect(kind != .resetBeforeHead && kind != .resetDuringHead)
                    #expect(error.code == .receiveFailed)
                    #expect(error.mayHaveReachedServer)
                    #expect(counter.attempts == 1)
                    #expect(server.count("GET", "/streamed") == 1)
                }

                // Through the client: the SDK reads the record whole, so every break is retried.
                let coreCounter = Counting()
                let core = FaultFixtures.core(server.baseURL, transport, counter: coreCounter)
                let node = try await core.getNode(FaultFixtures.nodeID)
                #expect(node?.name == "fault-node")
                // A reset before any answer on the connection the fetch above left open is resent by
                // libcurl itself on a fresh one (within one attempt); the others by the middleware.
                #expect(coreCounter.attempts == (kind == .resetBeforeHead ? 1 : 2))
                #expect(server.count("GET", path: FaultFixtures.nodePath) == 2)

                // A POST that broke after it was sent is never sent again.
                await FaultFixtures.expectCreateSentOnce(core, server, failsWith: .receiveFailed)
            }
        }
    }

    @Test("a reused connection dying under a GET: libcurl's fresh connection answers it; a POST is refused once")
    func reusedConnectionDies() async throws {
        // Every connection answers its first request and dies under the second.
        let script: FaultFixtures.Script = { request in
            request.indexOnConnection == 0 ? FaultFixtures.json(FaultFixtures.nodeJSON) : .close
        }
        try await ScriptedServer.with(script) { server in
            try await Fixtures.withTransport { transport in
                let counter = Counting()
                let core = FaultFixtures.core(server.baseURL, transport, counter: counter)
                for _ in 0..<2 {
                    let node = try await core.getNode(FaultFixtures.nodeID)
                    #expect(node?.name == "fault-node")
                }
                // The second GET went out twice (the dead connection, then a fresh one) within
                // one attempt of the middleware.
                #expect(counter.attempts == 2)
                #expect(server.count("GET", path: FaultFixtures.nodePath) == 3)
                await FaultFixtures.expectCreateSentOnce(core, server, failsWith: .receiveFailed)
            }
        }
    }

    @Test("garbage instead of HTTP: invalidResponse, sent, not retried (a broken server, not a flaky link)")
    func garbage() async throws {
        try await ScriptedServer.with({ _ in .raw(Array("220 smtp.example ESMTP ready\r\n".utf8)) }) { server in
            try await Fixtures.withTransport { transport in
                let counter = Counting()
                let core = FaultFixtures.core(server.baseURL, transport, counter: counter)
                let error = await #expect(throws: TransportError.self) {
                    _ = try await core.getNode(FaultFixtures.nodeID)
                }
                #expect(error?.code == .invalidResponse)
                #expect(error?.mayHaveReachedServer == true)
                #expect(error?.description.contains("not HTTP") == true)
                #expect(counter.attempts == 1)
                #expect(server.count("GET", path: FaultFixtures.nodePath) == 1)
            }
        }
    }
}
