import FlameHub
import Foundation
import HTTPTypes
import Testing

/// TLS through `CurlTransport` against a real nginx, with a CA, server and client certificates
/// made by `openssl` for this run.
@Suite("TLS against nginx", .enabled(if: TestTools.shouldRun("nginx", "openssl")))
struct TransportTLSTests {
    private func withTLS(_ body: (TestCertificates, NginxServer, NginxServer.TLSPorts) async throws -> Void)
        async throws
    {
        try await TestCertificates.with { certificates in
            try await NginxServer.with(certificates: certificates) { nginx in
                let ports = try #require(nginx.tlsPorts)
                try await body(certificates, nginx, ports)
            }
        }
    }

    @Test("a server signed by a trusted CA is accepted: CA file, in-memory PEM, hashed directory")
    func trustedCA() async throws {
        try await withTLS { certificates, _, ports in
            try await Fixtures.withTransport({ $0.tls.trustRoots = .file(certificates.caCertificate) }) { transport in
                for host in ["localhost", "127.0.0.1"] {
                    let result = try await transport.text("https://\(host):\(ports.valid)/")
                    #expect(result.status == 200)
                    #expect(result.text == "tls ok\n")
                }
            }
            let pem = try certificates.contents(of: certificates.caCertificate)
            try await Fixtures.withTransport({ $0.tls.trustRoots = .pem(pem) }) { transport in
                try await transport.expectText("https://localhost:\(ports.valid)/", "tls ok\n")
            }
            let hashed = "\(certificates.directory)/hashed"
            mkdir(hashed, 0o755)
            try TestNetwork.write(pem, to: "\(hashed)/ca.pem")
            try await ChildProcess.run(
                try TestTools.require("openssl"), ["rehash", hashed], in: certificates.directory)
            try await Fixtures.withTransport({ $0.tls.trustRoots = .directory(hashed) }) { transport in
                try await transport.expectText("https://localhost:\(ports.valid)/", "tls ok\n")
            }
        }
    }

