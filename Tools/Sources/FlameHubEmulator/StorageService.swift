import Crypto
@_spi(FlameHubTools) import FlameHub
import NIOCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Hub storage (`/storage/`): buckets and bucket files on the generic engine, plus the
/// streamed multipart upload, the file stream and the bucket tarball (section 6).
enum StorageService: ServiceModule {
    static func definition(generation: HubGeneration, configuration: HubEmulator.Configuration) -> ServiceDefinition {
        ServiceDefinition(
            name: "storage", errorFormat: .hub(generation),
            routes: [
                HubStatus.route(generation),
                Route([.post], "/buckets/:id/upload", access: .authenticated, bodyMode: .stream) { context in
                    try await StorageTransfer.upload(context)
                },
                Route([.get], "/buckets/:id") { context in
                    // A bucket name stands in for the id only when no query parameter is sent.
                    let id = context.parameters["id"] ?? ""
                    if !context.query.items.isEmpty, !Support.isUUID(id) { throw EmulatorError.notFound("bucket") }
                    return try context.core.engine.read(
                        try CoreRoutes.resource(context, CoreTable.buckets), id: id, context: context)
                },
                Route([.get], "/buckets/:id/stream", access: .authenticated) { context in
                    try StorageTransfer.bucketTarball(context)
                },
                Route([.get], "/bucket-files/:id/stream", access: .authenticated) { context in
                    try StorageTransfer.fileStream(context)
                },
            ],
            resources: StorageDeclarations.all(generation))
    }

    static func seed(into store: inout Store, generation: HubGeneration, configuration: HubEmulator.Configuration) {}
}

/// Upload and download paths of the storage service. File contents never pass through memory
/// as a whole: uploads are written part by part to the temporary directory, downloads are read
/// back in chunks.
enum StorageTransfer {
    static let chunkSize = 64 * 1024

    struct ReceivedFile {
        var filename: String
        var size: Int
        var temporaryPath: String
    }

    /// `POST /buckets/:id/upload` → 201 `{data: [bucket file…], meta: {total}}`.
    static func upload(_ context: HandlerContext) async throws -> EmulatorResponse {
        let generation = context.generation
        let contentType = context.header("Content-Type") ?? ""
        guard contentType.lowercased().hasPrefix("multipart/") else {
            throw EmulatorError.badRequest("A multipart content-type header is required.")
        }
        guard let boundary = MultipartParser.boundary(contentType: contentType) else {
            throw EmulatorError.badRequest("Multipart: Boundary not found")
        }
        let buckets = try CoreRoutes.resource(context, CoreTable.buckets)
        let bucket = try context.state.withStore { store in
            try context.core.engine.lookup(buckets, id: context.parameters["id"] ?? "", context: context, store: store)
        }
        guard let bucketID = bucket["id"]?.stringValue, let stream = context.bodyStream else {
            throw EmulatorError.badRequest("The request body is empty.")
        }
        let directory = context.core.temporaryDirectory.appendingPathComponent("storage").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)

        var received: [ReceivedFile] = []
        var sink: FileWriter?
        var current: ReceivedFile?
        do {
            var parser = MultipartParser(boundary: boundary)
            var events: [MultipartParser.Event] = []
            var total = 0
            for try await chunk in stream {
                total += chunk.readableBytes
                events.removeAll(keepingCapacity: true)
                try parser.feed(chunk, into: &events)
                for event in events {
                    switch event {
                    case .begin(let headers):
                        let filename = MultipartParser.filename(
                            contentDisposition: headers["content-disposition"] ?? "")
                        if let filename, !filename.isEmpty {
                            let path = "\(directory)/upload-\(Support.uuid())"
                            // Only the emulator's process reads the uploads back.
                            sink = try FileWriter(path: path, permissions: 0o600)
                            current = ReceivedFile(filename: filename, size: 0, temporaryPath: path)
                        }
                    case .data(let bytes):
                        if let sink {
                            try sink.write(bytes.readableBytesView)
                            current?.size += bytes.readableBytes
                        }
                    case .end:
                        try sink?.close()
                        sink = nil
                        if let file = current { received.append(file) }
                        current = nil
                    }
                }
            }
            if total == 0 { throw EmulatorError.badRequest("The request body is empty.") }
            try parser.finish()
        } catch {
            sink = nil  // closes the file
            for file in received + [current].compactMap({ $0 }) { FileIO.remove(file.temporaryPath) }
            if let malformed = error as? MultipartParser.MalformedBody {
                throw EmulatorError.badRequest(malformed.description)
            }
            throw error
        }

