/// A request body: bytes in memory, a file streamed from disk, a one-shot async byte sequence,
/// or a multipart form whose parts may be any of those.
///
/// Whether a body ``isReplayable`` decides if a retry or an authentication replay may send it
/// again: a one-shot stream is never replayed.
public struct RequestBody: Sendable {
    enum Content: Sendable {
        case bytes([UInt8])
        case file(path: String, length: Int64?)
        case stream(ByteStream, length: Int64?)
        case multipart(MultipartForm)
    }

    let content: Content

    /// The content type the body implies, if any (multipart forms set their own boundary).
    public var contentType: String?

    /// The body's length in bytes when it is known up front.
    public var length: Int64? {
        switch content {
        case .bytes(let bytes): Int64(bytes.count)
        case .file(_, let length): length
        case .stream(_, let length): length
        case .multipart: nil
        }
    }

    /// Whether the body can be sent more than once (false for a one-shot stream, or a form with one).
    public var isReplayable: Bool {
        switch content {
        case .bytes, .file: true
        case .stream: false
        case .multipart(let form): form.parts.allSatisfy(\.content.isReplayable)
        }
    }

    /// A body of in-memory bytes.
    public static func bytes(_ bytes: [UInt8], contentType: String? = nil) -> RequestBody {
        RequestBody(content: .bytes(bytes), contentType: contentType)
    }

    /// A UTF-8 string body.
    public static func string(_ string: String, contentType: String? = "text/plain; charset=utf-8") -> RequestBody {
        RequestBody(content: .bytes(Array(string.utf8)), contentType: contentType)
    }

    /// A body streamed from the file at `path`, read as it is sent (never loaded whole).
    ///
    /// - Parameters:
    ///   - path: the file.
    ///   - length: the file's size if the caller knows it; otherwise the transport
    ///     determines it when sending.
    ///   - contentType: the `Content-Type` to send, if any.
    public static func file(path: String, length: Int64? = nil, contentType: String? = nil) -> RequestBody {
        RequestBody(content: .file(path: path, length: length), contentType: contentType)
    }

    /// A one-shot body produced by an async sequence of byte chunks, sent as it is produced.
    ///
    /// The sequence is iterated once; such a body is never replayed.
    public static func stream<Chunks: AsyncSequence & Sendable>(
        _ chunks: Chunks, length: Int64? = nil, contentType: String? = nil
    ) -> RequestBody where Chunks.Element == [UInt8] {
        RequestBody(content: .stream(ByteStream(chunks), length: length), contentType: contentType)
    }

    /// A `multipart/form-data` body.
    public static func multipart(_ form: MultipartForm) -> RequestBody {
        RequestBody(content: .multipart(form), contentType: nil)
    }
}

/// A type-erased one-shot producer of byte chunks.
///
/// It is kept as a pump closure rather than an iterator so that the sequence's own iterator never
/// has to cross an isolation boundary: the pump runs in one task and hands chunks to a sink.
public struct ByteStream: Sendable {
    let pump: @Sendable (_ sink: @Sendable ([UInt8]) async throws -> Void) async throws -> Void

    init<Chunks: AsyncSequence & Sendable>(_ chunks: Chunks) where Chunks.Element == [UInt8] {
        pump = { sink in
            for try await chunk in chunks where !chunk.isEmpty {
                try await sink(chunk)
            }
        }
    }
}
