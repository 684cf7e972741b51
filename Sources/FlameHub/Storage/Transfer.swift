#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import HTTPTypes
import Synchronization

/// How far a transfer has come, reported to a progress callback.
public struct TransferProgress: Sendable, Hashable {
    /// Bytes sent or received so far.
    public var bytes: Int64
    /// All bytes of the transfer, when known (uploads of unsized streams and downloads without
    /// `Content-Length` do not know it).
    public var total: Int64?

    public init(bytes: Int64, total: Int64?) {
        self.bytes = bytes
        self.total = total
    }
}

/// Receives ``TransferProgress`` reports (called from the transfer's task, possibly often).
public typealias ProgressHandler = @Sendable (TransferProgress) -> Void

/// Adds up transferred bytes and reports them.
final class ProgressCounter: Sendable {
    private let bytes = Atomic<Int64>(0)
    let total: Int64?
    let handler: ProgressHandler

    init(total: Int64?, handler: @escaping ProgressHandler) {
        self.total = total
        self.handler = handler
    }

    func add(_ count: Int) {
        let now = bytes.add(Int64(count), ordering: .relaxed).newValue
        handler(TransferProgress(bytes: now, total: total))
    }

    var count: Int64 { bytes.load(ordering: .relaxed) }
}

/// A byte-chunk sequence that reports every chunk to a ``ProgressCounter``.
struct Counting<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable where Base.Element == [UInt8] {
    typealias Element = [UInt8]
    let base: Base
    let counter: ProgressCounter

    func makeAsyncIterator() -> Iterator { Iterator(base: base.makeAsyncIterator(), counter: counter) }

    struct Iterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let counter: ProgressCounter

        mutating func next() async throws -> [UInt8]? {
            guard let chunk = try await base.next() else { return nil }
            counter.add(chunk.count)
            return chunk
        }
    }
}

/// A finite array as an async sequence.
struct AsyncArray<Element: Sendable>: AsyncSequence, Sendable {
    let elements: [Element]

    func makeAsyncIterator() -> Iterator { Iterator(elements: elements) }

    struct Iterator: AsyncIteratorProtocol {
        var elements: [Element]
        var index = 0

        mutating func next() async -> Element? {
            guard index < elements.count else { return nil }
            defer { index += 1 }
            return elements[index]
        }
    }
}

extension Array where Element: Sendable {
    var async: AsyncArray<Element> { AsyncArray(elements: self) }
}

// MARK: - Upload and download

extension StorageClient {
    private func bucketPath(_ id: some ResourceIdentifier, _ rest: String) throws -> String {
        "buckets/\(try id.resourceID().lowercasedString)/\(rest)"
    }

    /// Uploads `files` into bucket `bucket` in one multipart request
    /// (`POST /buckets/:id/upload`, 201) and returns the created bucket files.
    ///
    /// ```swift
    /// let files = try await storage.upload(
    ///     [.bytes(payload, name: "a.bin"), .string("x,y\n1,2\n", name: "data/b.csv", contentType: "text/csv"),
    ///      try .file(path: "/tmp/model.pt")],
    ///     to: bucket) { print("\($0.bytes) of \($0.total ?? 0)") }
    /// ```
    /// Re-uploading an existing path into the same bucket fails on current Hubs; delete first.
    /// - Parameters:
    ///   - files: the files, sent as one multipart request.
    ///   - bucket: the storage bucket.
    ///   - progress: called with the bytes sent so far (files are then sent as one-shot
    ///     streams, so the request is not replayed after a 401).
    @discardableResult
    public func upload(_ files: [UploadFile], to bucket: some ResourceIdentifier, progress: ProgressHandler? = nil)
        async throws -> [BucketFile]
    {
        let path = try bucketPath(bucket, "upload")
        _ = try await context.dialect()
        let lengths = files.map(\.length)
        let total: Int64? = lengths.contains(nil) ? nil : lengths.reduce(0) { $0 + ($1 ?? 0) }
        let counter = progress.map { ProgressCounter(total: total, handler: $0) }
        let parts = files.map { file in
            MultipartForm.Part(
                name: UUID().lowercasedString, filename: file.name, contentType: file.contentType,
                content: file.content(counter))
        }
        let (_, body) = try await context.open(.post, path: path, body: .multipart(MultipartForm(parts)))
        let bytes = try await body.collect(upTo: 64 << 20)
        return try context.decode(ResourceList<BucketFile>.self, bytes, .post, path).items
    }

