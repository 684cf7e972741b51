#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Extracts a tar stream (POSIX ustar, pax `path` records, GNU long names) into a directory,
/// chunk by chunk, without holding an entry in memory.
///
/// Only regular files and directories are extracted. An entry whose path is absolute or
/// contains `..`, and any link or device entry, is rejected with ``HubClientError``
/// (``HubClientError/Code/unsafeArchiveEntry``) before anything of it is written.
///
/// ```swift
/// var extractor = try TarExtractor(directory: "/tmp/out")
/// for try await chunk in try await storage.streamBucket(bucket) { try extractor.consume(chunk) }
/// let paths = try extractor.finish()
/// ```
public struct TarExtractor {
    /// The target directory.
    public let directory: String
    private var header: [UInt8] = []
    private var remaining: Int64 = 0
    private var padding: Int64 = 0
    private var writer: FileWriter?
    private var collected: [UInt8]?
    private var collecting = Collecting.none
    private var nextPath: String?
    private var zeroBlocks = 0
    private var ended = false
    private var receivedAnything = false
    private var extracted: [String] = []

    private enum Collecting {
        case none, pax, longName
    }

    /// An extractor writing below `directory` (created if missing).
    public init(directory: String) throws {
        var directory = directory
        while directory.count > 1 && directory.hasSuffix("/") { directory.removeLast() }
        self.directory = directory
        try Self.makeDirectory(directory)
    }

    /// Processes the next chunk of the archive.
    public mutating func consume(_ chunk: [UInt8]) throws {
        if !chunk.isEmpty { receivedAnything = true }
        var index = 0
        while index < chunk.count {
            if remaining > 0 {
                let count = Int(min(remaining, Int64(chunk.count - index)))
                let slice = chunk[index..<(index + count)]
                if let writer {
                    try writer.write(slice)
                } else if collecting != .none {
                    collected?.append(contentsOf: slice)
                }
                remaining -= Int64(count)
                index += count
                if remaining == 0 { try finishEntry() }
                continue
            }
            if padding > 0 {
                let count = Int(min(padding, Int64(chunk.count - index)))
                padding -= Int64(count)
                index += count
                continue
            }
            if ended { return }
            let count = min(512 - header.count, chunk.count - index)
            header.append(contentsOf: chunk[index..<(index + count)])
            index += count
            if header.count == 512 {
                let block = header
                header = []
                try process(block)
            }
        }
    }

    /// Checks that the archive was complete and returns the extracted files' relative paths.
    ///
    /// - Throws: ``HubClientError`` (``HubClientError/Code/invalidArchive``) for a truncated archive.
    public mutating func finish() throws -> [String] {
        if let writer { try writer.close() }
        guard ended || !receivedAnything else {
            throw HubClientError(.invalidArchive, "the tar stream ended before its end-of-archive blocks")
        }
        return extracted
    }

    private mutating func process(_ block: [UInt8]) throws {
        if block.allSatisfy({ $0 == 0 }) {
            zeroBlocks += 1
            if zeroBlocks == 2 { ended = true }
            return
        }
        zeroBlocks = 0
        guard let checksum = Self.octal(block[148..<156]), checksum == Self.checksum(block) else {
            throw HubClientError(.invalidArchive, "a tar header has a wrong checksum")
        }
        let size = try Self.size(block[124..<136])
        let type = block[156]
        remaining = size
        padding = (512 - size % 512) % 512
        switch type {
        case UInt8(ascii: "x"):
            collecting = .pax
            collected = []
        case UInt8(ascii: "L"):
            collecting = .longName
            collected = []
        case UInt8(ascii: "g"):
            collecting = .none
        case 0, UInt8(ascii: "0"), UInt8(ascii: "7"), UInt8(ascii: "5"):
            let name = nextPath ?? Self.name(block)
            nextPath = nil
            let relative = try Self.safePath(name)
            let target = directory + "/" + relative
            if type == UInt8(ascii: "5") {
                try Self.makeDirectory(target)
            } else {
                try Self.makeDirectory(FileIO.directory(of: target))
                writer = try FileWriter(path: target)
                extracted.append(relative)
            }
        default:
            let name = nextPath ?? Self.name(block)
            let kind = type == UInt8(ascii: "1") || type == UInt8(ascii: "2") ? "a link" : "a special file"
            throw HubClientError(.unsafeArchiveEntry, "the tar entry '\(name)' is \(kind); only files are extracted")
        }
        if remaining == 0 { try finishEntry() }
    }

