import FlameHub
import FlameHubTesting
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import HTTPTypes
import Synchronization
import Testing

/// `StorageClient`: buckets and files, multipart uploads, streamed downloads to memory and disk.
@Suite("StorageClient")
struct StorageClientTests {
    static func storage(_ mock: MockTransport, _ dialect: HubDialect) -> StorageClient {
        StorageClient(
            context: HubContext(
                baseURL: "http://hub.test/storage/", service: .storage, auth: StaticAuth("t"), transport: mock,
                dialect: dialect))
    }

    static func fileRecord(_ path: String, size: Int) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return """
            {"id":"\(CoreFixture.fileID)","name":"\(name)","path":"\(path)","directory":".","size":\(size),\
            "hash":"abc","actorType":"user","actorId":"\(Fixture.userID)","realmId":null,\
            "bucketId":"\(CoreFixture.bucketID)","createdAt":"\(CoreFixture.time)","updatedAt":"\(CoreFixture.time)"}
            """
    }

    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.path + "/flamehub-storage-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test(arguments: [HubDialect.legacy, .current])
    func bucketRequests(dialect: HubDialect) async throws {
        let bucket = """
            {"id":"\(CoreFixture.bucketID)","name":"b1","region":null,"actor_type":"user","actorId":null,\
            "realmId":null,"createdAt":"\(CoreFixture.time)","updatedAt":"\(CoreFixture.time)"}
            """
        let mock = MockTransport()
        mock.enqueue(
            .json(201, bucket), .json(200, Fixture.list([bucket])), .json(200, Fixture.list([])), .json(202, bucket),
            .json(200, Fixture.list([Self.fileRecord("a.txt", size: 1)])), .json(202, Self.fileRecord("a.txt", size: 1))
        )
        let storage = Self.storage(mock, dialect)
        let created = try await storage.createBucket(CreateBucket(name: "b1"))
        #expect(created.actorType == "user")
        _ = try await storage.findBuckets(filter: ["name": "b1"])
        _ = try await storage.getBucketFiles()
        try await storage.deleteBucket(created)
        let file = try #require(try await storage.findBucketFiles(filter: ["bucketId": .equals(created.id)]).first)
        try await storage.deleteBucketFile(file)
        let legacy = dialect.generation == .legacy
        let page = "page%5Blimit%5D=50&page%5Boffset%5D=0"
        #expect(
            mock.requests.map(\.line) == [
                "POST /storage/buckets",
                "GET /storage/buckets?\(page)&filter%5Bname%5D=b1",
                "GET /storage/bucket-files?\(page)&include=bucket",
                "DELETE /storage/buckets/\(CoreFixture.bucketID)",
                "GET /storage/bucket-files?\(page)&filter%5B\(legacy ? "bucket_id" : "bucketId")%5D=\(CoreFixture.bucketID)"
                    + "&include=bucket",
                "DELETE /storage/bucket-files/\(CoreFixture.fileID)",
            ])
        #expect(mock.requests[0].bodyText == #"{"name":"b1"}"#)
    }

    @Test func uploadSendsEveryFileInOneMultipartRequest() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let onDisk = directory + "/disk.bin"
        try Data([1, 2, 3, 4]).write(to: URL(fileURLWithPath: onDisk))
        let mock = MockTransport()
        let records = (1...4).map { Self.fileRecord("f\($0)", size: 4) }
        mock.enqueue(.json(201, #"{"data":[\#(records.joined(separator: ","))],"meta":{"total":4}}"#))
        let storage = Self.storage(mock, .current)
        let chunks: [[UInt8]] = [[9, 9], [9]]
        let files = try await storage.upload(
            [
                .bytes([0, 1], name: "raw.bin"), .string("hello", name: "dir/hello.txt", contentType: "text/plain"),
                try .file(path: onDisk, name: "data/disk.bin"),
                .stream(
                    AsyncStream { c in
                        for chunk in chunks { c.yield(chunk) }
                        c.finish()
                    }, name: "streamed.bin"),
            ], to: CoreFixture.bucketID)
        #expect(files.count == 4)
        let request = try #require(mock.requests.first)
        #expect(request.line == "POST /storage/buckets/\(CoreFixture.bucketID)/upload")
        let text = try #require(request.bodyText)
        #expect(text.contains(#"filename="raw.bin""#))
        #expect(text.contains(#"filename="dir/hello.txt""#))
        #expect(text.contains("Content-Type: text/plain\r\n\r\nhello\r\n"))
        #expect(text.contains(#"filename="data/disk.bin""#))
        #expect(text.contains("Content-Type: application/octet-stream\r\n\r\n\u{1}\u{2}\u{3}\u{4}\r\n"))
        #expect(text.contains("\r\n\r\n\u{9}\u{9}\u{9}\r\n"))
        #expect(!request.bodyWasReplayable)
    }

    @Test func uploadReportsProgressAndUploadsDirectories() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory + "/sub", withIntermediateDirectories: true)
        try Data(repeating: 7, count: 1000).write(to: URL(fileURLWithPath: directory + "/a.bin"))
        try Data(repeating: 8, count: 24).write(to: URL(fileURLWithPath: directory + "/sub/b.bin"))
        let mock = MockTransport()
        mock.enqueue(.json(201, #"{"data":[],"meta":{"total":0}}"#))
        let reports = Reports()
        _ = try await Self.storage(mock, .current).uploadDirectory(
            directory, to: CoreFixture.bucketID, prefix: "in"
        ) { reports.add($0) }
        let text = try #require(mock.requests.first?.bodyText)
        #expect(text.contains(#"filename="in/a.bin""#))
        #expect(text.contains(#"filename="in/sub/b.bin""#))
        #expect(reports.last == TransferProgress(bytes: 1024, total: 1024))
    }

    @Test func downloadStreamsChunksAndWritesFilesAtomically() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let mock = MockTransport()
        let chunks: [[UInt8]] = [[1, 2, 3], [4, 5], [6]]
        mock.enqueue(
            .streamed(200, chunks: chunks, chunkDelay: .milliseconds(1)),
            .streamed(200, headers: [.contentLength: "6"], chunks: chunks, chunkDelay: .milliseconds(1)),
            .json(404, #"{"statusCode":404,"code":"entity_not_found","message":"The bucket-file was not found."}"#))
        let storage = Self.storage(mock, .current)
        var received: [[UInt8]] = []
        for try await chunk in try await storage.streamBucketFile(CoreFixture.fileID) { received.append(chunk) }
        #expect(received.flatMap { $0 } == [1, 2, 3, 4, 5, 6])

        let destination = directory + "/out.bin"
        let reports = Reports()
        let count = try await storage.downloadBucketFile(CoreFixture.fileID, to: destination) { reports.add($0) }
        #expect(count == 6)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: destination))) == [1, 2, 3, 4, 5, 6])
        #expect(reports.last == TransferProgress(bytes: 6, total: 6))

        let missing = directory + "/missing.bin"
        let error = await #expect(throws: HubAPIError.self) {
            try await storage.downloadBucketFile(CoreFixture.fileID, to: missing)
        }
        #expect(error?.status == 404)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["out.bin"])
        #expect(
            mock.requests.map(\.line)
                == Array(
                    repeating: "GET /storage/bucket-files/\(CoreFixture.fileID)/stream", count: 3))
        #expect(mock.requests[0].request.headerFields[.accept] == "*/*")
    }

    @Test func bucketTarStreamIsExtracted() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let archive = TarBuilder().file("a.txt", Array("alpha".utf8)).file("x/y/b.bin", [1, 2, 3]).finish()
        let mock = MockTransport()
        mock.enqueue(
            .streamed(
                200,
                chunks: stride(from: 0, to: archive.count, by: 700).map {
                    Array(archive[$0..<min($0 + 700, archive.count)])
                }, chunkDelay: .milliseconds(1)))
        let paths = try await Self.storage(mock, .current).extractBucket(CoreFixture.bucketID, into: directory)
        #expect(paths == ["a.txt", "x/y/b.bin"])
        #expect(
            String(decoding: try Data(contentsOf: URL(fileURLWithPath: directory + "/a.txt")), as: UTF8.self)
                == "alpha")
        #expect(mock.requests.first?.line == "GET /storage/buckets/\(CoreFixture.bucketID)/stream")
    }
}

/// Progress reports collected across tasks.
final class Reports: Sendable {
    private let values = Mutex<[TransferProgress]>([])
    func add(_ value: TransferProgress) { values.withLock { $0.append(value) } }
    var last: TransferProgress? { values.withLock { $0.last } }
}
