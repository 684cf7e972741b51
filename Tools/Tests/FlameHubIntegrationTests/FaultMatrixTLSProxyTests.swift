import FlameHub
import HTTPTypes
import Testing

/// The fault matrix, TLS rows against a real nginx: each certificate problem is a `tlsFailure`
/// whose text names the problem, nothing of the request sent; verification is off only when
/// the configuration says so.
@Suite("Fault matrix: TLS", .enabled(if: TestTools.shouldRun("nginx", "openssl")), .timeLimit(.minutes(2)))
struct FaultMatrixTLSTests {
    typealias Counting = TransportRetryIntegrationTests.CountingMiddleware

    private func withTLS(_ body: (TestCertificates, NginxServer.TLSPorts) async throws -> Void) async throws {
        try await TestCertificates.with { certificates in
            try await NginxServer.with(certificates: certificates) { nginx in
                try await body(certificates, try #require(nginx.tlsPorts))
            }
        }
    }

    @Test("unknown CA, expired certificate, host name mismatch: three tlsFailures with three different texts")
    func certificateProblems() async throws {
        try await withTLS { certificates, ports in
            // The unknown CA: no trust roots given, the system's do not know the test CA.
            let cases: [(name: String, url: String, trustsCA: Bool, names: [String])] = [
                ("unknown CA", "https://localhost:\(ports.valid)", false, ["issuer", "self-signed", "self signed"]),
                ("expired", "https://localhost:\(ports.expired)", true, ["expired"]),
                ("host name mismatch", "https://localhost:\(ports.mismatched)", true, ["name", "match"]),
            ]
            var messages: Set<String> = []
            for item in cases {
                try await Fixtures.withTransport({
                    if item.trustsCA { $0.tls.trustRoots = .file(certificates.caCertificate) }
                }) { transport in
                    let counter = Counting()
                    let core = FaultFixtures.core(item.url, transport, counter: counter)
                    let error = await #expect(throws: TransportError.self, "\(item.name)") {
                        _ = try await core.getNode(FaultFixtures.nodeID)
                    }
                    #expect(error?.code == .tlsFailure, "\(item.name)")
                    #expect(error?.mayHaveReachedServer == false, "\(item.name)")
                    let message = error?.message.lowercased() ?? ""
                    #expect(item.names.contains { message.contains($0) }, "\(item.name): \(message)")
                    messages.insert(message)
                    // A certificate problem is not transient: one attempt.
                    #expect(counter.attempts == 1, "\(item.name)")
                }
            }
            #expect(messages.count == 3)
        }
    }

    @Test("verification is off only when asked: the expired and the unknown-CA servers are then accepted")
    func verificationOffWhenAsked() async throws {
        try await withTLS { _, ports in
            try await Fixtures.withTransport({ $0.tls.verifyPeer = false }) { transport in
                try await transport.expectText("https://localhost:\(ports.expired)/", "expired ok\n")
                try await transport.expectText("https://localhost:\(ports.valid)/", "tls ok\n")
            }
            try await Fixtures.withTransport { transport in
                let error = await #expect(throws: TransportError.self) {
                    _ = try await transport.fetch("https://localhost:\(ports.expired)/")
                }
                #expect(error?.code == .tlsFailure)
            }
        }
    }

    @Test("client certificate required and missing: nginx's 400, a HubAPIError that says so through the client")
    func clientCertificateMissing() async throws {
        try await withTLS { certificates, ports in
            try await Fixtures.withTransport({ $0.tls.trustRoots = .file(certificates.caCertificate) }) { transport in
                let counter = Counting()
                let core = FaultFixtures.core("https://localhost:\(ports.mutual)", transport, counter: counter)
                let error = await #expect(throws: HubAPIError.self) {
                    _ = try await core.getNode(FaultFixtures.nodeID)
                }
                #expect(error?.status == 400)
                #expect(error?.description.contains("No required SSL certificate was sent") == true)
                #expect(counter.attempts == 1)
            }
        }
    }
}

/// The fault matrix, proxy rows against a real tinyproxy: a proxy that is down, one that
/// requires credentials (with and without them), and `NO_PROXY`.
@Suite("Fault matrix: proxy", .enabled(if: TestTools.shouldRun("tinyproxy")), .timeLimit(.minutes(2)))
struct FaultMatrixProxyTests {
    typealias Counting = TransportRetryIntegrationTests.CountingMiddleware