    /// Uploads every regular file below `directory` (recursively, symbolic links skipped) in one
    /// request, named by their path relative to `directory` (after `prefix`, if given).
    @discardableResult
    public func uploadDirectory(
        _ directory: String, to bucket: some ResourceIdentifier, prefix: String = "", progress: ProgressHandler? = nil
    ) async throws -> [BucketFile] {
        let manager = FileManager.default
        let root = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        let relativePaths: [String]
        do {
            relativePaths = try manager.subpathsOfDirectory(atPath: root).sorted()
        } catch {
            throw HubClientError(.fileSystem, "cannot list '\(root)': \(error)")
        }
        var files: [UploadFile] = []
        for relative in relativePaths {
            let full = root + "/" + relative
            let type = (try? manager.attributesOfItem(atPath: full))?[.type] as? FileAttributeType
            guard type == .typeRegular else { continue }
            let name = prefix.isEmpty ? relative : (prefix.hasSuffix("/") ? prefix : prefix + "/") + relative
            files.append(try .file(path: full, name: name))
        }
        return try await upload(files, to: bucket, progress: progress)
    }

    /// The bytes of bucket file `id` as an async sequence of chunks, with backpressure
    /// (`GET /bucket-files/:id/stream`; gzip-encoded answers are decoded by the transport).
    public func streamBucketFile(_ id: some ResourceIdentifier) async throws -> ResponseBody {
        let path = "bucket-files/\(try id.resourceID().lowercasedString)/stream"
        return try await context.open(.get, path: path, body: nil, accept: "*/*").1
    }

    /// The whole bucket `id` as an uncompressed tar stream (`GET /buckets/:id/stream`), one
    /// entry per file, named by its path.
    public func streamBucket(_ id: some ResourceIdentifier) async throws -> ResponseBody {
        try await context.open(.get, path: try bucketPath(id, "stream"), body: nil, accept: "*/*").1
    }

    /// Writes bucket file `id` to `destination` and returns the number of bytes.
    ///
    /// The bytes go to a temporary file next to `destination`, which is renamed into place only
    /// when the download is complete: an interrupted download never leaves a truncated file
    /// under the final name.
    @discardableResult
    public func downloadBucketFile(
        _ id: some ResourceIdentifier, to destination: String, progress: ProgressHandler? = nil
    ) async throws -> Int64 {
        let path = "bucket-files/\(try id.resourceID().lowercasedString)/stream"
        return try await download(path, to: destination, progress: progress)
    }

    /// Writes bucket `id` as a tar archive to `destination` (temporary name, moved into place
    /// when complete) and returns the number of bytes.
    @discardableResult
    public func downloadBucket(_ id: some ResourceIdentifier, to destination: String, progress: ProgressHandler? = nil)
        async throws -> Int64
    {
        try await download(try bucketPath(id, "stream"), to: destination, progress: progress)
    }

    /// Streams bucket `id` and extracts it into `directory` (created if missing) without storing
    /// the archive; returns the extracted files' relative paths.
    ///
    /// - Throws: ``HubClientError`` with ``HubClientError/Code/unsafeArchiveEntry`` for entries
    ///   escaping `directory` or links, ``HubClientError/Code/invalidArchive`` for a truncated stream.
    @discardableResult
    public func extractBucket(_ id: some ResourceIdentifier, into directory: String) async throws -> [String] {
        var extractor = try TarExtractor(directory: directory)
        for try await chunk in try await streamBucket(id) { try extractor.consume(chunk) }
        return try extractor.finish()
    }

    private func download(_ path: String, to destination: String, progress: ProgressHandler?) async throws -> Int64 {
        let (response, body) = try await context.open(.get, path: path, body: nil, accept: "*/*")
        // With a content encoding the length is the compressed one: no total then.
        let total =
            response.headerFields[.contentEncoding] == nil
            ? response.headerFields[.contentLength].flatMap { Int64($0) } : nil
        let temporary =
            FileIO.directory(of: destination) + "/." + FileIO.baseName(of: destination) + ".part-"
            + UUID().lowercasedString
        var written: Int64 = 0
        do {
            let writer = try FileWriter(path: temporary)
            for try await chunk in body {
                try writer.write(chunk)
                written += Int64(chunk.count)
                progress?(TransferProgress(bytes: written, total: total))
            }
            try writer.close()
            try FileIO.move(temporary, to: destination)
        } catch {
            FileIO.remove(temporary)
            throw error
        }
        return written
    }
}
