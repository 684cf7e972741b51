import FlameHub
import FlameHubEmulator
import FlameHubTestSupport
import Foundation
import Testing

/// `--cacert`, `--cert`/`--key`, `--proxy` and `--no-proxy` against real nginx and tinyproxy —
/// the fixtures the integration tests use too (FlameHubTestSupport). nginx
/// serves a static `core/nodes` list over TLS; a token and `--generation` spare it the login and
/// the detection request, which a static server cannot answer.
@Suite("flamehub TLS and proxy flags against nginx and tinyproxy")
struct CLITransportTests {
    static let emptyList = #"{"data":[],"meta":{"total":0,"limit":50,"offset":0}}"#

    /// `flamehub nodes list --json` against `hub` with a static token and no proxy from the machine.
    func listNodes(_ hub: String, _ flags: [String], environment: [String: String] = [:]) async throws -> CLIResult {
        try await CLIRunner.run(
            ["nodes", "list", "--json", "--hub", hub, "--generation", "current", "--retries", "0"] + flags,
            environment: ["FLAME_HUB_TOKEN": "a-static-test-token"].merging(environment) { $1 })
    }

    @Test(.enabled(if: TestTools.shouldRun("nginx", "openssl")))
    func cacertTrustsThePrivateAuthority() async throws {
        try await TestCertificates.with { certificates in
            try await NginxServer.with(certificates: certificates) { nginx in
                try FileManager.default.createDirectory(
                    atPath: "\(nginx.www)/core", withIntermediateDirectories: true)
                try nginx.serve(Array(Self.emptyList.utf8), as: "core/nodes")
                let hub = "https://127.0.0.1:\(try #require(nginx.tlsPorts).valid)/"

                let untrusted = try await listNodes(hub, ["--no-proxy"])
                #expect(untrusted.status == 75, "\(untrusted)")
                #expect(untrusted.stderr.lowercased().contains("certificate") || untrusted.stderr.contains("TLS"))

                let trusted = try await listNodes(hub, ["--no-proxy", "--cacert", certificates.caCertificate])
                #expect(trusted.status == 0, "\(trusted)")
                #expect(try trusted.object()["data"] as? [Any] != nil)

                // The same from the environment.
                let fromEnvironment = try await listNodes(
                    hub, ["--no-proxy"], environment: ["FLAME_HUB_CACERT": certificates.caCertificate])
                #expect(fromEnvironment.status == 0, "\(fromEnvironment)")
            }
        }
    }

    /// The mutual-TLS server answers every path with a text line (not a node list), so a presented
    /// certificate shows as an undecodable answer (exit 70); without one nginx refuses the request
    /// (its 400 "No required SSL certificate was sent", exit 65) or the handshake (exit 75).
    @Test(.enabled(if: TestTools.shouldRun("nginx", "openssl")))
    func certAndKeyPresentAClientCertificate() async throws {
        try await TestCertificates.with { certificates in
            try await NginxServer.with(certificates: certificates) { nginx in
                let hub = "https://127.0.0.1:\(try #require(nginx.tlsPorts).mutual)/"
                let trust = ["--no-proxy", "--cacert", certificates.caCertificate]

                let anonymous = try await listNodes(hub, trust)
                #expect(anonymous.status == 65 || anonymous.status == 75, "\(anonymous)")
                #expect(anonymous.stderr.contains("certificate"), "\(anonymous)")

                let presented = try await listNodes(
                    hub, trust + ["--cert", certificates.clientCertificate, "--key", certificates.clientKey])
                #expect(presented.status == 70, "\(presented)")
                #expect(!presented.stderr.contains("No required SSL certificate"), "\(presented)")

                let half = try await listNodes(hub, trust + ["--cert", certificates.clientCertificate])
                #expect(half.status == 64, "\(half)")
                #expect(half.stderr.contains("--key"))
            }
        }
    }

    @Test(.enabled(if: TestTools.shouldRun("tinyproxy")))
    func proxyAndNoProxy() async throws {
        try await TinyproxyServer.with { proxy in
            try await CLIHub.with("current") { hub in
                let arguments = ["nodes", "list", "--json", "--hub", hub.url, "--retries", "0"]

                let proxied = try await CLIRunner.run(
                    arguments + ["--proxy", proxy.url], environment: hub.adminEnvironment)
                #expect(proxied.status == 0, "\(proxied)")
                let viaFlag = proxy.loggedRequests
                #expect(viaFlag.contains { $0.contains("\(hub.url)core/nodes") }, "\(viaFlag)")

                // The machine's proxy variables are honoured, and --no-proxy ignores them.
                let environment = hub.adminEnvironment.merging(["http_proxy": proxy.url, "HTTP_PROXY": proxy.url]) {
                    $1
                }
                let fromEnvironment = try await CLIRunner.run(arguments, environment: environment)
                #expect(fromEnvironment.status == 0, "\(fromEnvironment)")
                let viaEnvironment = proxy.loggedRequests.count
                #expect(viaEnvironment > viaFlag.count)

                let direct = try await CLIRunner.run(arguments + ["--no-proxy"], environment: environment)
                #expect(direct.status == 0, "\(direct)")
                #expect(proxy.loggedRequests.count == viaEnvironment)

                // A proxy that is not there is a network failure, named as such.
                let refused = try await TestNetwork.withRefusingPort { port in
                    try await CLIRunner.run(
                        arguments + ["--proxy", "http://127.0.0.1:\(port)"], environment: hub.adminEnvironment)
                }
                #expect(refused.status == 75, "\(refused)")
            }
        }
    }
}