    @Test("a proxy that is down: proxyFailure, nothing sent, retried; through the client the same error")
    func proxyDown() async throws {
        // Held bound while the test runs: a port free a moment ago can become a test server's.
        try await TestNetwork.withRefusingPort { port in
            try await ScriptedServer.with({ _ in FaultFixtures.json(FaultFixtures.nodeJSON) }) { server in
                try await Fixtures.withTransport({ $0.proxy = .explicit(.init(url: "http://127.0.0.1:\(port)")) }) {
                    transport in
                    let counter = Counting()
                    let core = FaultFixtures.core(server.baseURL, transport, counter: counter)
                    let error = await #expect(throws: TransportError.self) {
                        try await core.createNode(CreateNode(name: "never-sent"))
                    }
                    #expect(error?.code == .proxyFailure)
                    #expect(error?.mayHaveReachedServer == false)
                    #expect(counter.attempts == 3)
                    #expect(server.requests.isEmpty)
                }
            }
        }
    }

    @Test("a proxy requiring credentials: answered with them, a clear 407 without, the password never shown")
    func proxyCredentials() async throws {
        try await TinyproxyServer.with(basicAuth: (user: "robot", password: "pr0xy-pa55")) { proxy in
            try await ScriptedServer.with({ _ in FaultFixtures.json(FaultFixtures.nodeJSON) }) { server in
                let withCredentials = "http://robot:pr0xy-pa55@127.0.0.1:\(proxy.port)"
                try await Fixtures.withTransport({ $0.proxy = .explicit(.init(url: withCredentials)) }) { transport in
                    let counter = Counting()
                    let core = FaultFixtures.core(server.baseURL, transport, counter: counter)
                    let node = try await core.getNode(FaultFixtures.nodeID)
                    #expect(node?.name == "fault-node")
                    #expect(server.count("GET", path: FaultFixtures.nodePath) == 1)
                }
                try await Fixtures.withTransport({ $0.proxy = .explicit(.init(url: proxy.url)) }) { transport in
                    let counter = Counting()
                    let core = FaultFixtures.core(server.baseURL, transport, counter: counter)
                    let error = await #expect(throws: HubAPIError.self) {
                        _ = try await core.getNode(FaultFixtures.nodeID)
                    }
                    #expect(error?.status == 407)
                    #expect(counter.attempts == 1)
                    // The proxy refused it: the server never saw a second request.
                    #expect(server.count("GET", path: FaultFixtures.nodePath) == 1)
                }
                let wrong = "http://robot:wr0ng-pa55@127.0.0.1:\(proxy.port)"
                try await Fixtures.withTransport({ $0.proxy = .explicit(.init(url: wrong)) }) { transport in
                    let (response, _) = try await transport.fetch("\(server.baseURL)/direct")
                    // tinyproxy answers wrong credentials with 401, missing ones with 407.
                    #expect([401, 407].contains(response.status.code))
                    #expect(server.count("GET", "/direct") == 0)
                }
            }
        }
    }

    @Test("NO_PROXY: the listed host bypasses a proxy that is down, other hosts fail at the proxy")
    func noProxy() async throws {
        // Held bound while the test runs: a port free a moment ago can become a test server's.
        try await TestNetwork.withRefusingPort { port in
            try await ScriptedServer.with({ _ in FaultFixtures.json(FaultFixtures.nodeJSON) }) { server in
                try await Fixtures.withTransport({
                    $0.proxy = .explicit(.init(url: "http://127.0.0.1:\(port)", noProxy: "127.0.0.1"))
                }) { transport in
                    let counter = Counting()
                    let core = FaultFixtures.core(server.baseURL, transport, counter: counter)
                    let node = try await core.getNode(FaultFixtures.nodeID)
                    #expect(node?.name == "fault-node")
                    #expect(counter.attempts == 1)
                    let error = await #expect(throws: TransportError.self) {
                        _ = try await transport.fetch("http://localhost:\(server.port)/elsewhere")
                    }
                    #expect(error?.code == .proxyFailure)
                }
            }
        }
    }
}
