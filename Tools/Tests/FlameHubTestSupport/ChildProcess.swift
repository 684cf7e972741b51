import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failure to set up a test fixture (server, certificate, tool, subprocess).
public struct FixtureError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A child process started with `posix_spawn`, its output going to files.
///
/// The tests never use Foundation's `Process`: on Linux its `run()` reads past a `dirent` while
/// it lists `/proc/self/fd` and crashes now and then (swift-corelibs-foundation PR #5472, still in
/// Swift 6.3.1), which took down a whole CI run.
public final class ChildProcess: Sendable {
    public let pid: pid_t
    public let name: String
    public let outputPath: String
    private let exitStatus = Mutex<Int32?>(nil)

    private init(pid: pid_t, name: String, outputPath: String) {
        self.pid = pid
        self.name = name
        self.outputPath = outputPath
    }

    /// Starts `executable` with `arguments`.
    ///
    /// - Parameters:
    ///   - environment: the child's whole environment; `nil` passes this process' own.
    ///   - inputPath: the file the child reads as standard input.
    ///   - outputPath: where standard output goes (appended).
    ///   - errorPath: where standard error goes; `nil` sends it to `outputPath` too.
    ///   - errorDescriptor: a descriptor of ours that becomes the child's standard error (a
    ///     terminal, say); it wins over `errorPath`.
    public static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
        inputPath: String = "/dev/null", outputPath: String, errorPath: String? = nil,
        errorDescriptor: Int32? = nil
    ) throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inputPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        if let errorDescriptor {
            posix_spawn_file_actions_adddup2(&actions, errorDescriptor, 2)
        } else if let errorPath {
            posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        closeInheritedDescriptors(&actions)
        let argv = ([executable] + arguments).map { strdup($0) }
        defer { argv.forEach { free($0) } }
        let envp = environment.map { $0.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } }
        defer { envp?.forEach { free($0) } }
        var pid: pid_t = 0
        let result = (argv + [nil]).withUnsafeBufferPointer { arguments in
            guard let argv = arguments.baseAddress else { return EINVAL }
            guard let envp else { return posix_spawn(&pid, executable, &actions, nil, argv, environ) }
            return (envp + [nil]).withUnsafeBufferPointer { variables in
                variables.baseAddress.map { posix_spawn(&pid, executable, &actions, nil, argv, $0) } ?? EINVAL
            }
        }
        guard result == 0 else {
            throw FixtureError("could not start \(executable): \(String(cString: strerror(result)))")
        }
        return ChildProcess(pid: pid, name: executable, outputPath: outputPath)
    }

    /// Runs a program to its end and returns its output; throws with the output on failure.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], in directory: String) async throws -> String {
        let outputPath = "\(directory)/run-\(UInt32.random(in: 0...UInt32.max)).log"
        let process = try spawn(executable, arguments, outputPath: outputPath)
        let status = await process.waitForExit()
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        unlink(outputPath)
        guard status == 0 else {
            throw FixtureError("\(executable) \(arguments.joined(separator: " ")) failed (\(status)): \(output)")
        }
        return output
    }

    /// Waits for the process to exit, without blocking a thread of the concurrency pool, and
    /// returns its exit status (128 + the signal's number when a signal ended it).
    public func waitForExit() async -> Int32 {
        while isRunning { try? await Task.sleep(for: .milliseconds(5)) }
        return status ?? -1
    }

    /// Whether the process has not exited yet (reaps it when it has).
    public var isRunning: Bool {
        exitStatus.withLock { status in
            if status != nil { return false }
            var raw: Int32 = 0
            let result = waitpid(pid, &raw, WNOHANG)
            if result == pid {
                // WIFEXITED / WEXITSTATUS, spelled out (the C macros are not imported).
                status = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
                return false
            }
            if result < 0 && errno != EINTR {
                status = -1
                return false
            }
            return true
        }
    }

    /// The exit status once the process has exited.
    public var status: Int32? { exitStatus.withLock { $0 } }

    /// What the process printed so far.
    public var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    /// Sends SIGTERM, then SIGKILL if it is still alive after `grace`, and reaps it.
    public func terminate(grace: Duration = .seconds(5)) async {
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

    /// Keeps the test process' other descriptors (sockets, terminals, files of parallel tests)
    /// out of the child, as Foundation's `Process` does: a child holding a terminal's replica
    /// open would keep its reader from ever seeing the end. glibc (2.34+) has a file action for
    /// it that Swift does not import, so it is looked up by name; macOS has a spawn flag instead.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        #if os(Linux)
            typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
            else { return }
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
        #endif
    }
}
