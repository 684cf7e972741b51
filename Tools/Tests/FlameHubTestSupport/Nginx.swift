import Foundation

/// A real nginx started by a test in its own temporary folder (`-p <dir> -c <conf>`, in the
/// foreground), listening on free loopback ports, stopped afterwards.
///
/// The plain server serves files from ``www`` (gzip on for `text/plain`) and logs
/// `$connection $connection_requests $request_method $uri $status $body_bytes_sent $server_protocol`
/// per request, so tests can
/// count the connections the client really opened. With ``TestCertificates`` it also runs
/// four TLS servers: the right certificate, a certificate for another host name, one that
/// requires a client certificate (mTLS), and an expired certificate.
public final class NginxServer: Sendable {
    public struct TLSPorts: Sendable {
        /// Certificate for `localhost` and `127.0.0.1`, signed by the test CA; TLS 1.2 and 1.3,
        /// HTTP/2 offered by ALPN; serves ``NginxServer/www`` too.
        public let valid: Int
        /// Certificate for `other.invalid` only, signed by the test CA; TLS 1.2 only.
        public let mismatched: Int
        /// Like ``valid`` but requires a client certificate signed by the test CA.
        public let mutual: Int
        /// A `localhost` certificate signed by the test CA that expired in 2020.
        public let expired: Int
    }

    /// One line of the access log.
    public struct LogEntry: Sendable, Equatable {
        public let connection: Int
        public let method: String
        public let uri: String
        public let status: Int
        public let bytesSent: Int
        /// `HTTP/1.1` or `HTTP/2.0`.
        public let protocolVersion: String
    }

    public let directory: String
    public let port: Int
    public let tlsPorts: TLSPorts?
    private let process: ChildProcess

    public var baseURL: String { "http://127.0.0.1:\(port)" }
    public var www: String { "\(directory)/www" }

    private init(directory: String, port: Int, tlsPorts: TLSPorts?, process: ChildProcess) {
        self.directory = directory
        self.port = port
        self.tlsPorts = tlsPorts
        self.process = process
    }

    /// Runs `body` with a started nginx and stops it afterwards, whatever happens.
    public static func with<T>(certificates: TestCertificates? = nil, _ body: (NginxServer) async throws -> T)
        async throws -> T
    {
        try await withFixture({ try await start(certificates: certificates) }, stop: { await $0.stop() }, body)
    }

    public static func start(certificates: TestCertificates? = nil) async throws -> NginxServer {
        let nginx = try TestTools.require("nginx")
        var lastError: (any Error)?
        // A port picked as free can be taken before nginx binds it: try again with new ones.
        for _ in 0..<3 {
            let directory = try TestNetwork.makeTemporaryDirectory("flamehub-nginx")
            do {
                return try await start(nginx: nginx, directory: directory, certificates: certificates)
            } catch {
                lastError = error
                TestNetwork.removeDirectory(directory)
            }
        }
        throw lastError ?? FixtureError("nginx did not start")
    }

