/// One file of an upload: its name in the bucket (may contain `/`), content type and bytes —
/// from memory, a string, a file on disk or an async byte sequence. Files and sequences are
/// streamed, never loaded whole.
public struct UploadFile: Sendable {
    /// The path in the bucket, e.g. `data/input.csv`.
    public var name: String
    /// The part's content type (default `application/octet-stream`).
    public var contentType: String
    /// The size, when known up front.
    public let length: Int64?
    let content: @Sendable (_ counter: ProgressCounter?) -> MultipartForm.Part.Content

    /// The default content type of upload parts.
    public static let defaultContentType = "application/octet-stream"

    /// A file of in-memory `bytes`.
    public static func bytes(_ bytes: [UInt8], name: String, contentType: String = defaultContentType) -> UploadFile {
        UploadFile(name: name, contentType: contentType, length: Int64(bytes.count)) { counter in
            guard let counter else { return .bytes(bytes) }
            return .stream(ByteStream(Counting(base: [bytes].async, counter: counter)), length: Int64(bytes.count))
        }
    }

    /// A file of `text` in UTF-8.
    public static func string(_ text: String, name: String, contentType: String = defaultContentType) -> UploadFile {
        .bytes(Array(text.utf8), name: name, contentType: contentType)
    }

    /// The file at `path`, read while it is sent.
    ///
    /// - Parameters:
    ///   - path: the file on disk.
    ///   - name: the path in the bucket (default: the file's base name).
    ///   - contentType: the part's media type.
    /// - Throws: ``HubClientError`` (``HubClientError/Code/fileSystem``) when the file cannot be read.
    public static func file(path: String, name: String? = nil, contentType: String = defaultContentType) throws
        -> UploadFile
    {
        let length = try FileIO.size(path)
        return UploadFile(name: name ?? FileIO.baseName(of: path), contentType: contentType, length: length) {
            counter in
            guard let counter else { return .file(path: path) }
            return .stream(ByteStream(Counting(base: FileChunks(path: path), counter: counter)), length: length)
        }
    }

    /// A file produced by an async sequence of byte chunks (iterated once, as it is sent).
    ///
    /// - Parameters:
    ///   - chunks: the bytes, chunk by chunk.
    ///   - name: the path in the bucket.
    ///   - length: the total size, if known (for progress reporting).
    ///   - contentType: the part's media type.
    public static func stream<Chunks: AsyncSequence & Sendable>(
        _ chunks: Chunks, name: String, length: Int64? = nil, contentType: String = defaultContentType
    ) -> UploadFile where Chunks.Element == [UInt8] {
        UploadFile(name: name, contentType: contentType, length: length) { counter in
            guard let counter else { return .stream(ByteStream(chunks), length: length) }
            return .stream(ByteStream(Counting(base: chunks, counter: counter)), length: length)
        }
    }
}
