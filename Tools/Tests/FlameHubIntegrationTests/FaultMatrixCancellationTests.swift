import FlameHub
import FlameHubEmulator
import Foundation
import HTTPTypes
import Testing

/// The fault matrix, cancellation and download rows: a task cancelled during connect, upload
/// and download stops its transfer, gives back its sockets and file descriptors (counted in
/// `/proc/self/fd`, by peer port or path so that tests beside it do not disturb the count) and
/// leaves no file; an interrupted download retried by the caller ends with the right bytes.
@Suite(
    "Fault matrix: cancellation and downloads", .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/fd")),
    .timeLimit(.minutes(2)))
struct FaultMatrixCancellationTests {
    typealias Counting = TransportRetryIntegrationTests.CountingMiddleware

    private static let bucketFileID = "0b7e6c1d-2f3a-4b5c-8d9e-0f1a2b3c4d5e"

    private static func storage(_ baseURL: String, _ transport: CurlTransport) -> StorageClient {
        StorageClient(
            context: HubContext(
                baseURL: baseURL + "/", service: .storage, auth: nil,
                transport: transport.with([RetryMiddleware(policy: FaultFixtures.policy)]), dialect: .legacy))
    }

    /// Starts `operation`, waits until `started` holds, cancels it and expects `CancellationError`.
    private static func cancelOnce(
        _ what: String, started: @escaping @Sendable () -> Bool,
        _ operation: @escaping @Sendable () async throws -> Void,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let task = Task { try await operation() }
        try await eventually("\(what) under way", timeout: .seconds(20)) { started() }
        task.cancel()
        let result = await task.result
        #expect(throws: CancellationError.self, "\(what)", sourceLocation: sourceLocation) { try result.get() }
    }

    @Test("cancelled during connect: the connecting socket is closed, nothing reached a server")
    func duringConnect() async throws {
        let listener = try await UnacceptingListener()
        defer { listener.stop() }
        let baseline = OpenDescriptors.sockets(toPort: listener.port)
        let base = "http://127.0.0.1:\(listener.port)"
        try await Fixtures.withTransport({ $0.timeouts.connect = .seconds(60) }) { transport in
            try await Self.cancelOnce("a GET", started: { OpenDescriptors.sockets(toPort: listener.port) > baseline }) {
                _ = try await transport.fetch("\(base)/nodes")
            }
            await OpenDescriptors.expectSockets(toPort: listener.port, backTo: baseline)
            let counter = Counting()
            let core = FaultFixtures.core(base, transport, counter: counter)
            let connecting: @Sendable () -> Bool = { OpenDescriptors.sockets(toPort: listener.port) > baseline }
            try await Self.cancelOnce("createNode", started: connecting) {
                _ = try await core.createNode(CreateNode(name: "cancelled"))
            }
            await OpenDescriptors.expectSockets(toPort: listener.port, backTo: baseline)
            #expect(counter.attempts == 1)
        }
    }

    @Test("cancelled during an upload: the request stops, its socket and the uploaded file's descriptor are freed")
    func duringUpload() async throws {
        let folder = try TestNetwork.makeTemporaryDirectory("flamehub-cancel-upload")
        defer { TestNetwork.removeDirectory(folder) }
        let path = "\(folder)/model.bin"
        try Data(patternBytes(count: 4 << 20)).write(to: URL(fileURLWithPath: path))
        try await ScriptedServer.with({ _ in .respond(status: 201, body: "[]") }) { server in
            try await Fixtures.withTransport { transport in
                let storage = Self.storage(server.baseURL, transport)
                // The file part goes first, then a stream part that never ends: the request is
                // under way (connected, bytes sent) when the task is cancelled.
                let endless = AsyncStream<[UInt8]> { continuation in continuation.yield(Array("x".utf8)) }
                let files = [try UploadFile.file(path: path, name: "model.bin"), .stream(endless, name: "endless.bin")]
                try await Self.cancelOnce(
                    "an upload",
                    started: { OpenDescriptors.sockets(toPort: server.port) > 0 }
                ) {
                    _ = try await storage.upload(files, to: "8a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d")
                }
                await OpenDescriptors.expectSockets(toPort: server.port, backTo: 0)
                try await eventually("the upload file closed") { OpenDescriptors.descriptors(of: path) == 0 }
                // The server never got a whole request.
                #expect(server.requests.isEmpty)
                // The handle went back to the pool in a usable state.
                let (response, _) = try await transport.fetch("\(server.baseURL)/after")
                #expect(response.status.code == 201)
            }
        }
    }