    private mutating func finishEntry() throws {
        if let writer {
            try writer.close()
            self.writer = nil
        }
        guard let bytes = collected else { return }
        collected = nil
        switch collecting {
        case .pax: nextPath = Self.paxPath(bytes) ?? nextPath
        case .longName: nextPath = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        case .none: break
        }
        collecting = .none
    }

    /// `path` relative to the target, or an error when it would escape it.
    static func safePath(_ path: String) throws -> String {
        if path.hasPrefix("/") {
            throw HubClientError(.unsafeArchiveEntry, "the tar entry '\(path)' has an absolute path")
        }
        let components = path.split(separator: "/").filter { $0 != "." }
        if components.contains("..") {
            throw HubClientError(.unsafeArchiveEntry, "the tar entry '\(path)' leaves the target directory (..)")
        }
        guard !components.isEmpty else {
            throw HubClientError(.unsafeArchiveEntry, "a tar entry has an empty path")
        }
        return components.joined(separator: "/")
    }

    static func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw HubClientError(.fileSystem, "cannot create directory '\(path)': \(error)")
        }
    }

    static func string(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// The entry name, with the ustar prefix.
    static func name(_ block: [UInt8]) -> String {
        let name = string(block[0..<100])
        let magic = string(block[257..<262])
        let prefix = magic == "ustar" ? string(block[345..<500]) : ""
        return prefix.isEmpty ? name : prefix + "/" + name
    }

    static func octal(_ bytes: ArraySlice<UInt8>) -> Int64? {
        var value: Int64 = 0
        var digits = 0
        for byte in bytes {
            if byte == 0 || byte == UInt8(ascii: " ") {
                if digits > 0 { break } else { continue }
            }
            guard (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(byte) else { return nil }
            value = value * 8 + Int64(byte - UInt8(ascii: "0"))
            digits += 1
        }
        return value
    }

    /// Octal, or GNU base-256 (high bit set) for sizes of 8 GiB and more.
    static func size(_ bytes: ArraySlice<UInt8>) throws -> Int64 {
        if let first = bytes.first, first & 0x80 != 0 {
            var value: Int64 = Int64(first & 0x7F)
            for byte in bytes.dropFirst() {
                guard value < (Int64.max >> 8) else { throw HubClientError(.invalidArchive, "a tar entry is too big") }
                value = value << 8 | Int64(byte)
            }
            return value
        }
        guard let value = octal(bytes) else { throw HubClientError(.invalidArchive, "a tar entry size is not octal") }
        return value
    }

    static func checksum(_ block: [UInt8]) -> Int64 {
        var sum: Int64 = 0
        for (index, byte) in block.enumerated() {
            sum += (148..<156).contains(index) ? 32 : Int64(byte)
        }
        return sum
    }

    /// The `path` record of a pax extended header (`<length> path=<value>\n` records).
    static func paxPath(_ bytes: [UInt8]) -> String? {
        var index = 0
        var path: String?
        while index < bytes.count {
            guard let space = bytes[index...].firstIndex(of: UInt8(ascii: " ")),
                let length = Int(String(decoding: bytes[index..<space], as: UTF8.self)), length > 0,
                index + length <= bytes.count
            else { break }
            let record = bytes[(space + 1)..<(index + length)]
            if let equals = record.firstIndex(of: UInt8(ascii: "=")),
                String(decoding: record[record.startIndex..<equals], as: UTF8.self) == "path"
            {
                var value = record[(equals + 1)...]
                if value.last == UInt8(ascii: "\n") { value = value.dropLast() }
                path = String(decoding: value, as: UTF8.self)
            }
            index += length
        }
        return path
    }
}
