import Foundation

/// A real tinyproxy started by a test: loopback only, on a free port, configured in a temporary
/// folder, in the foreground, stopped afterwards. It names itself in `Via` and logs each request.
public final class TinyproxyServer: Sendable {
    public static let viaName = "flamehub-test-proxy"

    public let directory: String
    public let port: Int
    private let process: ChildProcess

    public var url: String { "http://127.0.0.1:\(port)" }

    private init(directory: String, port: Int, process: ChildProcess) {
        self.directory = directory
        self.port = port
        self.process = process
    }

    /// Runs `body` with a started tinyproxy; with `basicAuth`, the proxy answers 407 to requests
    /// without those credentials.
    public static func with<T>(
        basicAuth: (user: String, password: String)? = nil, _ body: (TinyproxyServer) async throws -> T
    ) async throws -> T {
        try await withFixture({ try await start(basicAuth: basicAuth) }, stop: { await $0.stop() }, body)
    }

    public static func start(basicAuth: (user: String, password: String)? = nil) async throws -> TinyproxyServer {
        let tinyproxy = try TestTools.require("tinyproxy")
        var lastError: (any Error)?
        for _ in 0..<3 {
            let directory = try TestNetwork.makeTemporaryDirectory("flamehub-tinyproxy")
            do {
                let port = try TestNetwork.freePort()
                let configuration = """
                    Port \(port)
                    Listen 127.0.0.1
                    Timeout 30
                    MaxClients 50
                    Allow 127.0.0.1
                    LogFile "\(directory)/tinyproxy.log"
                    LogLevel Info
                    PidFile "\(directory)/tinyproxy.pid"
                    ViaProxyName "\(viaName)"

                    """ + (basicAuth.map { "BasicAuth \($0.user) \($0.password)\n" } ?? "")
                try TestNetwork.write(configuration, to: "\(directory)/tinyproxy.conf")
                let process = try ChildProcess.spawn(
                    tinyproxy, ["-d", "-c", "\(directory)/tinyproxy.conf"], outputPath: "\(directory)/stdout.log")
                do {
                    try await TestNetwork.waitUntilListening([port], process: process)
                } catch {
                    await process.terminate()
                    throw FixtureError("\(error); log: \(Self.log(in: directory))")
                }
                return TinyproxyServer(directory: directory, port: port, process: process)
            } catch {
                lastError = error
                TestNetwork.removeDirectory(directory)
            }
        }
        throw lastError ?? FixtureError("tinyproxy did not start")
    }

    public func stop() async {
        // tinyproxy waits for its idle client threads on SIGTERM; its log is already written.
        await process.terminate(grace: .milliseconds(300))
        TestNetwork.removeDirectory(directory)
    }

    /// The request lines tinyproxy logged (`GET http://… HTTP/1.1`).
    public var loggedRequests: [String] {
        Self.log(in: directory).split(separator: "\n").compactMap { line in
            guard let range = line.range(of: "): "), line.contains("Request (") else { return nil }
            return String(line[range.upperBound...])
        }
    }

    private static func log(in directory: String) -> String {
        (try? String(contentsOfFile: "\(directory)/tinyproxy.log", encoding: .utf8)) ?? ""
    }
}
