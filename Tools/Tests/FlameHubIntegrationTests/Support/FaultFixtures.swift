import FlameHub
import Foundation
import HTTPTypes
import Synchronization
import Testing

/// Shared pieces of the fault matrix: per-target attempt numbers for scripted servers, a node
/// record the scripted servers can answer with, client factories and a socket census.
enum FaultFixtures {
    /// What a scripted server does with each request.
    typealias Script = @Sendable (ScriptedServer.Request) -> ScriptedServer.Action

    /// A fast retry policy for the matrix: short jittered delays, `Retry-After` honoured up to
    /// 10 s but at most 2 s of waiting overall (a far-future `Retry-After` ends the retries).
    static let policy = RetryPolicy(
        maxAttempts: 3, baseDelay: .milliseconds(5), maxDelay: .seconds(10), maxTotalDelay: .seconds(2))

    static let nodeID = "6f1c2a4e-9b7d-4c3e-8a5f-1d2e3f4a5b6c"
    static var nodePath: String { "/nodes/\(nodeID)" }

    /// A legacy (snake_case, bare) node record, as Hub 0.8–0.12 answers `GET /nodes/:id`.
    static let nodeJSON =
        #"{"id":"\#(nodeID)","name":"fault-node","hidden":false,"online":true,"#
        + #""created_at":"2024-05-01T10:00:00.000Z","updated_at":"2024-05-01T10:00:00.000Z"}"#

    /// A core client on `baseURL` with the legacy dialect fixed (no detection request), through
    /// `transport` behind the matrix's retry policy and an attempt counter.
    static func core(
        _ baseURL: String, _ transport: CurlTransport, policy: RetryPolicy = policy,
        counter: TransportRetryIntegrationTests.CountingMiddleware
    ) -> CoreClient {
        CoreClient(
            context: HubContext(
                baseURL: baseURL + "/", service: .core, auth: nil,
                transport: transport.with([RetryMiddleware(policy: policy), counter]), dialect: .legacy))
    }

    /// Expects `createNode` through `core` to fail with `code` after it was sent, and the server
    /// to have received exactly one `POST /nodes`: a create is never sent twice.
    static func expectCreateSentOnce(
        _ core: CoreClient, _ server: ScriptedServer, failsWith code: TransportError.Code,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        let error = await #expect(throws: TransportError.self, sourceLocation: sourceLocation) {
            try await core.createNode(CreateNode(name: "once"))
        }
        #expect(error?.code == code, sourceLocation: sourceLocation)
        #expect(error?.mayHaveReachedServer == true, sourceLocation: sourceLocation)
        #expect(server.count("POST", "/nodes") == 1, sourceLocation: sourceLocation)
    }

    /// `head` + `body` as raw bytes of one HTTP/1.1 answer.
    static func raw(_ head: String, _ body: String = "") -> [UInt8] {
        Array((head.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n\r\n" + body).utf8)
    }

    /// A JSON answer of `body` (a `respond` action with the JSON content type).
    static func json(_ body: String, status: Int = 200) -> ScriptedServer.Action {
        .respond(status: status, body: body, headers: ["Content-Type: application/json; charset=utf-8"])
    }
}

extension ScriptedServer {
    /// How many `method` requests arrived for `path`, whatever their query (the clients add
    /// `include=…` to record reads).
    func count(_ method: String, path: String) -> Int {
        requests.filter { request in
            request.method == method && (request.target == path || request.target.hasPrefix(path + "?"))
        }.count
    }
}

/// Numbers the requests per `METHOD target` (1 for the first), for scripts that fail the first
/// attempts and answer the later ones.
final class AttemptTally: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    func next(_ request: ScriptedServer.Request) -> Int {
        counts.withLock { counts in
            let path = request.target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.target
            let key = "\(request.method) \(path)"
            counts[key, default: 0] += 1
            return counts[key, default: 0]
        }
    }
}

/// What this process holds open: TCP sockets connected to a port (from `/proc/net/tcp` and the
/// socket inodes in `/proc/self/fd`) and descriptors of a file. Counting by peer port or path,
/// never all descriptors, so tests running beside it in the same process do not disturb it.
enum OpenDescriptors {
    /// Sockets of this process whose remote end is 127.0.0.1:`port`.
    static func sockets(toPort port: Int) -> Int {
        let inodes = socketInodes()
        let table = readWhole("/proc/net/tcp")
        var count = 0
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            guard fields.count > 9 else { continue }
            let remote = fields[2].split(separator: ":")
            guard remote.count == 2, Int(remote[1], radix: 16) == port, inodes.contains(String(fields[9])) else {
                continue
            }
            count += 1
        }
        return count
    }

    /// The text of a `/proc` file, read to its end (their reported size is 0, which defeats
    /// readers that trust it).
    private static func readWhole(_ path: String) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return "" }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Descriptors of this process that point at `path`.
    static func descriptors(of path: String) -> Int {
        links().filter { $0 == path }.count
    }

    private static func socketInodes() -> Set<String> {
        Set(
            links().compactMap { target in
                guard target.hasPrefix("socket:["), target.hasSuffix("]") else { return nil }
                return String(target.dropFirst(8).dropLast())
            })
    }

    private static func links() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return names.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)") }
    }

    /// Waits (bounded) until the process holds no more than `baseline` sockets to `port`: the loop
    /// thread closes an aborted connection shortly after the caller saw the cancellation.
    static func expectSockets(
        toPort port: Int, backTo baseline: Int, sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        let settled: Bool? = try? await eventually(
            "sockets to port \(port) back to \(baseline)", timeout: .seconds(10)
        ) { sockets(toPort: port) <= baseline ? true : nil }
        #expect(
            settled == true, "sockets to port \(port): \(sockets(toPort: port)), baseline \(baseline)",
            sourceLocation: sourceLocation)
    }
}

/// The files in `directory` (names only), to show that a failed download left nothing behind.
func filesIn(_ directory: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
}
