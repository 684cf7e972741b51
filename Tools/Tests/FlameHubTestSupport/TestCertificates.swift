import Foundation

/// A throwaway PKI made with `openssl` at test time in a temporary folder: a CA, a server
/// certificate for `localhost`/`127.0.0.1`, one for another host name, and a client certificate,
/// all signed by the CA (EC P-256 keys, valid two days); and one for `localhost` that expired
/// in 2020.
public final class TestCertificates: Sendable {
    public let directory: String

    public var caCertificate: String { "\(directory)/ca.crt" }
    public var caKey: String { "\(directory)/ca.key" }
    public var serverCertificate: String { "\(directory)/server.crt" }
    public var serverKey: String { "\(directory)/server.key" }
    public var otherHostCertificate: String { "\(directory)/other.crt" }
    public var otherHostKey: String { "\(directory)/other.key" }
    public var clientCertificate: String { "\(directory)/client.crt" }
    public var clientKey: String { "\(directory)/client.key" }
    public var expiredCertificate: String { "\(directory)/expired.crt" }
    public var expiredKey: String { "\(directory)/expired.key" }

    private init(directory: String) {
        self.directory = directory
    }

    /// Runs `body` with fresh certificates and removes them afterwards.
    public static func with<T>(_ body: (TestCertificates) async throws -> T) async throws -> T {
        try await withFixture({ try await make() }, stop: { TestNetwork.removeDirectory($0.directory) }, body)
    }

    public static func make() async throws -> TestCertificates {
        let openssl = try TestTools.require("openssl")
        let directory = try TestNetwork.makeTemporaryDirectory("flamehub-pki")
        let certificates = TestCertificates(directory: directory)
        do {
            try await certificates.generate(openssl)
        } catch {
            TestNetwork.removeDirectory(directory)
            throw error
        }
        return certificates
    }

    private func generate(_ openssl: String) async throws {
        let run = { (arguments: [String]) in _ = try await ChildProcess.run(openssl, arguments, in: self.directory) }
        let ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try await run(
            ["req", "-x509"] + ecKey + [
                "-keyout", caKey, "-out", caCertificate, "-days", "2", "-subj", "/CN=FlameHub Test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            ])
        let leaves: [(name: String, subject: String, extensions: String)] = [
            ("server", "/CN=localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"),
            ("other", "/CN=other.invalid", "subjectAltName=DNS:other.invalid\nextendedKeyUsage=serverAuth\n"),
            ("client", "/CN=flamehub-test-client", "extendedKeyUsage=clientAuth\n"),
        ]
        for leaf in leaves {
            let base = "\(directory)/\(leaf.name)"
            try TestNetwork.write(leaf.extensions, to: "\(base).ext")
            try await run(
                ["req", "-new"] + ecKey + ["-keyout", "\(base).key", "-out", "\(base).csr", "-subj", leaf.subject])
            try await run([
                "x509", "-req", "-in", "\(base).csr", "-CA", caCertificate, "-CAkey", caKey, "-CAcreateserial",
                "-CAserial", "\(directory)/ca.srl", "-out", "\(base).crt", "-days", "2", "-extfile", "\(base).ext",
            ])
        }
        try await generateExpired(openssl)
    }

    /// A `localhost` certificate valid only on 1 January 2020: `openssl ca` can back-date, which
    /// `openssl x509 -days` cannot.
    private func generateExpired(_ openssl: String) async throws {
        let run = { (arguments: [String]) in _ = try await ChildProcess.run(openssl, arguments, in: self.directory) }
        let base = "\(directory)/expired"
        try TestNetwork.write("", to: "\(directory)/index.txt")
        try TestNetwork.write("1000\n", to: "\(directory)/expired.srl")
        try TestNetwork.write(
            """
            [ ca ]
            default_ca = test
            [ test ]
            database = \(directory)/index.txt
            new_certs_dir = \(directory)
            serial = \(directory)/expired.srl
            default_md = sha256
            policy = any
            unique_subject = no
            [ any ]
            commonName = supplied
            [ leaf ]
            subjectAltName = DNS:localhost,IP:127.0.0.1
            extendedKeyUsage = serverAuth

            """, to: "\(directory)/ca.cnf")
        try await run([
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
            "\(base).key", "-out", "\(base).csr", "-subj", "/CN=localhost",
        ])
        try await run([
            "ca", "-batch", "-config", "\(directory)/ca.cnf", "-cert", caCertificate, "-keyfile", caKey, "-in",
            "\(base).csr", "-out", "\(base).crt", "-startdate", "20200101000000Z", "-enddate", "20200102000000Z",
            "-extensions", "leaf", "-notext",
        ])
    }

    /// The `sha256//<base64>` pin of the public key in `certificate`, as libcurl expects it.
    public func pin(ofCertificate certificate: String) async throws -> String {
        let openssl = try TestTools.require("openssl")
        let stem = "\(directory)/pin-\(UInt32.random(in: 0...UInt32.max))"
        try await ChildProcess.run(
            openssl, ["x509", "-in", certificate, "-pubkey", "-noout", "-out", "\(stem).pem"], in: directory)
        try await ChildProcess.run(
            openssl, ["pkey", "-pubin", "-in", "\(stem).pem", "-outform", "der", "-out", "\(stem).der"], in: directory)
        try await ChildProcess.run(
            openssl, ["dgst", "-sha256", "-binary", "-out", "\(stem).bin", "\(stem).der"], in: directory)
        let base64 = try await ChildProcess.run(openssl, ["base64", "-A", "-in", "\(stem).bin"], in: directory)
        return "sha256//" + base64.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public func contents(of path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }
}
