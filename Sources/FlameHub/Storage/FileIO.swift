#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

// Free functions, so the C calls are not shadowed by the methods of the same names below.
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int { write(fd, bytes, count) }
private func systemRead(_ fd: Int32, _ bytes: UnsafeMutableRawPointer?, _ count: Int) -> Int { read(fd, bytes, count) }
private func systemClose(_ fd: Int32) -> Int32 { close(fd) }

extension HubClientError.Code {
    /// A local file could not be read, written or moved.
    public static let fileSystem = HubClientError.Code(name: "fileSystem")
    /// A tar archive is truncated or malformed.
    public static let invalidArchive = HubClientError.Code(name: "invalidArchive")
    /// A tar entry would land outside the target directory (`..`, an absolute path) or is a link.
    public static let unsafeArchiveEntry = HubClientError.Code(name: "unsafeArchiveEntry")
}

/// Thin POSIX file helpers (the SDK does not use Foundation's `FileHandle`). The emulator's
/// storage service writes uploads and reads downloads with them too (hence the SPI).
@_spi(FlameHubTools) public enum FileIO {
    static let chunkSize = 256 * 1024

    static func failure(_ action: String, _ path: String) -> HubClientError {
        let code = errno
        let reason = String(cString: strerror(code))
        return HubClientError(.fileSystem, "cannot \(action) '\(path)': \(reason)")
    }

    /// The size of the regular file at `path`.
    static func size(_ path: String) throws -> Int64 {
        var info = stat()
        guard stat(path, &info) == 0 else { throw failure("stat", path) }
        return Int64(info.st_size)
    }

    /// Renames `from` to `to` (atomic within one file system).
    public static func move(_ from: String, to: String) throws {
        guard rename(from, to) == 0 else { throw failure("move a file to", to) }
    }

    /// Deletes the file at `path` if it is there (clean-up after a failure: errors are ignored).
    public static func remove(_ path: String) {
        _ = unlink(path)
    }

    /// The directory part of `path` (`.` for a bare name).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The last component of `path`.
    static func baseName(of path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}

/// A file opened for writing; closed on ``close()`` or when released. Not `Sendable`: its
/// descriptor changes on close, and each writer has one owner (a download, an extractor, an
/// emulator upload).
@_spi(FlameHubTools) public final class FileWriter {
    let path: String
    private var descriptor: Int32

    /// Creates (or truncates) the file at `path` with `permissions` (before the umask).
    public init(path: String, permissions: mode_t = 0o644) throws {
        self.path = path
        // O_NOFOLLOW: a symbolic link planted at the target is not written through.
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, permissions)
        guard descriptor >= 0 else { throw FileIO.failure("create", path) }
    }

    /// Writes all of `bytes`.
    public func write(_ bytes: some Collection<UInt8>) throws {
        let done: Bool? = try bytes.withContiguousStorageIfAvailable { buffer in
            try write(buffer: UnsafeRawBufferPointer(buffer))
            return true
        }
        if done == nil { try Array(bytes).withUnsafeBytes { try write(buffer: $0) } }
    }

    private func write(buffer: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < buffer.count {
            guard let base = buffer.baseAddress else { return }
            let written = systemWrite(descriptor, base + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw FileIO.failure("write", path)
            }
            offset += written
        }
    }

    /// Flushes and closes the file.
    public func close() throws {
        guard descriptor >= 0 else { return }
        let result = systemClose(descriptor)
        descriptor = -1
        guard result == 0 else { throw FileIO.failure("close", path) }
    }

    deinit {
        if descriptor >= 0 { _ = systemClose(descriptor) }
    }
}

/// The contents of a file as an async sequence of chunks, read as they are consumed.
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    let path: String

    func makeAsyncIterator() -> Iterator { Iterator(path: path) }

    struct Iterator: AsyncIteratorProtocol {
        let path: String
        var reader: FileReader?
        var finished = false

        init(path: String) { self.path = path }

        mutating func next() async throws -> [UInt8]? {
            if finished { return nil }
            if reader == nil { reader = try FileReader(path: path) }
            guard let chunk = try reader?.read(FileIO.chunkSize), !chunk.isEmpty else {
                finished = true
                reader = nil
                return nil
            }
            return chunk
        }
    }
}

/// A file opened for reading; closed when released.
@_spi(FlameHubTools) public final class FileReader {
    let path: String
    private let descriptor: Int32

    /// Opens the file at `path`.
    public init(path: String) throws {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileIO.failure("open", path) }
    }

    /// Up to `count` bytes; empty at the end of the file.
    public func read(_ count: Int) throws -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: count)
        while true {
            let got = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw FileIO.failure("read", path)
            }
            chunk.removeLast(count - got)
            return chunk
        }
    }

    deinit { _ = systemClose(descriptor) }
}
