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

/// Writes to a file descriptor directly (the C `stdout`/`stderr` globals are not
/// concurrency-safe in Swift 6), retrying short writes and interruptions.
struct OutputStream: Sendable {
    let descriptor: Int32

    static let standardOutput = OutputStream(descriptor: 1)
    static let standardError = OutputStream(descriptor: 2)

    func write(_ text: String) {
        var text = text
        text.withUTF8 { write(bytes: UnsafeRawBufferPointer($0)) }
    }

    func write(bytes: UnsafeRawBufferPointer) {
        guard var pointer = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = systemWrite(descriptor, pointer, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            remaining -= written
            pointer += written
        }
    }

    func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { write(bytes: $0) }
    }

    /// Whether the descriptor is a terminal (progress bars and colours only then).
    var isTerminal: Bool { isatty(descriptor) == 1 }
}

/// `write(2)`, outside ``OutputStream`` whose own `write` methods would shadow it.
private func systemWrite(_ descriptor: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, pointer, count)
}

/// Reads standard input to its end (for `--json-body -` and `--password-file -`).
enum StandardInput {
    /// The bytes of the file at `path`, or of standard input for `-`.
    ///
    /// - Throws: ``CLIError`` (exit 66) naming `what` when the file cannot be read.
    static func contents(of path: String, what: String) throws -> [UInt8] {
        if path == "-" { return readAll() }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError(.noInput, "cannot read the \(what) file '\(path)'")
        }
        return Array(data)
    }

    static func readAll() -> [UInt8] {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return result }
            result.append(contentsOf: buffer[0..<count])
        }
    }
}
