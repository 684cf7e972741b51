import Foundation

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
public enum TestTools {
    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"]?.lowercased() == "true" }

    /// The absolute path of `tool`, searched in `PATH` and the sbin folders (nginx lives there).
    public static func path(of tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin", "/usr/local/sbin"]
        return folders.map { "\($0)/\(tool)" }.first { access($0, X_OK) == 0 }
    }

    /// Whether tests needing `tools` should run: always in CI, else only when all are installed.
    public static func shouldRun(_ tools: String...) -> Bool {
        isCI || tools.allSatisfy { path(of: $0) != nil }
    }

    /// The path of `tool`, or an error that fails the test.
    public static func require(_ tool: String) throws -> String {
        guard let found = path(of: tool) else {
            throw FixtureError("\(tool) is not installed (CI must install it: see .ci/run)")
        }
        return found
    }
}

/// Runs `body` with a fixture from `make` and always tears it down with `stop`, also on failure.
public func withFixture<Fixture, Result>(
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

/// Loopback ports and files for fixtures.
public enum TestNetwork {
    /// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, read back, closed).
    public static func freePort() throws -> Int {
        let (descriptor, port) = try boundSocket()
        close(descriptor)
        return port
    }

    /// Runs `body` with a port of 127.0.0.1 that refuses connections: bound but never listening,
    /// and held until `body` returns, so no other test can start a server on it meanwhile.
    public static func withRefusingPort<Result>(_ body: (Int) async throws -> Result) async throws -> Result {
        let (descriptor, port) = try boundSocket()
        defer { close(descriptor) }
        return try await body(port)
    }

    /// A TCP socket bound to a free port of 127.0.0.1, and that port.
    private static func boundSocket() throws -> (descriptor: Int32, port: Int) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw FixtureError("socket() failed") }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named =
            bound == 0
            && withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
            } == 0
        guard named else {
            close(descriptor)
            throw FixtureError("bind() or getsockname() failed")
        }
        return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
    }

    public static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        return address
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    public static func accepts(port: Int) -> Bool {
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
    public static func waitUntilListening(_ ports: [Int], process: ChildProcess, timeout: Duration = .seconds(20))
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
    public static func makeTemporaryDirectory(_ prefix: String) throws -> String {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ $0.baseAddress.flatMap(mkdtemp) }) else {
            throw FixtureError("mkdtemp failed")
        }
        let path = String(cString: made)
        chmod(path, 0o755)
        return path
    }

    public static func removeDirectory(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    public static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
}

/// Resident memory of this process, from `/proc/self/status` (Linux), in bytes.
public enum ProcessMemory {
    public static func residentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 2, let kilobytes = Int(fields[1]) { return kilobytes * 1024 }
        }
        return nil
    }
}

/// FNV-1a (64-bit): a checksum computed alike by the test server and the tests.
public struct FNV1a {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func add(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            value ^= UInt64(byte)
            value &*= 0x0000_0100_0000_01b3
        }
    }

    public static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hasher = FNV1a()
        hasher.add(bytes)
        return hasher.value
    }
}

/// A loopback listener that never accepts and whose accept queue is already full, so the
/// kernel drops further SYNs and a new connection hangs until the client's connect timeout.
public final class UnacceptingListener: Sendable {
    public let port: Int
    private let descriptors: [Int32]

    public init() async throws {
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

    public func stop() {
        for descriptor in descriptors { close(descriptor) }
    }
}

/// Deterministic pseudo-random bytes (xorshift), so uploads are not trivially
/// compressible; cheap, unlike `SystemRandomNumberGenerator`, which makes a system call a value.
public func patternBytes(count: Int, seed: UInt64 = 0x9e37_79b9_7f4a_7c15) -> [UInt8] {
    var state = seed
    var bytes = [UInt8](repeating: 0, count: count)
    for index in 0..<count {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        bytes[index] = UInt8(truncatingIfNeeded: state)
    }
    return bytes
}
