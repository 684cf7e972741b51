import Foundation
import SwiftParser
import SwiftSyntax

/// A Swift file of the repository, named by its path relative to the repository root: one of the
/// SDK's sources the generator reads, or one of the files it writes.
public struct SwiftFile: Sendable, Hashable {
    /// E.g. `Sources/FlameHub/Clients/CoreClient.swift`.
    public var path: String
    /// The file's contents.
    public var text: String

    /// The file at `path` (relative to the repository root) with contents `text`.
    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }
}

/// Why the sources cannot be turned into generated code (a declaration the generator does not
/// understand); the message names the declaration and its file.
public struct CodegenError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// The generator of the SDK's committed Swift code, run by `flamehub-codegen` and checked by the
/// FlameHubCodegenTests.
///
/// It reads the SDK's own sources (`Sources/FlameHub/**/*.swift`, except the generated folder)
/// with SwiftParser and writes, into `Sources/FlameHub/Generated/`:
/// - `<Client>+ResourceMethods.swift` per ``HubClient`` struct: for each `Resource<Descriptor>`
///   property, the guide-style methods of the operations the descriptor conforms to (see
///   ``ResourceMethodsEmitter``);
/// - `RequestBodies+Initializers.swift`: the public memberwise initializer of every struct that
///   declares the `GeneratedMemberwiseInit` marker initializer (see ``MemberwiseInitEmitter``);
/// - `ModelDecoders.swift`: a decoder straight off the SDK's JSON tape for every `HubModel` and
///   the value structs they use (see ``ModelDecodersEmitter``).
///
/// The output depends only on the sources' text: files are read in path order and declarations
/// in source order, so two runs give the same bytes.
public enum Codegen {
    /// The SDK's source folder, relative to the repository root.
    public static let sourceDirectory = "Sources/FlameHub"
    /// The folder the generator owns: every `.swift` file in it is generated.
    public static let outputDirectory = "Sources/FlameHub/Generated"

    /// The generated files for `sources` (files outside ``sourceDirectory`` or inside
    /// ``outputDirectory`` are ignored), sorted by path; their text is formatted as `swift format`
    /// keeps it.
    ///
    /// - Throws: ``CodegenError`` when a declaration the generator reads is malformed.
    public static func generate(_ sources: [SwiftFile]) throws -> [SwiftFile] {
        let inputs = sources.filter { isInput($0.path) }.sorted { $0.path < $1.path }
        let index = DeclarationIndex(
            files: inputs.map { ($0.path, Parser.parse(source: $0.text)) })
        var files = try ResourceMethodsEmitter(index: index).files()
        if let initializers = try MemberwiseInitEmitter(index: index).file() {
            files.append(initializers)
        }
        if let decoders = try ModelDecodersEmitter(index: index).file() {
            files.append(decoders)
        }
        return files.sorted { $0.path < $1.path }
    }

    static func isInput(_ path: String) -> Bool {
        path.hasPrefix(sourceDirectory + "/") && path.hasSuffix(".swift")
            && !path.hasPrefix(outputDirectory + "/")
    }

    // MARK: - The repository on disk

    /// The SDK's Swift sources below `repository` (the folder holding the root `Package.swift`).
    public static func readSources(repository: URL) throws -> [SwiftFile] {
        try swiftFiles(below: sourceDirectory, in: repository)
            .filter(isInput)
            .map { SwiftFile(path: $0, text: try read($0, in: repository)) }
    }

    /// The generated files as committed: every `.swift` file in ``outputDirectory``.
    public static func readCommitted(repository: URL) throws -> [SwiftFile] {
        try swiftFiles(below: outputDirectory, in: repository)
            .map { SwiftFile(path: $0, text: try read($0, in: repository)) }
    }

    /// What differs between `committed` and a fresh generation `generated`, by path.
    public static func differences(generated: [SwiftFile], committed: [SwiftFile]) -> [Difference] {
        let old = Dictionary(committed.map { ($0.path, $0.text) }, uniquingKeysWith: { first, _ in first })
        let new = Dictionary(generated.map { ($0.path, $0.text) }, uniquingKeysWith: { first, _ in first })
        return Set(old.keys).union(new.keys).sorted().compactMap { path in
            switch (old[path], new[path]) {
            case (let before?, let after?) where before != after:
                Difference(path: path, kind: .stale(diff: LineDiff.render(before, after)))
            case (nil, .some):
                Difference(path: path, kind: .missing)
            case (.some, nil):
                Difference(path: path, kind: .unexpected)
            default:
                nil
            }
        }
    }

    /// A short unified-style diff of two texts' lines (`-` in `before`, `+` in `after`).
    public static func lineDiff(_ before: String, _ after: String) -> String {
        LineDiff.render(before, after)
    }

    /// Writes `generated` below `repository` (only files whose contents changed) and removes the
    /// `.swift` files of ``outputDirectory`` that are no longer generated.
    ///
    /// - Returns: the differences that were applied.
    @discardableResult
    public static func write(_ generated: [SwiftFile], repository: URL) throws -> [Difference] {
        let changes = differences(generated: generated, committed: try readCommitted(repository: repository))
        let contents = Dictionary(generated.map { ($0.path, $0.text) }, uniquingKeysWith: { first, _ in first })
        try FileManager.default.createDirectory(
            at: repository.appendingPathComponent(outputDirectory), withIntermediateDirectories: true)
        for change in changes {
            let url = repository.appendingPathComponent(change.path)
            if let text = contents[change.path] {
                try Data(text.utf8).write(to: url, options: .atomic)
            } else {
                try FileManager.default.removeItem(at: url)
            }
        }
        return changes
    }

    private static func read(_ path: String, in repository: URL) throws -> String {
        let data = try Data(contentsOf: repository.appendingPathComponent(path))
        return String(decoding: data, as: UTF8.self)
    }

    /// The `.swift` files below `directory` (relative paths, sorted); none if it does not exist.
    private static func swiftFiles(below directory: String, in repository: URL) throws -> [String] {
        let root = repository.appendingPathComponent(directory)
        guard FileManager.default.fileExists(atPath: root.path) else { return [] }
        guard let enumerator = FileManager.default.enumerator(atPath: root.path) else {
            throw CodegenError("cannot list \(root.path)")
        }
        var paths: [String] = []
        while let relative = enumerator.nextObject() as? String {
            if relative.hasSuffix(".swift") { paths.append(directory + "/" + relative) }
        }
        return paths.sorted()
    }
}

/// A generated file that differs from its committed version.
public struct Difference: Sendable, Hashable, CustomStringConvertible {
    /// How the committed file differs.
    public enum Kind: Sendable, Hashable {
        /// Both exist with other contents; `diff` shows committed (`-`) against fresh (`+`) lines.
        case stale(diff: String)
        /// The file is generated but not committed.
        case missing
        /// The file is committed in the generated folder but no longer generated.
        case unexpected
    }

    /// The file's path relative to the repository root.
    public var path: String
    /// What differs.
    public var kind: Kind

    public var description: String {
        switch kind {
        case .stale(let diff): "\(path) is stale (- committed, + generated):\n\(diff)"
        case .missing: "\(path) is generated but missing"
        case .unexpected: "\(path) is in the generated folder but no longer generated"
        }
    }
}
