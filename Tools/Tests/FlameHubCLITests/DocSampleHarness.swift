import FlameHub
import FlameHubEmulator
import FlameHubTestSupport
import Foundation
import Synchronization
import Testing

/// What each sample of the README and the DocC articles runs with (DocSamples.generated.swift,
/// written by Tools/scripts/doc-samples): an emulator of one generation and the values the
/// articles assume, made as <doc:ClientsAndAuthentication> makes them.
enum DocSample {
    /// The `output` of the streaming samples: counts what it is given.
    final class Sink: Sendable {
        private let count = Mutex(0)
        var bytes: Int { count.withLock { $0 } }
        func write(_ chunk: some Sequence<UInt8>) throws {
            let length = chunk.underestimatedCount
            count.withLock { $0 += length }
        }
    }

    typealias Body = (
        _ hub: String, _ auth: PasswordAuth, _ authClient: AuthClient, _ core: CoreClient, _ storage: StorageClient,
        _ transport: CurlTransport, _ chunks: AsyncStream<[UInt8]>, _ output: Sink, _ dir: String
    ) async throws -> Void

    /// Runs `body` against a new emulator of `generation`, in a new folder holding `files`
    /// (relative paths; one ending in `/` is a folder with one file in it).
    static func run(_ generation: HubGeneration, files: [String], _ body: Body) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("flamehub-sample-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        for file in files {
            let url = dir.appendingPathComponent(file)
            if file.hasSuffix("/") {
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
                try Data("a sample file\n".utf8).write(to: url.appendingPathComponent("sample.txt"))
            } else {
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data("a,b\n1,2\n".utf8).write(to: url)
            }
        }
        let emulator = try await HubEmulator.start(generation: generation)
        let hub = emulator.baseURL.absoluteString
        let auth = PasswordAuth(username: "admin", password: "start123", baseURL: hub + "auth/")
        let chunks = AsyncStream<[UInt8]> { continuation in
            continuation.yield(Array("chunk one\n".utf8))
            continuation.yield(Array("chunk two\n".utf8))
            continuation.finish()
        }
        do {
            try await body(
                hub, auth, AuthClient(baseURL: hub + "auth/", auth: auth),
                CoreClient(baseURL: hub + "core/", auth: auth),
                StorageClient(baseURL: hub + "storage/", auth: auth), CurlTransport.shared, chunks, Sink(), dir.path)
        } catch {
            await emulator.stop()
            throw error
        }
        await emulator.stop()
    }

    /// A `Package.swift` fragment of the docs: each product it names is a library of the root package.
    static func checkManifestFragment(products: [String]) throws {
        let manifest = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Package.swift")
        let text = try String(contentsOf: manifest, encoding: .utf8)
        #expect(!products.isEmpty)
        for product in products {
            #expect(text.contains(".library(name: \"\(product)\""), "the root package has no library \(product)")
        }
    }

    /// The repository's root.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
}

@Suite("The generated samples file")
struct DocSamplesFreshness {
    /// Tools/scripts/doc-samples --check: the samples file matches the README and the articles.
    @Test func samplesAreCurrent() async throws {
        let scratch = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let output = scratch.appendingPathComponent("output").path
        let script = DocSample.repository.appendingPathComponent("Tools/scripts/doc-samples").path
        let child = try ChildProcess.spawn("/usr/bin/env", ["python3", script, "--check"], outputPath: output)
        let status = await child.waitForExit()
        #expect(status == 0, "\(child.output)")
    }
}