    @Test("without the CA the server is refused with tlsFailure")
    func untrustedCA() async throws {
        try await withTLS { _, _, ports in
            try await Fixtures.withTransport { transport in
                let error = await #expect(throws: TransportError.self) {
                    _ = try await transport.fetch("https://localhost:\(ports.valid)/")
                }
                #expect(error?.code == .tlsFailure)
                #expect(error?.mayHaveReachedServer == false)
            }
        }
    }

    @Test("a certificate for another host name is refused; only verifyHost = false accepts it")
    func hostnameMismatch() async throws {
        try await withTLS { certificates, _, ports in
            try await Fixtures.withTransport({ $0.tls.trustRoots = .file(certificates.caCertificate) }) { transport in
                for host in ["localhost", "127.0.0.1"] {
                    let error = await #expect(throws: TransportError.self) {
                        _ = try await transport.fetch("https://\(host):\(ports.mismatched)/")
                    }
                    #expect(error?.code == .tlsFailure)
                }
            }
            try await Fixtures.withTransport({
                $0.tls.trustRoots = .file(certificates.caCertificate)
                $0.tls.verifyHost = false
            }) { transport in
                try await transport.expectText("https://localhost:\(ports.mismatched)/", "wrong host ok\n")
            }
        }
    }

    @Test("mutual TLS: accepted with the client certificate (files or PEM), refused without")
    func mutualTLS() async throws {
        try await withTLS { certificates, _, ports in
            let url = "https://localhost:\(ports.mutual)/"
            try await Fixtures.withTransport({
                $0.tls.trustRoots = .file(certificates.caCertificate)
                $0.tls.clientCertificate = .init(
                    .files(certificate: certificates.clientCertificate, key: certificates.clientKey))
            }) { transport in
                let result = try await transport.text(url)
                #expect(result.status == 200)
                #expect(result.text.hasPrefix("mtls ok "))
                #expect(result.text.contains("CN=flamehub-test-client"))
            }
            let certificatePEM = try certificates.contents(of: certificates.clientCertificate)
            let keyPEM = try certificates.contents(of: certificates.clientKey)
            try await Fixtures.withTransport({
                $0.tls.trustRoots = .file(certificates.caCertificate)
                $0.tls.clientCertificate = .init(.pem(certificate: certificatePEM, key: keyPEM))
            }) { transport in
                let result = try await transport.text(url)
                #expect(result.text.contains("CN=flamehub-test-client"))
            }
            // Without a certificate nginx completes the handshake and answers 400 ("No required
            // SSL certificate was sent"): the refusal is an HTTP response, not a TLS error.
            try await Fixtures.withTransport({ $0.tls.trustRoots = .file(certificates.caCertificate) }) { transport in
                let result = try await transport.text(url)
                #expect(result.status == 400)
                #expect(result.text.contains("No required SSL certificate was sent"))
            }
        }
    }

    @Test("a pinned public key accepts the server's key and rejects any other")
    func pinning() async throws {
        try await withTLS { certificates, _, ports in
            let serverPin = try await certificates.pin(ofCertificate: certificates.serverCertificate)
            let otherPin = try await certificates.pin(ofCertificate: certificates.caCertificate)
            #expect(serverPin != otherPin)
            let url = "https://localhost:\(ports.valid)/"
            for (pin, accepted) in [(serverPin, true), (otherPin, false), ("\(otherPin);\(serverPin)", true)] {
                try await Fixtures.withTransport({
                    $0.tls.trustRoots = .file(certificates.caCertificate)
                    $0.tls.pinnedPublicKey = pin
                }) { transport in
                    if accepted {
                        try await transport.expectText(url, "tls ok\n")
                    } else {
                        let error = await #expect(throws: TransportError.self) { _ = try await transport.fetch(url) }
                        #expect(error?.code == .pinnedKeyMismatch)
                    }
                }
            }
        }
    }

    @Test("HTTP/2 over TLS: concurrent requests and a paused, slowly consumed stream")
    func http2() async throws {
        try await withTLS { certificates, nginx, ports in
            let payload = patternBytes(count: 30_000)
            try nginx.serve(payload, as: "payload.bin")
            try nginx.serveZeros(size: 8 << 20, as: "large.bin")
            try await Fixtures.withTransport({
                $0.tls.trustRoots = .file(certificates.caCertificate)
                $0.httpVersion = .http2
                $0.streamBufferSize = 64 << 10
            }) { transport in
                let statuses = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for index in 0..<32 {
                        group.addTask {
                            let (response, body) = try await transport.fetch(
                                "https://localhost:\(ports.valid)/payload.bin?index=\(index)")
                            return response.status.code == 200 && body == payload
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(statuses.count == 32 && statuses.allSatisfy { $0 })

                let request = try HTTPRequest(method: .get, url: "https://localhost:\(ports.valid)/large.bin")
                let (_, body) = try await transport.send(request, body: nil)
                var received = 0
                var chunks = 0
                for try await chunk in body {
                    received += chunk.count
                    chunks += 1
                    if chunks % 8 == 0 && received < 2 << 20 { try await Task.sleep(for: .milliseconds(5)) }
                }
                #expect(received == 8 << 20)
            }
            let log = try await nginx.accessLog(waitingFor: 32, uri: "/payload.bin")
            #expect(log.count == 32)
            #expect(log.allSatisfy { $0.protocolVersion == "HTTP/2.0" }, "\(log.map(\.protocolVersion))")
        }
    }

    @Test("a TLS 1.3 minimum is met by a TLS 1.3 server and refused by a TLS 1.2-only one")
    func minimumVersion() async throws {
        try await withTLS { certificates, _, ports in
            try await Fixtures.withTransport({
                $0.tls.trustRoots = .file(certificates.caCertificate)
                $0.tls.minimumVersion = .tls1_3
                $0.tls.verifyHost = false
            }) { transport in
                try await transport.expectText("https://localhost:\(ports.valid)/", "tls ok\n")
                let error = await #expect(throws: TransportError.self) {
                    _ = try await transport.fetch("https://localhost:\(ports.mismatched)/")
                }
                #expect(error?.code == .tlsFailure)
            }
        }
    }
}
