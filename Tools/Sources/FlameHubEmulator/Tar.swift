import NIOCore

/// POSIX ustar framing for the bucket tarball stream: one 512-byte header per regular file
/// (a pax `x` header first when the path does not fit ustar's name/prefix split), contents
/// padded to 512 bytes, and two zero blocks at the end — what `tar-stream` writes.
enum Tar {
    static let blockSize = 512

    /// Header block(s) of a regular file entry.
    static func header(path: String, size: Int, modified: Int) -> ByteBuffer {
        var buffer = ByteBuffer()
        let bytes = Array(path.utf8)
        if let (prefix, name) = split(bytes) {
            buffer.writeBytes(
                block(name: name, prefix: prefix, size: size, modified: modified, type: UInt8(ascii: "0")))
        } else {
            // pax extended header carrying the full path.
            // "<length> path=<path>\n", where the length counts its own digits.
            let body = Array(" path=".utf8) + bytes + [10]
            var length = body.count + String(body.count).utf8.count
            if String(length).utf8.count != String(body.count).utf8.count {
                length = body.count + String(length).utf8.count
            }
            let record = Array(String(length).utf8) + body
            let paxName = Array("PaxHeader/".utf8) + Array(bytes.suffix(80))
            buffer.writeBytes(
                block(name: paxName, prefix: [], size: record.count, modified: modified, type: UInt8(ascii: "x")))
            buffer.writeBytes(record)
            buffer.writeBytes(padding(record.count))
            buffer.writeBytes(
                block(
                    name: Array(bytes.suffix(100)), prefix: [], size: size, modified: modified, type: UInt8(ascii: "0"))
            )
        }
        return buffer
    }

    /// Zero bytes completing a file of `size` bytes to a whole block.
    static func padding(_ size: Int) -> [UInt8] {
        let remainder = size % blockSize
        return remainder == 0 ? [] : [UInt8](repeating: 0, count: blockSize - remainder)
    }

    /// The two zero blocks that end an archive.
    static var end: ByteBuffer { ByteBuffer(bytes: [UInt8](repeating: 0, count: blockSize * 2)) }

    /// ustar stores paths up to 100 bytes in `name`, longer ones split at a `/` into a
    /// ≤155-byte `prefix` and a ≤100-byte `name`.
    static func split(_ path: [UInt8]) -> (prefix: [UInt8], name: [UInt8])? {
        if path.count <= 100 { return ([], path) }
        guard path.count <= 256 else { return nil }
        for index in path.indices.reversed() where path[index] == UInt8(ascii: "/") {
            let prefix = Array(path[..<index])
            let name = Array(path[(index + 1)...])
            if prefix.count <= 155, name.count <= 100, !name.isEmpty { return (prefix, name) }
        }
        return nil
    }

    static func block(name: [UInt8], prefix: [UInt8], size: Int, modified: Int, type: UInt8) -> [UInt8] {
        var header = [UInt8](repeating: 0, count: blockSize)
        func put(_ bytes: [UInt8], at offset: Int, width: Int) {
            for (index, byte) in bytes.prefix(width).enumerated() { header[offset + index] = byte }
        }
        func octal(_ value: Int, width: Int) -> [UInt8] {
            let digits = String(value, radix: 8)
            return Array((String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits).utf8) + [0]
        }
        put(name, at: 0, width: 100)
        put(octal(0o644, width: 8), at: 100, width: 8)
        put(octal(0, width: 8), at: 108, width: 8)
        put(octal(0, width: 8), at: 116, width: 8)
        put(octal(size, width: 12), at: 124, width: 12)
        put(octal(modified, width: 12), at: 136, width: 12)
        put([UInt8](repeating: 32, count: 8), at: 148, width: 8)  // checksum placeholder: spaces
        header[156] = type
        put(Array("ustar".utf8) + [0], at: 257, width: 6)
        put(Array("00".utf8), at: 263, width: 2)
        put(prefix, at: 345, width: 155)
        let checksum = header.reduce(0) { $0 + Int($1) }
        put(octal(checksum, width: 7) + [32], at: 148, width: 8)
        return header
    }
}
