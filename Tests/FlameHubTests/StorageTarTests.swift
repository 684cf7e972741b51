import FlameHub
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

/// Writes small ustar archives for tests.
struct TarBuilder {
    var bytes: [UInt8] = []

    func entry(_ name: String, type: Character, data: [UInt8] = [], link: String = "", pax: Bool = false) -> TarBuilder
    {
        var copy = self
        if pax {
            let record = "path=\(name)\n"
            let base = record.utf8.count + 1
            var length = base + String(base).count
            if base + String(length).count != length { length = base + String(length).count }
            let text = "\(length) \(record)"
            copy = copy.entry("PaxHeader", type: "x", data: Array(text.utf8))
            return copy.entry("short-name", type: type, data: data, link: link)
        }
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int, _ length: Int) {
            for (index, byte) in text.utf8.prefix(length).enumerated() { header[offset + index] = byte }
        }
        func octal(_ value: Int, width: Int) -> String {
            let digits = String(value, radix: 8)
            return String(repeating: "0", count: width - 1 - digits.count) + digits
        }
        put(name, at: 0, 100)
        put(octal(0o644, width: 8), at: 100, 8)
        put(octal(0, width: 8), at: 108, 8)
        put(octal(0, width: 8), at: 116, 8)
        put(octal(data.count, width: 12), at: 124, 12)
        put(octal(0, width: 12), at: 136, 12)
        put("        ", at: 148, 8)
        header[156] = type.asciiValue ?? 0
        put(link, at: 157, 100)
        put("ustar", at: 257, 6)
        put("00", at: 263, 2)
        let sum = header.reduce(0) { $0 + Int($1) }
        put(octal(sum, width: 7), at: 148, 7)
        copy.bytes += header + data + [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
        return copy
    }

    func file(_ name: String, _ data: [UInt8], pax: Bool = false) -> TarBuilder {
        entry(name, type: "0", data: data, pax: pax)
    }

    func finish() -> [UInt8] { bytes + [UInt8](repeating: 0, count: 1024) }
}

/// The tar extraction helper: files, directories, pax paths, and refusal of escaping entries.
@Suite("Tar extraction")
struct StorageTarTests {
    func extract(_ archive: [UInt8], chunk: Int = 97) throws -> (String, [String]) {
        let directory = FileManager.default.temporaryDirectory.path + "/flamehub-tar-\(UUID().uuidString)"
        var extractor = try TarExtractor(directory: directory)
        for start in stride(from: 0, to: archive.count, by: chunk) {
            try extractor.consume(Array(archive[start..<min(start + chunk, archive.count)]))
        }
        return (directory, try extractor.finish())
    }

    @Test func extractsFilesDirectoriesAndPaxPaths() throws {
        let long = String(repeating: "d", count: 120) + "/file.txt"
        let big = (0..<5000).map { UInt8($0 % 251) }
        let archive = TarBuilder().entry("empty-dir/", type: "5").file("top.txt", Array("top".utf8))
            .file("./nested/deep/big.bin", big).file(long, [42], pax: true).file("zero", []).finish()
        let (directory, paths) = try extract(archive)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(paths == ["top.txt", "nested/deep/big.bin", long, "zero"])
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/nested/deep/big.bin"))) == big)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + long))) == [42])
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory + "/zero")).isEmpty)
        let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/empty-dir")
        #expect(attributes[.type] as? FileAttributeType == .typeDirectory)
    }

    @Test(arguments: ["../escape.txt", "a/../../escape.txt", "/etc/passwd"])
    func rejectsEntriesLeavingTheDirectory(name: String) throws {
        let archive = TarBuilder().file(name, [1]).finish()
        let error = #expect(throws: HubClientError.self) { _ = try extract(archive) }
        #expect(error?.code == .unsafeArchiveEntry)
    }

    @Test(arguments: [Character("1"), Character("2")])
    func rejectsLinks(type: Character) throws {
        let archive = TarBuilder().entry("link", type: type, link: "/etc/passwd").finish()
        let error = #expect(throws: HubClientError.self) { _ = try extract(archive) }
        #expect(error?.code == .unsafeArchiveEntry)
    }

    @Test func doesNotWriteThroughALinkAlreadyInTheDirectory() throws {
        let base = FileManager.default.temporaryDirectory.path + "/flamehub-tar-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: base) }
        try FileManager.default.createDirectory(atPath: base + "/target", withIntermediateDirectories: true)
        try Data("untouched".utf8).write(to: URL(fileURLWithPath: base + "/outside.txt"))
        try FileManager.default.createSymbolicLink(
            atPath: base + "/target/a.txt", withDestinationPath: base + "/outside.txt")
        var extractor = try TarExtractor(directory: base + "/target")
        let error = #expect(throws: HubClientError.self) {
            try extractor.consume(TarBuilder().file("a.txt", Array("evil".utf8)).finish())
        }
        #expect(error?.code == .fileSystem)
        #expect(
            String(decoding: try Data(contentsOf: URL(fileURLWithPath: base + "/outside.txt")), as: UTF8.self)
                == "untouched")
    }

    @Test func rejectsTruncatedArchivesAndBadChecksums() throws {
        let archive = TarBuilder().file("a.txt", Array(repeating: 1, count: 2000)).finish()
        let truncated = #expect(throws: HubClientError.self) { _ = try extract(Array(archive.prefix(1500))) }
        #expect(truncated?.code == .invalidArchive)
        var corrupt = archive
        corrupt[0] = UInt8(ascii: "b")
        let checksum = #expect(throws: HubClientError.self) { _ = try extract(corrupt) }
        #expect(checksum?.code == .invalidArchive)
        let (directory, empty) = try extract([])
        #expect(empty.isEmpty)
        try? FileManager.default.removeItem(atPath: directory)
    }
}
