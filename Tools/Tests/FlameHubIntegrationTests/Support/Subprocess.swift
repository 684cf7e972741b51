import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds the external programs the integration tests start (nginx, tinyproxy, openssl).
///
/// Locally a missing program skips the tests that need it; in CI (`CI=true`) those tests run
/// anyway and fail, so a broken CI image can never pass by skipping.
enum TestTools {
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"]?.lowercased() == "true" }

    /// The absolute path of `tool`, searched in `PATH` and the sbin folders (nginx lives there).
    static func path(of tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin", "/usr/local/sbin"]
        return folders.map { "\($0)/\(tool)" }.first { access($0, X_OK) == 0 }
    }

    /// Whether tests needing `tools` should run: always in CI, else only when all are installed.
    static func shouldRun(_ tools: String...) -> Bool {
        isCI || tools.allSatisfy { path(of: $0) != nil }
    }

    /// The path of `tool`, or an error that fails the test.
    static func require(_ tool: String) throws -> String {
        guard let found = path(of: tool) else {
            throw FixtureError("\(tool) is not installed (CI must install it: see .ci/run)")
        }
        return found
    }
}

/// Runs `body` with a fixture from `make` and always tears it down with `stop`, also on failure.
func withFixture<Fixture, Result>(
    _ make: () async throws -> Fixture, stop: (Fixture) async -> Void, _ body: (Fixture) async throws -> Result
) async throws -> Result {
    let fixture = try await make()
    do {
        let result = try await body(fixture)
        await stop(fixture)
        return result
    } catch {
        await stop(fixture)
        throw error
    }
}

/// A failure to set up a test fixture (server, certificate, tool).
struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A child process started with `posix_spawn`, its output going to a file.
final class ChildProcess: Sendable {
    let pid: pid_t
    let name: String
    let outputPath: String
    private let exitStatus = Mutex<Int32?>(nil)

    private init(pid: pid_t, name: String, outputPath: String) {
        self.pid = pid
        self.name = name
        self.outputPath = outputPath
    }

    /// Starts `executable` with `arguments`; stdout and stderr go to `outputPath`.
    static func spawn(_ executable: String, _ arguments: [String], outputPath: String) throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) }
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = (argv + [nil]).withUnsafeBufferPointer { pointers in
            pointers.baseAddress.map { posix_spawn(&pid, executable, &actions, nil, $0, environ) } ?? EINVAL
        }
        guard result == 0 else {
            throw FixtureError("could not start \(executable): \(String(cString: strerror(result)))")
        }
        return ChildProcess(pid: pid, name: executable, outputPath: outputPath)
    }

    /// Runs a program to its end and returns its output; throws with the output on failure.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], in directory: String) async throws -> String {
        let outputPath = "\(directory)/run-\(UInt32.random(in: 0...UInt32.max)).log"
        let process = try spawn(executable, arguments, outputPath: outputPath)
        while process.isRunning { try await Task.sleep(for: .milliseconds(5)) }
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        unlink(outputPath)
        guard process.status == 0 else {
            throw FixtureError(
                "\(executable) \(arguments.joined(separator: " ")) failed (\(process.status ?? -1)): \(output)")
        }
        return output
    }

    /// Whether the process has not exited yet (reaps it when it has).
    var isRunning: Bool {
        exitStatus.withLock { status in
            if status != nil { return false }
            var raw: Int32 = 0
            let result = waitpid(pid, &raw, WNOHANG)
            if result == pid {
                // WIFEXITED / WEXITSTATUS, spelled out (the C macros are not imported).
                status = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
                return false
            }
            if result < 0 {
                status = -1
                return false
            }
            return true
        }
    }

    /// The exit status once the process has exited.
    var status: Int32? { exitStatus.withLock { $0 } }

    /// What the process printed so far.
    var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    /// Sends SIGTERM, then SIGKILL if it is still alive after `grace`, and reaps it.
    func terminate(grace: Duration = .seconds(5)) async {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if isRunning {
            kill(pid, SIGKILL)
            while isRunning { try? await Task.sleep(for: .milliseconds(10)) }
        }
    }
}

/// Loopback ports and files for fixtures.
enum TestNetwork {
    /// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, read back, closed).
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw FixtureError("socket() failed") }
        defer { close(descriptor) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw FixtureError("bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { throw FixtureError("getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        return address
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    static func accepts(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// Waits until `ports` accept connections while `process` runs (generous: loaded CI machines).
    static func waitUntilListening(_ ports: [Int], process: ChildProcess, timeout: Duration = .seconds(20))
        async throws
    {
        let deadline = ContinuousClock.now + timeout
        while !ports.allSatisfy(accepts(port:)) {
            guard process.isRunning else {
                throw FixtureError("\(process.name) exited (\(process.status ?? -1)): \(process.output)")
            }
            guard ContinuousClock.now < deadline else {
                throw FixtureError("\(process.name) did not listen on \(ports) in time: \(process.output)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// A fresh private temporary folder, readable by nginx workers (which may run as `nobody`).
    static func makeTemporaryDirectory(_ prefix: String) throws -> String {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ $0.baseAddress.flatMap(mkdtemp) }) else {
            throw FixtureError("mkdtemp failed")
        }
        let path = String(cString: made)
        chmod(path, 0o755)
        return path
    }

    static func removeDirectory(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
}

/// Resident memory of this process, from `/proc/self/status` (Linux), in bytes.
enum ProcessMemory {
    static func residentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 2, let kilobytes = Int(fields[1]) { return kilobytes * 1024 }
        }
        return nil
    }
}

/// FNV-1a (64-bit): a checksum computed alike by the test server and the tests.
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            value ^= UInt64(byte)
            value &*= 0x0000_0100_0000_01b3
        }
    }

    static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hasher = FNV1a()
        hasher.add(bytes)
        return hasher.value
    }
}

/// A loopback listener that never accepts and whose accept queue is already full, so the
/// kernel drops further SYNs and a new connection hangs until the client's connect timeout.
final class UnacceptingListener: Sendable {
    let port: Int
    private let descriptors: [Int32]

    init() async throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw FixtureError("socket() failed") }
        var address = TestNetwork.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ready = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && listen(listener, 0) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        guard ready else {
            close(listener)
            throw FixtureError("could not set up the unaccepting listener")
        }
        let port = Int(UInt16(bigEndian: address.sin_port))
        var descriptors = [listener]
        // With a backlog of 0 one finished handshake fills the queue; more fillers make sure.
        for _ in 0..<3 {
            let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            guard filler >= 0 else { continue }
            var target = TestNetwork.loopback(port: port)
            _ = withUnsafePointer(to: &target) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(filler, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            descriptors.append(filler)
        }
        self.port = port
        self.descriptors = descriptors
        try await Task.sleep(for: .milliseconds(100))
    }

    func stop() {
        for descriptor in descriptors { close(descriptor) }
    }
}