    private static func start(nginx: String, directory: String, certificates: TestCertificates?) async throws
        -> NginxServer
    {
        let port = try TestNetwork.freePort()
        let tlsPorts = try certificates.map { _ in
            TLSPorts(
                valid: try TestNetwork.freePort(), mismatched: try TestNetwork.freePort(),
                mutual: try TestNetwork.freePort(), expired: try TestNetwork.freePort())
        }
        mkdir("\(directory)/www", 0o755)
        var servers = """
              server {
                listen 127.0.0.1:\(port);
                root \(directory)/www;
                location / { }
              }

            """
        if let certificates, let tlsPorts {
            servers += """
                  server {
                    listen 127.0.0.1:\(tlsPorts.valid) ssl http2;
                    ssl_protocols TLSv1.2 TLSv1.3;
                    ssl_certificate \(certificates.serverCertificate);
                    ssl_certificate_key \(certificates.serverKey);
                    root \(directory)/www;
                    location = / { return 200 "tls ok\\n"; }
                    location / { }
                  }
                  server {
                    listen 127.0.0.1:\(tlsPorts.mismatched) ssl;
                    ssl_protocols TLSv1.2;
                    ssl_certificate \(certificates.otherHostCertificate);
                    ssl_certificate_key \(certificates.otherHostKey);
                    location / { return 200 "wrong host ok\\n"; }
                  }
                  server {
                    listen 127.0.0.1:\(tlsPorts.mutual) ssl;
                    ssl_protocols TLSv1.2 TLSv1.3;
                    ssl_certificate \(certificates.serverCertificate);
                    ssl_certificate_key \(certificates.serverKey);
                    ssl_client_certificate \(certificates.caCertificate);
                    ssl_verify_client on;
                    location / { return 200 "mtls ok $ssl_client_s_dn\\n"; }
                  }
                  server {
                    listen 127.0.0.1:\(tlsPorts.expired) ssl;
                    ssl_protocols TLSv1.2 TLSv1.3;
                    ssl_certificate \(certificates.expiredCertificate);
                    ssl_certificate_key \(certificates.expiredKey);
                    location / { return 200 "expired ok\\n"; }
                  }

                """
        }
        let configuration = """
            worker_processes 1;
            pid \(directory)/nginx.pid;
            error_log \(directory)/error.log warn;
            events { worker_connections 1024; }
            http {
              log_format conn '$connection $connection_requests $request_method $uri $status $body_bytes_sent $server_protocol';
              access_log \(directory)/access.log conn;
              client_body_temp_path \(directory)/client_body;
              proxy_temp_path \(directory)/proxy;
              fastcgi_temp_path \(directory)/fastcgi;
              uwsgi_temp_path \(directory)/uwsgi;
              scgi_temp_path \(directory)/scgi;
              default_type text/plain;
              types { text/plain txt; application/octet-stream bin; }
              sendfile on;
              keepalive_timeout 120s;
              # A paused consumer on a loaded 2-core machine may not read for a minute; nginx's
              # default 60 s would cut the stream mid-body and fail a test for the machine's load.
              send_timeout 600s;
              keepalive_requests 100000;
              gzip on;
              gzip_types text/plain;
              gzip_min_length 256;
              gzip_comp_level 1;
            \(servers)}

            """
        let configurationPath = "\(directory)/nginx.conf"
        try TestNetwork.write(configuration, to: configurationPath)
        let process = try ChildProcess.spawn(
            nginx,
            ["-p", directory, "-e", "\(directory)/error.log", "-c", configurationPath, "-g", "daemon off;"],
            outputPath: "\(directory)/stdout.log")
        let ports = [port] + (tlsPorts.map { [$0.valid, $0.mismatched, $0.mutual, $0.expired] } ?? [])
        do {
            try await TestNetwork.waitUntilListening(ports, process: process)
        } catch {
            await process.terminate()
            let log = (try? String(contentsOfFile: "\(directory)/error.log", encoding: .utf8)) ?? ""
            throw FixtureError("\(error); error.log: \(log)")
        }
        return NginxServer(directory: directory, port: port, tlsPorts: tlsPorts, process: process)
    }

    public func stop() async {
        await process.terminate()
        TestNetwork.removeDirectory(directory)
    }

    /// Writes a file to serve under `/<name>`.
    public func serve(_ bytes: [UInt8], as name: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: "\(www)/\(name)"))
    }

    /// Serves a sparse file of `size` zero bytes (costs no disk or memory here).
    public func serveZeros(size: Int, as name: String) throws {
        let descriptor = open("\(www)/\(name)", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw FixtureError("cannot create \(name)") }
        defer { close(descriptor) }
        guard ftruncate(descriptor, off_t(size)) == 0 else { throw FixtureError("cannot size \(name)") }
    }

    /// The access log, once it has at least `count` lines for `uri` (nginx logs after it sent
    /// the response, so a test may look a moment before the line is written).
    public func accessLog(waitingFor count: Int, uri: String) async throws -> [LogEntry] {
        let deadline = ContinuousClock.now + .seconds(20)
        while true {
            let entries = readAccessLog().filter { $0.uri == uri }
            if entries.count >= count || ContinuousClock.now >= deadline { return entries }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    private func readAccessLog() -> [LogEntry] {
        let text = (try? String(contentsOfFile: "\(directory)/access.log", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count == 7, let connection = Int(fields[0]), let status = Int(fields[4]),
                let bytesSent = Int(fields[5])
            else { return nil }
            return LogEntry(
                connection: connection, method: String(fields[2]), uri: String(fields[3]), status: status,
                bytesSent: bytesSent, protocolVersion: String(fields[6]))
        }
    }
}
