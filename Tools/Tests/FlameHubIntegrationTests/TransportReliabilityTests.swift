import FlameHub
import HTTPTypes
import Testing

/// The bodies a request can have, each sent the way the curl transport sends it (POSTFIELDS, a
/// read callback, a mime form).
enum BodyKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case none, bytes, file, stream, multipart, multipartStream

    var testDescription: String { rawValue }

    func make(in folder: String) throws -> RequestBody? {
        let text = "{\"name\":\"my-node\"}"
        switch self {
        case .none:
            return nil
        case .bytes:
            return .string(text, contentType: "application/json")
        case .file:
            let path = "\(folder)/body.json"
            try TestNetwork.write(text, to: path)
            return .file(path: path, contentType: "application/json")
        case .stream:
            return .stream(
                AsyncStream {
                    $0.yield(Array(text.utf8)); $0.finish()
                })
        case .multipart:
            let path = "\(folder)/part.txt"
            try TestNetwork.write("file part", to: path)
            return .multipart(
                MultipartForm([
                    .init(name: "field", content: .bytes(Array(text.utf8))),
                    .init(name: "file", filename: "part.txt", content: .file(path: path)),
                ]))
        case .multipartStream:
            return .multipart(
                MultipartForm([
                    .stream(
                        name: "part",
                        AsyncStream {
                            $0.yield(Array(text.utf8)); $0.finish()
                        })
                ]))
        }
    }
}

/// The first request on each connection is answered and the connection kept; any later one is
/// read whole and the connection then closed without an answer: a server that dies, or drops a
/// kept-alive connection, just after it got the request.
@Sendable private func answersFirstThenDrops(_ request: ScriptedServer.Request) -> ScriptedServer.Action {
    request.indexOnConnection == 0 ? .respond(status: 200, body: "ok \(request.target)") : .close
}

@Suite("A request that is not idempotent reaches the server at most once")
struct TransportAtMostOnceTests {
    typealias Counting = TransportRetryIntegrationTests.CountingMiddleware

    @Test(
        "a POST on a reused connection that dies after the server read it is not re-sent", arguments: BodyKind.allCases)
    func postOnDyingConnection(kind: BodyKind) async throws {
        let folder = try TestNetwork.makeTemporaryDirectory("flamehub-at-most-once")
        defer { TestNetwork.removeDirectory(folder) }
        try await ScriptedServer.with(answersFirstThenDrops) { server in
            try await Fixtures.withTransport { transport in
                // The first request opens the connection the POST reuses (as dialect detection does).
                try await transport.expectText("\(server.baseURL)/hello", "ok /hello")
                let counter = Counting()
                let client = transport.with([
                    RetryMiddleware(policy: RetryPolicy(baseDelay: .milliseconds(10))), counter,
                ])
                let error = await #expect(throws: TransportError.self) {
                    _ = try await client.fetch(
                        "\(server.baseURL)/nodes", method: .post, body: try kind.make(in: folder))
                }
                #expect(error?.code == .receiveFailed)
                #expect(error?.mayHaveReachedServer == true)
                #expect(server.count("POST", "/nodes") == 1)
                #expect(counter.attempts == 1)
            }
        }
    }

    @Test("PATCH and methods the SDK does not know as idempotent are guarded alike", arguments: ["PATCH", "LOCK"])
    func otherMethods(name: String) async throws {
        let method = try #require(HTTPRequest.Method(name))
        try await ScriptedServer.with(answersFirstThenDrops) { server in
            try await Fixtures.withTransport { transport in
                try await transport.expectText("\(server.baseURL)/hello", "ok /hello")
                let error = await #expect(throws: TransportError.self) {
                    _ = try await transport.fetch("\(server.baseURL)/nodes/1", method: method, body: .string("{}"))
                }
                #expect(error?.mayHaveReachedServer == true)
                #expect(server.count(method.rawValue, "/nodes/1") == 1)
            }
        }
    }

    @Test("a GET in the same situation is retried on a fresh connection and succeeds")
    func getIsRetried() async throws {
        try await ScriptedServer.with(answersFirstThenDrops) { server in
            try await Fixtures.withTransport { transport in
                try await transport.expectText("\(server.baseURL)/hello", "ok /hello")
                let client = transport.with([RetryMiddleware(policy: RetryPolicy(baseDelay: .milliseconds(10)))])
                try await client.expectText("\(server.baseURL)/again", "ok /again")
                // The first copy died with its connection; the second came on a new one.
                #expect(server.count("GET", "/again") == 2)
                #expect(server.connections == 2)
            }
        }
    }

    @Test("with retriesNonIdempotentRequests the middleware sends the POST again, as asked")
    func optIn() async throws {
        try await ScriptedServer.with(answersFirstThenDrops) { server in
            try await Fixtures.withTransport { transport in
                try await transport.expectText("\(server.baseURL)/hello", "ok /hello")
                let policy = RetryPolicy(baseDelay: .milliseconds(10), retriesNonIdempotentRequests: true)
                let client = transport.with([RetryMiddleware(policy: policy)])
                let result = try await client.text("\(server.baseURL)/nodes", method: .post, body: .string("{}"))
                #expect(result.status == 200)
                #expect(server.count("POST", "/nodes") == 2)
            }
        }
    }

    @Test("a POST read on a reused connection and never answered times out as requestTimeout, not re-sent")
    func requestTimeoutOnReusedConnection() async throws {
        let script: @Sendable (ScriptedServer.Request) -> ScriptedServer.Action = { request in
            request.indexOnConnection == 0 ? .respond(status: 200, body: "ok") : .hang
        }
        try await ScriptedServer.with(script) { server in
            try await Fixtures.withTransport({ $0.timeouts.request = .milliseconds(500) }) { transport in
                _ = try await transport.text("\(server.baseURL)/hello")
                let counter = Counting()
                let policy = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10))
                let client = transport.with([RetryMiddleware(policy: policy), counter])
                let error = await #expect(throws: TransportError.self) {
                    _ = try await client.fetch("\(server.baseURL)/nodes", method: .post, body: .string("{}"))
                }
                #expect(error?.code == .requestTimeout)
                #expect(error?.mayHaveReachedServer == true)
                #expect(counter.attempts == 1)
                #expect(server.count("POST", "/nodes") == 1)
                #expect(server.connections == 1)
            }
        }
    }

    @Test("a fresh connection to a listener that never accepts is a connectTimeout: nothing sent, so retried")
    func connectTimeoutOnFreshConnection() async throws {
        let listener = try await UnacceptingListener()
        defer { listener.stop() }
        try await Fixtures.withTransport({ $0.timeouts.connect = .milliseconds(300) }) { transport in
            let counter = Counting()
            let policy = RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(10))
            let client = transport.with([RetryMiddleware(policy: policy), counter])
            let error = await #expect(throws: TransportError.self) {
                _ = try await client.fetch(
                    "http://127.0.0.1:\(listener.port)/nodes", method: .post, body: .string("{}"))
            }
            #expect(error?.code == .connectTimeout)
            #expect(error?.mayHaveReachedServer == false)
            #expect(counter.attempts == 2)
        }
    }

    @Test("CoreClient.createNode after dialect detection: the server gets one POST /nodes")
    func createNodeOnce() async throws {
        let script: @Sendable (ScriptedServer.Request) -> ScriptedServer.Action = { request in
            if request.target == "/" {
                return .respond(
                    status: 200, body: #"{"version":"0.14.0"}"#, headers: ["Content-Type: application/json"])
            }
            return .close
        }
        try await ScriptedServer.with(script) { server in
            try await Fixtures.withTransport { transport in
                let core = CoreClient(
                    context: HubContext(
                        baseURL: "\(server.baseURL)/", service: .core, auth: nil,
                        transport: transport.with([RetryMiddleware(policy: RetryPolicy(baseDelay: .milliseconds(10)))]),
                        dialect: nil))
                let error = await #expect(throws: TransportError.self) {
                    try await core.createNode(CreateNode(name: "my-node"))
                }
                #expect(error?.mayHaveReachedServer == true)
                #expect(server.count("GET", "/") == 1)
                #expect(server.count("POST", "/nodes") == 1)
            }
        }
    }
}

