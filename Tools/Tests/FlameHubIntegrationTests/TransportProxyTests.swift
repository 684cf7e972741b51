import FlameHub
import HTTPTypes
import Testing

/// Proxying through a real tinyproxy on loopback.
@Suite("Proxy through tinyproxy", .enabled(if: TestTools.shouldRun("tinyproxy")))
struct TransportProxyTests {
    @Test("requests go through an explicit proxy: Via names it and its log has the request")
    func throughProxy() async throws {
        try await TinyproxyServer.with { proxy in
            try await TestHTTPServer.with { server in
                try await Fixtures.withTransport({ $0.proxy = .explicit(.init(url: proxy.url)) }) { transport in
                    let (response, body) = try await transport.fetch("\(server.baseURL)/headers")
                    #expect(response.status.code == 200)
                    #expect(response.headerFields[.via]?.contains(TinyproxyServer.viaName) == true)
                    let seen = String(decoding: body, as: UTF8.self)
                    #expect(seen.contains("via: 1.1 \(TinyproxyServer.viaName)"))
                }
                #expect(proxy.loggedRequests.contains { $0.contains("GET \(server.baseURL)/headers") })
            }
        }
    }

    @Test(
        "https through the proxy: a CONNECT tunnel to nginx, verified with the private CA",
        .enabled(if: TestTools.shouldRun("nginx", "openssl")))
    func httpsThroughProxy() async throws {
        try await TinyproxyServer.with { proxy in
            try await TestCertificates.with { certificates in
                try await NginxServer.with(certificates: certificates) { nginx in
                    let ports = try #require(nginx.tlsPorts)
                    try await Fixtures.withTransport({
                        $0.proxy = .explicit(.init(url: proxy.url))
                        $0.tls.trustRoots = .file(certificates.caCertificate)
                    }) { transport in
                        try await transport.expectText("https://localhost:\(ports.valid)/", "tls ok\n")
                    }
                    #expect(proxy.loggedRequests.contains { $0.contains("CONNECT localhost:\(ports.valid)") })
                }
            }
        }
    }

    @Test("NO_PROXY hosts bypass the proxy")
    func noProxyBypasses() async throws {
        try await TinyproxyServer.with { proxy in
            try await TestHTTPServer.with { server in
                try await Fixtures.withTransport({
                    $0.proxy = .explicit(.init(url: proxy.url, noProxy: "example.invalid,127.0.0.1"))
                }) { transport in
                    let (response, body) = try await transport.fetch("\(server.baseURL)/headers")
                    #expect(response.status.code == 200)
                    #expect(response.headerFields[.via] == nil)
                    #expect(!String(decoding: body, as: UTF8.self).contains("via:"))
                }
                #expect(!proxy.loggedRequests.contains { $0.contains(server.baseURL) })
            }
        }
    }

    @Test("a proxy that is down gives proxyFailure naming the proxy, without its password")
    func proxyDown() async throws {
        // Held bound while the test runs: a port free a moment ago can become the test server's.
        try await TestNetwork.withRefusingPort { port in
            try await TestHTTPServer.with { server in
                try await Fixtures.withTransport({
                    $0.proxy = .explicit(.init(url: "http://robot:pr0xy-pa55@127.0.0.1:\(port)"))
                }) { transport in
                    let error = await #expect(throws: TransportError.self) {
                        _ = try await transport.fetch("\(server.baseURL)/hello")
                    }
                    #expect(error?.code == .proxyFailure)
                    #expect(error?.mayHaveReachedServer == false)
                    #expect(error?.message.contains("proxy http://127.0.0.1:\(port)") == true)
                    #expect(error?.description.contains("pr0xy-pa55") == false)
                }
            }
        }
    }
}
