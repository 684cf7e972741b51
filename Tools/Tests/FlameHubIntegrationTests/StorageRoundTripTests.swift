import FlameHub
import FlameHubEmulator
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Synchronization
import Testing

/// Storage round trips through `CurlTransport`: what is uploaded (bytes, string, file, stream)
/// comes back byte for byte (compared by digest) as a file stream, a download to disk and
/// through the bucket's tar stream.
@Suite("Storage round trips against the emulator")
struct StorageRoundTripTests {
    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.path + "/flamehub-storage-it-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func digest(ofFile path: String) throws -> Digest {
        Digest.of(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    @Test(arguments: HubGeneration.allCases)
    func roundTrips(generation: HubGeneration) async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await CoreHub.run(generation) { hub in
            let storage = hub.storage
            let bucket = try await storage.createBucket(CreateBucket(name: "round-trip"))
            #expect(try await storage.getBucket(bucket)?.name == "round-trip")

            let onDisk = PatternChunks(total: 3 << 20, chunkSize: 64 << 10, seed: 7)
            let diskPath = directory + "/disk.bin"
            var diskBytes: [UInt8] = []
            for await chunk in onDisk { diskBytes += chunk }
            try Data(diskBytes).write(to: URL(fileURLWithPath: diskPath))
            let streamed = PatternChunks(total: 5 << 20 + 123, chunkSize: 100_000, seed: 11)
            let bytes: [UInt8] = (0..<1000).map { UInt8($0 % 256) }
            let expected: [String: Digest] = [
                "raw.bin": .of(bytes), "text/hello.txt": .of(Array("hello, storage\n".utf8)),
                "disk/disk.bin": .of(diskBytes), "streamed.bin": await streamed.digest(),
            ]
            let progress = ProgressLog()
            let files = try await storage.upload(
                [
                    .bytes(bytes, name: "raw.bin"), .string("hello, storage\n", name: "text/hello.txt"),
                    try .file(path: diskPath, name: "disk/disk.bin"),
                    .stream(streamed, name: "streamed.bin", length: Int64(streamed.total)),
                ], to: bucket, progress: { progress.add($0) })
            #expect(files.count == 4)
            let total = expected.values.reduce(Int64(0)) { $0 + $1.count }
            #expect(progress.last == TransferProgress(bytes: total, total: total))
            let listed = try await storage.findBucketFiles(filter: ["bucketId": .equals(bucket.id)])
            #expect(listed.count == 4)

            for file in files {
                let key = file.path ?? file.name
                var digest = Digest()
                for try await chunk in try await storage.streamBucketFile(file) { digest.update(chunk) }
                #expect(digest == expected[key], "stream of \(key)")
                let target = directory + "/download-\(file.id)"
                let count = try await storage.downloadBucketFile(file, to: target)
                #expect(count == expected[key]?.count)
                #expect(try Self.digest(ofFile: target) == expected[key], "download of \(key)")
                #expect(try await storage.getBucketFile(file)?.bucket?.id == bucket.id)
            }

            let extracted = directory + "/extracted"
            let paths = try await storage.extractBucket(bucket, into: extracted)
            #expect(Set(paths) == Set(expected.keys))
            for (path, digest) in expected {
                #expect(try Self.digest(ofFile: extracted + "/" + path) == digest, "tar entry \(path)")
            }
            let tarSize = try await storage.downloadBucket(bucket, to: directory + "/bucket.tar")
            #expect(tarSize > total)

            let raw = try #require(files.first { $0.name == "raw.bin" })
            try await storage.deleteBucketFile(raw)
            #expect(try await storage.getBucketFile(raw) == nil)
            let gone = await #expect(throws: HubAPIError.self) {
                try await storage.downloadBucketFile(raw, to: directory + "/gone.bin")
            }
            #expect(gone?.status == 404)
            #expect(!FileManager.default.fileExists(atPath: directory + "/gone.bin"))
            try await storage.deleteBucket(bucket)
            #expect(try await storage.getBucket(bucket) == nil)
        }
    }

    @Test func uploadsADirectoryAndStreamsALargeFileWithBoundedMemory() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory + "/tree/sub", withIntermediateDirectories: true)
        try Data("one".utf8).write(to: URL(fileURLWithPath: directory + "/tree/one.txt"))
        try Data("two".utf8).write(to: URL(fileURLWithPath: directory + "/tree/sub/two.txt"))
        try await MemoryBoundTests.exclusive {
            try await CoreHub.run(.current) { hub in
                let storage = hub.storage
                let bucket = try await storage.createBucket(CreateBucket(name: "tree"))
                let files = try await storage.uploadDirectory(directory + "/tree", to: bucket, prefix: "input")
                #expect(Set(files.compactMap(\.path)) == ["input/one.txt", "input/sub/two.txt"])

                let peakBefore = Self.peakResidentBytes()
                let large = PatternChunks(total: Self.largeSize, chunkSize: 1 << 20, seed: 99)
                let uploaded = try await storage.upload(
                    [.stream(large, name: "large.bin", length: Int64(large.total))], to: bucket)
                let file = try #require(uploaded.first)
                #expect(file.size == Int64(Self.largeSize))
                var digest = Digest()
                for try await chunk in try await storage.streamBucketFile(file) { digest.update(chunk) }
                #expect(digest == (await large.digest()))
                if Self.largeSize >= 256 << 20, let before = peakBefore, let after = Self.peakResidentBytes() {
                    // Neither side holds the file: the peak grows by far less than its size.
                    #expect(after - before < Self.largeSize / 2, "peak RSS grew by \(after - before) bytes")
                }
            }
        }
    }

    /// 256 MiB by default, as the SDK promises bounded memory for files of that size (about 25 s
    /// in a debug build); `FLAMEHUB_LARGE_FILE_MIB` picks another size for quick local runs.
    static let largeSize: Int = {
        let mebibytes = ProcessInfo.processInfo.environment["FLAMEHUB_LARGE_FILE_MIB"].flatMap { Int($0) } ?? 256
        return max(1, mebibytes) << 20
    }()

    /// The process's peak resident set size (`VmHWM` of `/proc/self/status`), if readable.
    static func peakResidentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kibibytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return nil }
        return kibibytes * 1024
    }
}

/// Progress reports collected across tasks.
final class ProgressLog: Sendable {
    private let values = Mutex<[TransferProgress]>([])
    func add(_ value: TransferProgress) { values.withLock { $0.append(value) } }
    var last: TransferProgress? { values.withLock { $0.last } }
}
