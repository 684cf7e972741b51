import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension RequestBody {
    /// The boundary used when a multipart form is rendered in memory by ``collect(upTo:)``.
    public static let inspectionBoundary = "flamehub-inspection-boundary"

    /// Reads the whole body into memory (for tests and mocks); a one-shot stream is consumed.
    ///
    /// A multipart form is rendered as `multipart/form-data` with ``inspectionBoundary``.
    /// - Throws: ``TransportError`` when the body exceeds `maxBytes` or a file cannot be read.
    public func collect(upTo maxBytes: Int) async throws -> [UInt8] {
        var output = LimitedBuffer(limit: maxBytes)
        switch content {
        case .bytes(let bytes): try output.append(bytes)
        case .file(let path, _): try Self.readFile(path, into: &output)
        case .stream(let stream, _): try await Self.drain(stream, into: &output)
        case .multipart(let form):
            for part in form.parts {
                var head = "--\(Self.inspectionBoundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\""
                if let filename = part.filename { head += "; filename=\"\(filename)\"" }
                head += "\r\n"
                if let type = part.contentType { head += "Content-Type: \(type)\r\n" }
                try output.append(Array((head + "\r\n").utf8))
                switch part.content {
                case .bytes(let bytes): try output.append(bytes)
                case .file(let path): try Self.readFile(path, into: &output)
                case .stream(let stream, _): try await Self.drain(stream, into: &output)
                }
                try output.append(Array("\r\n".utf8))
            }
            try output.append(Array("--\(Self.inspectionBoundary)--\r\n".utf8))
        }
        return output.bytes
    }

    private static func drain(_ stream: ByteStream, into output: inout LimitedBuffer) async throws {
        let collected = Mutex<[UInt8]>([])
        let limit = output.limit - output.bytes.count
        try await stream.pump { chunk in
            try collected.withLock { bytes in
                guard bytes.count + chunk.count <= limit else { throw LimitedBuffer.tooLarge(limit: limit) }
                bytes.append(contentsOf: chunk)
            }
        }
        try output.append(collected.withLock { $0 })
    }

    private static func readFile(_ path: String, into output: inout LimitedBuffer) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw TransportError(
                .invalidRequest, message: "cannot open file \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count >= 0 else {
                throw TransportError(
                    .invalidRequest, message: "cannot read file \(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { return }
            try output.append(chunk[..<count])
        }
    }
}

/// Bytes that refuse to grow past a limit.
private struct LimitedBuffer {
    let limit: Int
    var bytes: [UInt8] = []

    init(limit: Int) { self.limit = limit }

    mutating func append<Bytes: Collection>(_ more: Bytes) throws where Bytes.Element == UInt8 {
        guard bytes.count + more.count <= limit else { throw Self.tooLarge(limit: limit) }
        bytes.append(contentsOf: more)
    }

    static func tooLarge(limit: Int) -> TransportError {
        TransportError(.bodyTooLarge, message: "request body exceeds the limit of \(limit) bytes")
    }
}
