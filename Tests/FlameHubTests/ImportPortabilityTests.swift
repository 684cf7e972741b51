#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

/// The SDK builds on Linux and on Darwin, where `FoundationEssentials` is not importable and the C
/// library is `Darwin`. Only Linux builds run here, so the imports are checked as text: a file that
/// would not compile on the other platform fails this test instead of a user's build.
@Suite("Portability: every SDK file's imports build on Linux and Darwin")
struct ImportPortabilityTests {
    @Test func sdkSourcesImportPortably() throws {
        let files = try Self.sdkSources()
        #expect(files.count > 30, "the sources were not found below \(Self.repositoryRoot)")
        var problems: [String] = []
        for (path, text) in files {
            problems += ImportRules.problems(in: text).map { "\(path):\($0)" }
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test func acceptsThePortableSpellings() {
        let text = """
            #if canImport(FoundationEssentials)
                import FoundationEssentials
            #else
                import Foundation
            #endif
            import HTTPTypes
            #if canImport(Glibc)
                import Glibc
            #elseif canImport(Musl)
                import Musl
            #elseif canImport(Darwin)
                import Darwin
            #endif
            @preconcurrency import Logging
            """
        #expect(ImportRules.problems(in: text).isEmpty)
    }

    @Test(arguments: [
        ("import FoundationEssentials", "FoundationEssentials outside"),
        ("import Foundation", "Foundation outside"),
        ("public import Foundation", "Foundation outside"),
        ("#if canImport(FoundationEssentials)\nimport FoundationEssentials\n#endif", "no #else"),
        (
            "#if os(Linux)\nimport FoundationEssentials\n#else\nimport Foundation\n#endif",
            "FoundationEssentials outside"
        ),
        ("import FoundationNetworking", "FoundationNetworking"),
        ("#if canImport(FoundationNetworking)\n    import FoundationNetworking\n#endif", "FoundationNetworking"),
        (
            "#if canImport(Glibc)\n    import Glibc\n#elseif canImport(Musl)\n    import Musl\n#endif",
            "no Darwin branch"
        ),
        ("import Glibc", "Glibc outside"),
        ("#if canImport(Glibc)\nimport Glibc\n#else\nimport Darwin\n#endif", "Darwin outside"),
        (
            "#if canImport(Glibc)\n#if DEBUG\nimport Glibc\n#endif\n#elseif canImport(Darwin)\nimport Darwin\n#endif",
            "Glibc outside"
        ),
    ])
    func rejectsUnportableImports(text: String, expected: String) {
        let problems = ImportRules.problems(in: text)
        #expect(problems.contains { $0.contains(expected) }, "\(problems)")
    }

    // MARK: the sources

    /// The repository root: this file is `<root>/Tests/FlameHubTests/ImportPortabilityTests.swift`.
    static let repositoryRoot = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        .dropLast(3).joined(separator: "/")

    /// Every Swift file of the library and its test double, as (path from the root, text).
    static func sdkSources() throws -> [(String, String)] {
        var files: [(String, String)] = []
        for target in ["Sources/FlameHub", "Sources/FlameHubTesting"] {
            let directory = repositoryRoot + "/" + target
            for relative in try FileManager.default.subpathsOfDirectory(atPath: directory).sorted()
            where relative.hasSuffix(".swift") {
                let data = try #require(FileManager.default.contents(atPath: directory + "/" + relative))
                files.append((target + "/" + relative, String(decoding: data, as: UTF8.self)))
            }
        }
        return files
    }
}

/// Which imports are portable, checked line by line with the `#if` block around each import.
enum ImportRules {
    /// One `#if … #endif` block: its branches' conditions (`else` for `#else`) and imported modules.
    private struct Block {
        var branches: [(condition: String, modules: [String])] = []
    }

    /// An import and where it stands: the index of its block in `blocks` and its branch there.
    private struct Import {
        var line: Int
        var module: String
        var place: (block: Int, branch: Int)?
        var nested: Bool
    }

    /// The problems of `text`, each as `line: what is wrong`.
    static func problems(in text: String) -> [String] {
        var blocks: [Block] = []
        var open: [Int] = []
        var imports: [Import] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = trimmed(raw)
            if let condition = directive("#if", line) {
                open.append(blocks.count)
                blocks.append(Block(branches: [(condition, [])]))
            } else if let condition = directive("#elseif", line), let current = open.last {
                blocks[current].branches.append((condition, []))
            } else if line == "#else" || line.hasPrefix("#else "), let current = open.last {
                blocks[current].branches.append(("else", []))
            } else if line.hasPrefix("#endif") {
                _ = open.popLast()
            } else if let module = importedModule(line) {
                let place = open.last.map { (block: $0, branch: blocks[$0].branches.count - 1) }
                if let place { blocks[place.block].branches[place.branch].modules.append(module) }
                imports.append(Import(line: index + 1, module: module, place: place, nested: open.count > 1))
            }
        }
        return imports.compactMap { item in
            let block = item.place.map { blocks[$0.block] }
            let problem =
                item.nested
                ? "\(item.module) outside a plain canImport block (nested #if)"
                : check(item.module, condition: item.place.map { block?.branches[$0.branch].condition ?? "" }, block)
            return problem.map { "\(item.line): \($0)" }
        }
    }

    private static func check(_ module: String, condition: String?, _ block: Block?) -> String? {
        let conditions = block?.branches.map(\.condition) ?? []
        let modules = block?.branches.flatMap(\.modules) ?? []
        switch module {
        case "FoundationNetworking":
            return "FoundationNetworking is not used by the SDK (no URLSession): use the HTTPTransport"
        case "FoundationEssentials":
            guard condition == "canImport(FoundationEssentials)" else {
                return "FoundationEssentials outside `#if canImport(FoundationEssentials)`"
            }
            guard conditions.last == "else", modules.contains("Foundation") else {
                return "FoundationEssentials with no #else importing Foundation (Darwin has no FoundationEssentials)"
            }
        case "Foundation":
            guard condition == "else", conditions.first == "canImport(FoundationEssentials)",
                modules.contains("FoundationEssentials")
            else {
                return "Foundation outside the #else of `#if canImport(FoundationEssentials)` (Linux links it whole)"
            }
        case "Glibc", "Musl", "Darwin":
            guard condition == "canImport(\(module))" else { return "\(module) outside `canImport(\(module))`" }
            guard conditions.contains("canImport(Darwin)"), modules.contains("Darwin") else {
                return "\(module) with no Darwin branch (`#elseif canImport(Darwin)`)"
            }
            guard conditions.contains("canImport(Glibc)") else { return "\(module) with no Glibc branch" }
        default:
            break
        }
        return nil
    }

    private static func trimmed(_ text: Substring) -> Substring {
        var text = text
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" || last == "\r" { text = text.dropLast() }
        return text
    }

    /// The condition of `#if cond` / `#elseif cond`, without a trailing comment.
    private static func directive(_ keyword: String, _ line: Substring) -> String? {
        guard line.hasPrefix(keyword + " ") else { return nil }
        var condition = line.dropFirst(keyword.count + 1)
        if let slash = condition.firstIndex(of: "/") { condition = condition[..<slash] }
        return String(trimmed(condition))
    }

    /// The first component of the module an `import` line imports, skipping attributes
    /// (`@preconcurrency`), access levels and declaration kinds (`import struct A.B`).
    private static func importedModule(_ line: Substring) -> String? {
        let skipped: Set<Substring> = [
            "public", "package", "internal", "fileprivate", "private", "typealias", "struct", "class", "enum",
            "protocol", "let", "var", "func",
        ]
        var words = line.split(separator: " ")[...]
        while let first = words.first, first.hasPrefix("@") || skipped.contains(first) { words = words.dropFirst() }
        guard words.first == "import", words.count >= 2 else { return nil }
        words = words.dropFirst()
        if let kind = words.first, skipped.contains(kind) { words = words.dropFirst() }
        return words.first.map { String($0.split(separator: ".").first ?? $0) }
    }
}