@Suite("Answers that are not what HTTP promises")
struct TransportBadAnswerTests {
    @Test("garbage instead of a status line is invalidResponse, and may have reached the server")
    func garbage() async throws {
        try await ScriptedServer.with({ _ in .raw(Array("SSH-2.0-OpenSSH_9.6\r\n\r\n".utf8)) }) { server in
            try await Fixtures.withTransport { transport in
                let client = transport.with([RetryMiddleware(policy: RetryPolicy(baseDelay: .milliseconds(10)))])
                let error = await #expect(throws: TransportError.self) {
                    _ = try await client.fetch("\(server.baseURL)/nodes", method: .post, body: .string("{}"))
                }
                #expect(error?.code == .invalidResponse)
                #expect(error?.mayHaveReachedServer == true)
                #expect(server.count("POST", "/nodes") == 1)
            }
        }
    }

    @Test("a status line of an unknown HTTP version is invalidResponse")
    func unknownVersion() async throws {
        try await ScriptedServer.with({ _ in .raw(Array("HTTP/7.3 200 OK\r\n\r\n".utf8)) }) { server in
            try await Fixtures.withTransport { transport in
                let error = await #expect(throws: TransportError.self) {
                    _ = try await transport.fetch("\(server.baseURL)/nodes")
                }
                #expect(error?.code == .invalidResponse)
                #expect(error?.mayHaveReachedServer == true)
            }
        }
    }

    @Test("a Content-Length over the collect cap is refused at the head, without waiting for the body")
    func declaredLengthOverCap() async throws {
        let script: @Sendable (ScriptedServer.Request) -> ScriptedServer.Action = { request in
            if request.target == "/hello" { return .respond(status: 200, body: "hello") }
            // Declares 100 MiB, sends 1 KiB of it, then nothing: reading up to the cap would hang.
            let head =
                "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: \(100 << 20)\r\n\r\n"
            return .rawThenHang(Array(head.utf8) + [UInt8](repeating: 0x61, count: 1024))
        }
        try await ScriptedServer.with(script) { server in
            try await Fixtures.withTransport({ $0.timeouts.request = .seconds(20) }) { transport in
                let clock = ContinuousClock()
                let start = clock.now
                let error = await #expect(throws: TransportError.self) {
                    _ = try await transport.fetch("\(server.baseURL)/big", limit: 1 << 20)
                }
                #expect(error?.code == .bodyTooLarge)
                #expect(clock.now - start < .seconds(10))
                // The aborted transfer left the transport usable.
                try await transport.expectText("\(server.baseURL)/hello", "hello")
            }
        }
    }

    @Test("a streamed body whose Content-Length is exactly the cap is read whole")
    func declaredLengthAtCap() async throws {
        let body = String(repeating: "x", count: 2 << 20)
        try await ScriptedServer.with({ _ in .respond(status: 200, body: body) }) { server in
            try await Fixtures.withTransport { transport in
                let (_, bytes) = try await transport.fetch("\(server.baseURL)/exact", limit: 2 << 20)
                #expect(bytes.count == 2 << 20)
            }
        }
    }
}
