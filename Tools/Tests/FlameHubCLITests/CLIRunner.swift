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

    /// A child that exits before reading its standard input must not kill the test process.
    private static let ignoreBrokenPipes: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// A scratch directory, also the subprocess' HOME and XDG_CONFIG_HOME.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("flamehub-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs `flamehub arguments…` and waits for it without blocking a thread of the concurrency pool
    /// (the in-process emulator serves the requests on that pool).
    /// Serialises the launches of this test module (`Process.run()`).
    static let launching = NSLock()

    static func run(
        _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil, home: URL? = nil,
        stderrTerminal: Bool = false
    ) async throws -> CLIResult {
        _ = ignoreBrokenPipes
        let scratch = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let stdoutURL = scratch.appendingPathComponent("stdout")
        let stderrURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let homePath = (home ?? scratch).path
        process.environment =
            ["PATH": "/usr/bin:/bin", "HOME": homePath, "XDG_CONFIG_HOME": homePath, "LANG": "C.UTF-8"]
            .merging(environment) { $1 }
        let stdoutHandle = try FileHandle(forWritingTo: stdoutURL)
        process.standardOutput = stdoutHandle
        let input = Pipe()
        process.standardInput = input

        let terminal = stderrTerminal ? try PseudoTerminal() : nil
        let reading = terminal?.startReading()
        let stderrHandle =
            try terminal.map { FileHandle(fileDescriptor: $0.replica, closeOnDealloc: false) }
            ?? FileHandle(forWritingTo: stderrURL)
        process.standardError = stderrHandle

        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                // Foundation's Process.run() is not safe to call from several threads at once on
                // Linux (a concurrent launch crashed in its memmove); tests launch in parallel.
                CLIRunner.launching.lock()
                defer { CLIRunner.launching.unlock() }
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
                return
            }
            if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
            try? input.fileHandleForWriting.close()
        }
        try? stdoutHandle.close()
        let stderr: String
        if let terminal, let reading {
            // The child has exited; closing our replica lets the reader see the end.
            close(terminal.replica)
            stderr = await reading.value
        } else {
            try? stderrHandle.close()
            stderr = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
        }
        return CLIResult(
            status: status, stdout: (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "", stderr: stderr)
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
