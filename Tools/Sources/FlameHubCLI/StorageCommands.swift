import ArgumentParser
import FlameHub

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// Streamed uploads and downloads of the storage service, with a progress bar on a terminal.

extension Session {
    /// The bucket named by `reference`: its id, or else its name.
    func bucketID(_ reference: String) async throws -> UUID {
        if let id = UUID(uuidString: reference) { return id }
        let matches = try await storage.buckets.find(filter: ["name": .equals(reference)], page: Page(limit: 2))
        guard let bucket = matches.first else { throw CLIError(.notFound, "there is no bucket '\(reference)'") }
        guard matches.count == 1 else {
            throw CLIError(.dataError, "several buckets are named '\(reference)': give its id")
        }
        return bucket.id
    }
}

/// `flamehub buckets upload BUCKET FILE…`.
struct BucketUploadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upload",
        abstract: "Upload files and directories into a bucket, in one streamed request.",
        discussion: """
            A file is stored under its base name, a directory's files under their path relative to \
            the directory (symbolic links skipped); --prefix goes before either.
            """)

    @Argument(help: "The bucket's id or name.") var bucket: String
    @Argument(help: "Files or directories.", completion: .file()) var paths: [String]
    @Option(help: "A path prefix in the bucket, e.g. results/.") var prefix: String?
    @Option(name: .customLong("content-type"), help: "The parts' content type.") var contentType = UploadFile
        .defaultContentType
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if paths.isEmpty { throw ValidationError("name at least one file or directory") }
    }

    func run() async throws {
        try await Session.run(global) { session in
            let files = try collect()
            let id = try await session.bucketID(bucket)
            let progress = ProgressBar(label: "upload")
            let uploaded = try await session.storage.upload(files, to: id, progress: progress.handler)
            progress.finish()
            try session.output.page(
                ResourceList(uploaded, meta: ListMeta(total: uploaded.count)),
                columns: ResourceTable.entry(StorageResources.BucketFiles.self).columns)
        }
    }

    /// The upload parts, in argument order (directories sorted), read from disk as they are sent.
    func collect() throws -> [UploadFile] {
        let manager = FileManager.default
        let base = prefix.map { $0.isEmpty || $0.hasSuffix("/") ? $0 : $0 + "/" } ?? ""
        var files: [UploadFile] = []
        for path in paths {
            guard let type = (try? manager.attributesOfItem(atPath: path))?[.type] as? FileAttributeType else {
                throw CLIError(.noInput, "cannot read '\(path)'")
            }
            if type == .typeDirectory {
                let root = path.hasSuffix("/") ? String(path.dropLast()) : path
                let relatives: [String]
                do {
                    relatives = try manager.subpathsOfDirectory(atPath: root).sorted()
                } catch {
                    throw CLIError(.noInput, "cannot list '\(root)': \(error)")
                }
                for relative in relatives {
                    let full = root + "/" + relative
                    guard (try? manager.attributesOfItem(atPath: full))?[.type] as? FileAttributeType == .typeRegular
                    else { continue }
                    files.append(try .file(path: full, name: base + relative, contentType: contentType))
                }
            } else {
                let name = path.split(separator: "/").last.map(String.init) ?? path
                files.append(try .file(path: path, name: base + name, contentType: contentType))
            }
        }
        guard !files.isEmpty else { throw CLIError(.noInput, "there is no file to upload") }
        return files
    }
}

/// `flamehub bucket-files download ID -o PATH`.
struct BucketFileDownloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download",
        abstract: "Download a bucket file (to a temporary name, moved into place when complete).")

    @Argument(help: "The bucket file's id.") var id: String
    @Option(
        name: [.short, .customLong("output")],
        help: "The destination file, a directory to store it in under its name, or '-' for standard output.",
        completion: .file())
    var output: String
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await Session.run(global) { session in
            let storage = session.storage
            let progress = ProgressBar(label: "download")
            if output == "-" {
                var bytes: Int64 = 0
                for try await chunk in try await storage.streamBucketFile(id) {
                    OutputStream.standardOutput.write(chunk)
                    bytes += Int64(chunk.count)
                    progress.update(TransferProgress(bytes: bytes, total: nil))
                }
                progress.finish()
                return
            }
            var destination = output
            if (try? FileManager.default.attributesOfItem(atPath: output))?[.type] as? FileAttributeType
                == .typeDirectory
            {
                guard let file = try await storage.fileName(of: id) else {
                    throw CLIError(.notFound, "there is no bucket file \(id)")
                }
                destination = (output.hasSuffix("/") ? output : output + "/") + file
            }
            let bytes: Int64
            do {
                bytes = try await storage.downloadBucketFile(id, to: destination, progress: progress.handler)
            } catch let error as HubClientError where error.code == .fileSystem {
                throw CLIError(.cannotCreate, error.message)
            }
            progress.finish()
            try session.output.done(
                "downloaded \(bytes) bytes to \(destination)",
                json: ["path": .string(destination), "bytes": .number(Double(bytes))])
        }
    }
}

extension StorageClient {
    /// The base name of bucket file `id`, or nil when there is no such file.
    fileprivate func fileName(of id: String) async throws -> String? {
        guard let file = try await bucketFiles.get(id) else { return nil }
        let path = file.path ?? file.name
        return path.split(separator: "/").last.map(String.init) ?? file.name
    }
}

/// `flamehub buckets download BUCKET -o DIR`.
struct BucketDownloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download",
        abstract: "Download a whole bucket and extract it into a directory (or keep the tar with --tar).",
        discussion: """
            The bucket arrives as a tar stream that is extracted as it arrives; entries that would \
            leave the directory, links and truncated archives are refused.
            """)

    @Argument(help: "The bucket's id or name.") var bucket: String
    @Option(
        name: [.short, .customLong("output")],
        help: "The directory to extract into (created if missing), or the tar file with --tar.",
        completion: .directory)
    var output: String
    @Flag(help: "Write the tar archive itself to --output instead of extracting it.") var tar = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await Session.run(global) { session in
            let storage = session.storage
            let id = try await session.bucketID(bucket)
            let progress = ProgressBar(label: "download")
            if tar {
                let bytes = try await Self.writing {
                    try await storage.downloadBucket(id, to: output, progress: progress.handler)
                }
                progress.finish()
                try session.output.done(
                    "downloaded \(bytes) bytes to \(output)",
                    json: ["path": .string(output), "bytes": .number(Double(bytes))])
                return
            }
            var extractor = try await Self.writing { try TarExtractor(directory: output) }
            var bytes: Int64 = 0
            for try await chunk in try await storage.streamBucket(id) {
                do {
                    try extractor.consume(chunk)
                } catch let error as HubClientError where error.code == .fileSystem {
                    throw CLIError(.cannotCreate, error.message)
                }
                bytes += Int64(chunk.count)
                progress.update(TransferProgress(bytes: bytes, total: nil))
            }
            let files = try extractor.finish()
            progress.finish()
            try session.output.done(
                "extracted \(files.count) files into \(output)",
                json: ["directory": .string(output), "files": .array(files.map { .string($0) })])
        }
    }

    /// File-system failures while writing are output problems (exit 73), not input ones.
    private static func writing<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as HubClientError where error.code == .fileSystem {
            throw CLIError(.cannotCreate, error.message)
        }
    }
}
