import NIOCore

/// Streaming gzip framing (RFC 1952) around *stored* deflate blocks (RFC 1951 BTYPE 00).
///
/// The Hub gzips single-file downloads for clients that accept it; what matters on the wire is
/// `Content-Encoding: gzip` and a valid gzip stream, not the compression ratio, so the emulator
/// frames the bytes without compressing them and needs no zlib.
struct GzipStoredEncoder {
    private var crc: UInt32 = 0xFFFF_FFFF
    private var size: UInt32 = 0

    /// The 10-byte member header (no name, no mtime, OS = Unix).
    static let header = ByteBuffer(bytes: [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3])

    /// Non-final stored blocks carrying `chunk`.
    mutating func encode(_ chunk: ByteBuffer) -> ByteBuffer {
        var output = ByteBuffer()
        output.reserveCapacity(chunk.readableBytes + 5 * (chunk.readableBytes / 65_535 + 1))
        var remaining = chunk
        while remaining.readableBytes > 0, let block = remaining.readSlice(length: min(65_535, remaining.readableBytes))
        {
            let length = UInt16(block.readableBytes)
            output.writeInteger(UInt8(0))
            output.writeInteger(length, endianness: .little)
            output.writeInteger(~length, endianness: .little)
            output.writeImmutableBuffer(block)
            block.withUnsafeReadableBytes { update($0) }
        }
        return output
    }

    /// An empty final block and the CRC-32/length trailer.
    func finish() -> ByteBuffer {
        var output = ByteBuffer(bytes: [1, 0, 0, 0xff, 0xff])
        output.writeInteger(~crc, endianness: .little)
        output.writeInteger(size, endianness: .little)
        return output
    }

    private mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var value = crc
        for byte in bytes {
            value = Self.table[Int((value ^ UInt32(byte)) & 0xff)] ^ (value >> 8)
        }
        crc = value
        size &+= UInt32(truncatingIfNeeded: bytes.count)
    }

    private static let table: [UInt32] = (0..<256).map { index -> UInt32 in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    /// `true` when an `Accept-Encoding` header admits gzip (`q=0` refuses it).
    static func accepts(_ header: String?) -> Bool {
        guard let header else { return false }
        for item in header.lowercased().split(separator: ",") {
            let parts = item.split(separator: ";").map { String($0).trimmingWhitespace() }
            guard parts.first == "gzip" || parts.first == "*" else { continue }
            let refused = parts.dropFirst().contains { $0.hasPrefix("q=") && Double($0.dropFirst(2)) == 0 }
            return !refused
        }
        return false
    }
}