        let identity = context.identity
        let engine = context.core.engine
        let files = try CoreRoutes.resource(context, CoreTable.bucketFiles)
        let rendered = try context.state.withStore { store -> [EmulatorJSON] in
            if generation != .legacy {
                // (bucketId, path) is unique since 0.8.15; the Hub surfaces the violation as a 500.
                let existing = Set(
                    store.rows(CoreTable.bucketFiles) { $0["bucketId"] == .string(bucketID) }.compactMap {
                        $0["path"]?.stringValue
                    })
                var seen = Set<String>()
                for file in received where existing.contains(file.filename) || !seen.insert(file.filename).inserted {
                    for file in received { FileIO.remove(file.temporaryPath) }
                    throw EmulatorError(
                        .explicit(
                            status: 500, code: "internal_error",
                            message: "Duplicate entry '\(file.filename)' for key 'bucket_id_path'."))
                }
            }
            return try received.map { file in
                // Legacy keys the object by the file name's SHA-256 (re-uploads overwrite it).
                let hash =
                    generation == .legacy
                    ? Support.hex(SHA256.hash(data: Array(file.filename.utf8)))
                    : HubRules.randomHex(64)
                let objectPath = "\(directory)/\(bucketID)-\(hash)"
                try FileIO.move(file.temporaryPath, to: objectPath)
                var directoryName = "."
                var name = file.filename
                if let slash = file.filename.lastIndex(of: "/") {
                    directoryName = String(file.filename[..<slash])
                    name = String(file.filename[file.filename.index(after: slash)...])
                }
                let row = CoreDeclarations.insert(
                    CoreTable.bucketFiles,
                    [
                        "name": .string(name), "path": .string(file.filename), "directory": .string(directoryName),
                        "size": .int(file.size), "hash": .string(hash),
                        "actorType": identity.map { .string($0.kind.rawValue) } ?? .null,
                        "actorId": identity.map { .string($0.id) } ?? .null,
                        "realmId": identity.map { .string($0.realmId) } ?? .null, "bucketId": .string(bucketID),
                        "objectPath": .string(objectPath),
                    ], generation, into: &store)
                return engine.render(
                    row, resource: files, projection: engine.writeProjection(files), includes: [], store: store)
            }
        }
        scheduleAnalysisBucketFiles(bucketID: bucketID, files: rendered, context: context)
        return .json(["data": .array(rendered), "meta": ["total": .int(rendered.count)]], status: 201)
    }

    /// Core registers uploads into an analysis' bucket as analysis bucket files (eventually).
    static func scheduleAnalysisBucketFiles(bucketID: String, files: [EmulatorJSON], context: HandlerContext) {
        let generation = context.generation
        let legacy = generation == .legacy
        let identity = context.identity
        let uploads: [(id: EmulatorJSON, path: EmulatorJSON)] = files.map {
            ($0["id"] ?? .null, $0["path"] ?? .null)
        }
        context.core.scheduler.schedule { store in
            guard
                let analysisBucket = store.first(
                    CoreTable.analysisBuckets, where: legacy ? "externalId" : "bucketId", equals: .string(bucketID))
            else { return }
            for upload in uploads {
                var values = HubRules.creator(identity, kinds: legacy ? [.user, .robot] : [.user, .robot, .client])
                values["root"] = false
                values["realmId"] = identity.map { .string($0.realmId) } ?? .null
                if legacy {
                    values["name"] = upload.path
                    values["externalId"] = upload.id
                    values["bucketId"] = analysisBucket["id"] ?? .null
                } else {
                    let duplicate = store.rows(CoreTable.analysisBucketFiles) {
                        $0["analysisId"] == analysisBucket["analysisId"] && $0["path"] == upload.path
                    }
                    if !duplicate.isEmpty { continue }
                    values["path"] = upload.path
                    values["bucketId"] = .string(bucketID)
                    values["bucketFileId"] = upload.id
                    values["analysisBucketId"] = analysisBucket["id"] ?? .null
                }
                CoreDeclarations.insert(CoreTable.analysisBucketFiles, values, generation, into: &store)
            }
        }
    }

    /// `GET /bucket-files/:id/stream`: the file's bytes, chunked.
    static func fileStream(_ context: HandlerContext) throws -> EmulatorResponse {
        let file = try context.state.withStore { store in
            guard let file = store.find(CoreTable.bucketFiles, id: context.parameters["id"] ?? "") else {
                throw EmulatorError.notFound("bucket-file")
            }
            return file
        }
        let path = file["objectPath"]?.stringValue ?? ""
        let legacy = context.generation == .legacy
        // 0.14 gzips for clients that accept it; 0.8.13 only labels the raw bytes as gzip.
        let gzip = !legacy && GzipStoredEncoder.accepts(context.header("Accept-Encoding"))
        var response = EmulatorResponse(
            status: 200,
            body: .stream(contentType: legacy ? "application/gzip" : "application/octet-stream", length: nil) {
                writer in
                let source = try FileReader(path: path)
                var encoder = GzipStoredEncoder()
                if gzip { try await writer.write(GzipStoredEncoder.header) }
                while let chunk = try source.buffer(upTo: chunkSize) {
                    try await writer.write(gzip ? encoder.encode(chunk) : chunk)
                }
                if gzip { try await writer.write(encoder.finish()) }
                try await writer.finish(nil)
            })
        if gzip { response.headers.append(("Content-Encoding", "gzip")) }
        if !legacy {
            let name = (file["name"]?.stringValue ?? "file").replacingOccurrences(of: "\"", with: "")
            response.headers.append(("Content-Disposition", "attachment; filename=\"\(name)\""))
        }
        return response
    }

    /// `GET /buckets/:id/stream`: an uncompressed ustar archive of the bucket's files.
    static func bucketTarball(_ context: HandlerContext) throws -> EmulatorResponse {
        let buckets = try CoreRoutes.resource(context, CoreTable.buckets)
        let (bucketID, files) = try context.state.withStore { store -> (String, [EmulatorJSONObject]) in
            let bucket = try context.core.engine.lookup(
                buckets, id: context.parameters["id"] ?? "", context: context, store: store)
            let id = bucket["id"]?.stringValue ?? ""
            return (id, store.rows(CoreTable.bucketFiles) { $0["bucketId"] == .string(id) })
        }
        let entries = files.map {
            (
                path: $0["path"]?.stringValue ?? "", size: $0["size"]?.intValue ?? 0,
                object: $0["objectPath"]?.stringValue ?? ""
            )
        }
        let modified = Int(Support.now())
        var response = EmulatorResponse(
            status: 200,
            body: .stream(contentType: "application/x-tar", length: nil) { writer in
                for entry in entries {
                    try await writer.write(Tar.header(path: entry.path, size: entry.size, modified: modified))
                    let source = try FileReader(path: entry.object)
                    var remaining = entry.size
                    while remaining > 0, let chunk = try source.buffer(upTo: min(chunkSize, remaining)) {
                        remaining -= chunk.readableBytes
                        try await writer.write(chunk)
                    }
                    // A missing or shortened object aborts the archive mid-way, as the Hub does.
                    if remaining > 0 { throw FileError(description: "object \(entry.object) is shorter than recorded") }
                    let padding = Tar.padding(entry.size)
                    if !padding.isEmpty { try await writer.write(ByteBuffer(bytes: padding)) }
                }
                try await writer.write(Tar.end)
                try await writer.finish(nil)
            })
        if context.generation == .current {
            response.headers.append(("Content-Disposition", "attachment; filename=\"\(bucketID).tar\""))
        }
        return response
    }
}

struct FileError: Error, CustomStringConvertible {
    var description: String
}

extension FileReader {
    /// The next chunk of at most `count` bytes as a NIO buffer; `nil` at the end of the file.
    fileprivate func buffer(upTo count: Int) throws -> ByteBuffer? {
        let bytes = try read(count)
        return bytes.isEmpty ? nil : ByteBuffer(bytes: bytes)
    }
}