    @Test("cancelled during a download: the transfer stops, its socket is freed, no file is left, final or partial")
    func duringDownload() async throws {
        let folder = try TestNetwork.makeTemporaryDirectory("flamehub-cancel-download")
        defer { TestNetwork.removeDirectory(folder) }
        let head = "HTTP/1.1 200 OK\nContent-Type: application/octet-stream\nContent-Length: \(4 << 20)"
        let script: FaultFixtures.Script = { _ in
            .rawThenHang(FaultFixtures.raw(head) + patternBytes(count: 256 << 10))
        }
        try await ScriptedServer.with(script) { server in
            try await Fixtures.withTransport { transport in
                let storage = Self.storage(server.baseURL, transport)
                let destination = "\(folder)/model.bin"
                try await Self.cancelOnce("a download", started: { !filesIn(folder).isEmpty }) {
                    try await storage.downloadBucketFile(Self.bucketFileID, to: destination)
                }
                #expect(filesIn(folder) == [])
                await OpenDescriptors.expectSockets(toPort: server.port, backTo: 0)
                #expect(server.requests.count == 1)
            }
        }
    }

    @Test("a download cut mid-body: receiveFailed, no file; the caller's retry ends with the right bytes")
    func interruptedDownloadRetried() async throws {
        let folder = try TestNetwork.makeTemporaryDirectory("flamehub-interrupted-download")
        defer { TestNetwork.removeDirectory(folder) }
        let content = patternBytes(count: 3 << 20, seed: 42)
        let head = "HTTP/1.1 200 OK\nContent-Type: application/octet-stream\nContent-Length: \(content.count)"
        let tally = AttemptTally()
        let script: FaultFixtures.Script = { request in
            let bytes = FaultFixtures.raw(head) + (tally.next(request) == 1 ? Array(content.prefix(1 << 20)) : content)
            return .raw(bytes)
        }
        try await ScriptedServer.with(script) { server in
            try await Fixtures.withTransport { transport in
                let storage = Self.storage(server.baseURL, transport)
                let destination = "\(folder)/model.bin"
                let error = await #expect(throws: TransportError.self) {
                    try await storage.downloadBucketFile(Self.bucketFileID, to: destination)
                }
                #expect(error?.code == .receiveFailed)
                #expect(error?.mayHaveReachedServer == true)
                #expect(filesIn(folder) == [])
                // A streamed download is not retried behind the caller's back: one request.
                #expect(server.requests.count == 1)

                let written = try await storage.downloadBucketFile(Self.bucketFileID, to: destination)
                #expect(written == Int64(content.count))
                #expect(filesIn(folder) == ["model.bin"])
                let downloaded = try [UInt8](Data(contentsOf: URL(fileURLWithPath: destination)))
                #expect(Digest.of(downloaded) == Digest.of(content))
                #expect(server.requests.count == 2)
            }
        }
    }

    @Test("the emulator drops a bucket-file download: retried by the middleware or by the caller, the file matches")
    func emulatorDroppedDownload() async throws {
        let folder = try TestNetwork.makeTemporaryDirectory("flamehub-emulator-download")
        defer { TestNetwork.removeDirectory(folder) }
        try await CoreHub.run(.current) { hub in
            let bucket = try await hub.storage.createBucket(CreateBucket(name: "fault-download"))
            let content = patternBytes(count: 2 << 20, seed: 9)
            let uploaded = try await hub.storage.upload([.bytes(content, name: "weights.bin")], to: bucket)
            let file = try #require(uploaded.first)
            let destination = "\(folder)/weights.bin"
            hub.hub.clearRequests()
            hub.hub.injectFault(Fault(pathPrefix: "/storage/bucket-files/", method: "GET", action: .dropConnection))
            // Dropped before the first stream buffer (1 MiB) was full, the head had not been
            // handed out: the middleware retries. Dropped later, the caller was already writing:
            // it gets receiveFailed, no file, and retries itself.
            do {
                try await hub.storage.downloadBucketFile(file, to: destination)
            } catch let error as TransportError {
                #expect(error.code == .receiveFailed)
                #expect(error.mayHaveReachedServer)
                #expect(filesIn(folder) == [])
                try await hub.storage.downloadBucketFile(file, to: destination)
            }
            #expect(filesIn(folder) == ["weights.bin"])
            let downloaded = try [UInt8](Data(contentsOf: URL(fileURLWithPath: destination)))
            #expect(Digest.of(downloaded) == Digest.of(content))
            #expect(hub.hub.requests.filter { $0.path.hasPrefix("/storage/bucket-files/") }.count == 2)
        }
    }
}
