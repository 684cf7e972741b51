import FlameHubTestSupport
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The result of one `flamehub` run.
struct CLIResult: CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String

    /// `stdout` parsed as JSON.
    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(stdout.utf8), options: [.fragmentsAllowed])
    }

    /// `stdout` as a JSON object.
    func object() throws -> [String: Any] {
        guard let object = try json() as? [String: Any] else { throw CLIRunner.Failure("not a JSON object: \(stdout)") }
        return object
    }

    var description: String { "exit \(status)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }
}

/// Runs the built `flamehub` executable as a subprocess, with an environment of our own (no
/// proxy variables, no configuration file of the machine's user).
enum CLIRunner {
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// The `flamehub` binary next to the test bundle (the build products directory).
    static let executable: String = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent(),
            URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? "/")
                .deletingLastPathComponent(),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/debug"),
        ]
        for directory in candidates {
            var url = directory
            // Swift Testing may run from inside an .xctest bundle directory.
            while url.path != "/" {
                let binary = url.appendingPathComponent("flamehub").path
                if FileManager.default.isExecutableFile(atPath: binary) { return binary }
                if url.pathExtension != "xctest" && url.lastPathComponent != "Contents"
                    && url.lastPathComponent != "MacOS"
                {
                    break
                }
                url.deleteLastPathComponent()
            }
        }
        return candidates[2].appendingPathComponent("flamehub").path
    }()

    /// A scratch directory, also the subprocess' HOME and XDG_CONFIG_HOME.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("flamehub-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs `flamehub arguments…` and waits for it without blocking a thread of the concurrency pool
    /// (the in-process emulator serves the requests on that pool).
    static func run(
        _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil, home: URL? = nil,
        stderrTerminal: Bool = false
    ) async throws -> CLIResult {
        let scratch = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let stdoutPath = scratch.appendingPathComponent("stdout").path
        let stderrPath = scratch.appendingPathComponent("stderr").path
        let stdinPath = scratch.appendingPathComponent("stdin").path
        try Data((stdin ?? "").utf8).write(to: URL(fileURLWithPath: stdinPath))
        let homePath = (home ?? scratch).path
        let variables = ["PATH": "/usr/bin:/bin", "HOME": homePath, "XDG_CONFIG_HOME": homePath, "LANG": "C.UTF-8"]
            .merging(environment) { $1 }

        let terminal = stderrTerminal ? try PseudoTerminal() : nil
        let reading = terminal?.startReading()
        let child: ChildProcess
        do {
            child = try ChildProcess.spawn(
                executable, arguments, environment: variables, inputPath: stdinPath, outputPath: stdoutPath,
                errorPath: stderrPath, errorDescriptor: terminal?.replica)
        } catch {
            if let terminal { close(terminal.replica) }
            _ = await reading?.value
            throw error
        }
        let status = await child.waitForExit()
        let stderr: String
        if let terminal, let reading {
            // The child has exited; closing our replica lets the reader see the end.
            close(terminal.replica)
            stderr = await reading.value
        } else {
            stderr = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        }
        return CLIResult(
            status: status, stdout: (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "", stderr: stderr)
    }
}

/// A pseudo-terminal pair from `openpty`: the child writes to the replica (so `isatty` is true
/// there), we read what it wrote from the primary side.
struct PseudoTerminal: Sendable {
    let primary: Int32
    let replica: Int32

    init() throws {
        var primary: Int32 = -1
        var replica: Int32 = -1
        guard openpty(&primary, &replica, nil, nil, nil) == 0 else {
            throw CLIRunner.Failure("openpty failed: \(errno)")
        }
        // Children spawned in parallel must not inherit them, or the reader would wait for those.
        _ = fcntl(primary, F_SETFD, FD_CLOEXEC)
        _ = fcntl(replica, F_SETFD, FD_CLOEXEC)
        self.primary = primary
        self.replica = replica
    }

    /// Reads the primary side until every replica descriptor is closed (read then fails with
    /// EIO), on a dispatch thread: the reads block, the concurrency pool must not.
    func startReading() -> Task<String, Never> {
        let primary = primary
        return Task {
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    var collected: [UInt8] = []
                    var buffer = [UInt8](repeating: 0, count: 4096)
                    while true {
                        let count = buffer.withUnsafeMutableBytes { read(primary, $0.baseAddress, $0.count) }
                        if count < 0 && errno == EINTR { continue }
                        guard count > 0 else { break }
                        collected.append(contentsOf: buffer[0..<count])
                    }
                    close(primary)
                    continuation.resume(returning: String(decoding: collected, as: UTF8.self))
                }
            }
        }
    }
}
