import FlameHubCodegen
import FlameHubTestSupport
import Foundation
import Testing

/// The repository checkout this test belongs to: Tools/Tests/FlameHubCodegenTests/<file> → root.
let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// The committed files in Sources/FlameHub/Generated/ are what the generator writes today.
@Suite("Committed generated code")
struct GeneratedFilesTests {
    /// The repository's sources and one generation from them, shared: parsing is slow in debug
    /// builds (half a minute on 2 cores), so it runs once, on a thread of its own. On a pool
    /// thread it held up the in-process servers of every other suite.
    static let work = Task {
        try await OwnThread.run {
            let sources = try Codegen.readSources(repository: repository)
            return (sources: sources, generated: try Codegen.generate(sources))
        }
    }

    @Test func committedFilesMatchAFreshGeneration() async throws {
        let generated = try await Self.work.value.generated
        let committed = try Codegen.readCommitted(repository: repository)
        #expect(!generated.isEmpty)
        for difference in Codegen.differences(generated: generated, committed: committed) {
            Issue.record(
                """
                \(difference)
                Run `swift run --package-path Tools flamehub-codegen` and commit the result.
                """)
        }
    }

    @Test func everyClientHasItsFileAndTheBodiesTheirs() async throws {
        let paths = try await Self.work.value.generated.map(\.path)
        #expect(
            paths == [
                "Sources/FlameHub/Generated/AuthClient+ResourceMethods.swift",
                "Sources/FlameHub/Generated/CoreClient+ResourceMethods.swift",
                "Sources/FlameHub/Generated/ModelDecoders.swift",
                "Sources/FlameHub/Generated/RequestBodies+Initializers.swift",
                "Sources/FlameHub/Generated/StorageClient+ResourceMethods.swift",
                "Sources/FlameHub/Generated/TelemetryClient+ResourceMethods.swift",
            ])
    }

    /// Two runs over the same sources, listed in another order, give the same bytes.
    @Test func generationIsDeterministic() async throws {
        let (sources, generated) = try await Self.work.value
        let reversed = try await OwnThread.run { try Codegen.generate(sources.reversed()) }
        #expect(generated == reversed)
    }

    /// `swift format` with the repository's configuration leaves every generated file as it is.
    @Test(.enabled(if: SwiftFormat.executable != nil, "swift-format is not installed"))
    func generatedFilesAreFormatted() async throws {
        let generated = try await Self.work.value.generated
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("flamehub-codegen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        for file in generated {
            let copy = scratch.appendingPathComponent(URL(fileURLWithPath: file.path).lastPathComponent)
            try Data(file.text.utf8).write(to: copy)
            let formatted = try await SwiftFormat.format(
                copy, configuration: repository.appendingPathComponent(".swift-format"))
            if formatted != file.text {
                let diff = Codegen.lineDiff(file.text, formatted)
                Issue.record("swift format changes \(file.path) (- generated, + formatted):\n\(diff)")
            }
        }
    }
}

/// The toolchain's `swift-format`, found on `PATH`.
enum SwiftFormat {
    static let executable: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").map {
            URL(fileURLWithPath: String($0)).appendingPathComponent("swift-format")
        }
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// The formatted contents of `file` (the file itself is not changed).
    static func format(_ file: URL, configuration: URL) async throws -> String {
        guard let executable else { throw FixtureError("swift-format is not installed") }
        let output = file.path + ".formatted"
        let child = try ChildProcess.spawn(
            executable.path, ["format", "--configuration", configuration.path, file.path], outputPath: output,
            errorPath: "/dev/null")
        let status = await child.waitForExit()
        guard status == 0 else { throw FixtureError("swift format \(file.path) exited with \(status)") }
        return try String(contentsOfFile: output, encoding: .utf8)
    }
}
