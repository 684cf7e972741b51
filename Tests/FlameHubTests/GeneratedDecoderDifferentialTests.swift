#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

@_spi(FlameHubTools) @testable import FlameHub

/// The generated decoders (Generated/ModelDecoders.swift) against the synthesized `init(from:)`
/// on the same tape: for every type with a generated decoder, every generation's key casing and
/// record envelope, valid payloads and mutated ones, both give equal values or the same error
/// (kind, type, coding path, debug description and the ``HubDecodingError`` text).
@Suite("Generated decoders agree with the synthesized ones")
struct GeneratedDecoderDifferentialTests {
    @Test("there is a generated decoder for the models") func inventory() {
        #expect(ModelDecoders.all.count >= 40)
        #expect(Self.conventions.count == 3)
        #expect(ModelDecoders.all.contains { $0 == Node.self })
        // Hand-written decoders translated by the generator: the paging facts and the analyses,
        // whose fields are renamed between generations.
        for type in [
            ListMeta.self, QuerySchema.self, Analysis.self, AnalysisNode.self, AnalysisBucket.self,
            AnalysisBucketFile.self,
        ] as [any TapeDecodable.Type] {
            #expect(ModelDecoders.all.contains { $0 == type }, "\(type) has no generated decoder")
        }
    }

    @Test(
        "every generated type, every generation, valid and mutated payloads",
        arguments: ModelDecoders.all.indices)
    func everyModel(_ position: Int) throws {
        let type = ModelDecoders.all[position]
        var tally = Tally()
        try check(type, tally: &tally)
        // The learned payload decodes, and mutations make it fail.
        #expect(tally.decoded > 0, "\(type) never decoded")
        #expect(tally.failed > 0, "\(type) never failed")
    }

    @Test("bodies that are not records, and syntax errors")
    func malformedBodies() throws {
        let bodies = [
            "[]", "null", "1", "\"node\"", "{", "{\"id\":}", "{\"data\": 5}", "{\"data\": null, \"meta\": {}}",
            "{\"data\": [1, {}], \"meta\": {}}", "{\"data\": [], \"meta\": []}", "", "<html>",
            "{\"id\": \"x\", \"id\": \"y\"}", "{\"\\u0069d\": 1}", "{\"data\": [{\"name\": 1}]}",
        ]
        for type in ModelDecoders.all {
            for body in bodies {
                try compareAll(type, Array(body.utf8), label: body)
            }
        }
    }

    // MARK: - Comparing

    struct Tally {
        var decoded = 0
        var failed = 0
    }

    /// What differs between the generations' payloads: the key casing and the record envelope
    /// (each combination once, named after the first generation and service that use it).
    static var conventions: [(snake: Bool, enveloped: Bool, name: String)] {
        var conventions: [(snake: Bool, enveloped: Bool, name: String)] = []
        for generation in HubGeneration.allCases {
            for service in [HubService.core, .auth] {
                let snake = generation.keyCasing(of: service) == .snakeCase
                let enveloped = generation.envelopesRecords(of: service)
                if !conventions.contains(where: { $0.snake == snake && $0.enveloped == enveloped }) {
                    conventions.append((snake, enveloped, "\(generation) \(service)"))
                }
            }
        }
        return conventions
    }

    func check<G: TapeDecodable>(_ type: G.Type, tally: inout Tally) throws {
        let base = try #require(Self.learn(G.self), "no valid payload found for \(G.self)")
        try check(G.self, base: base, label: "", tally: &tally)
        // A type whose fields are renamed between generations: each generation's payload too
        // (only its names), so that the names that tell generations apart are tried alone.
        for (generation, names) in Self.generationNames(G.self) {
            let base = try #require(Self.learn(G.self, names: names), "no \(generation) payload found for \(G.self)")
            try check(G.self, base: base, label: "\(generation) names ", tally: &tally)
        }
    }

    /// For a ``WireRuled`` type, the keys of each generation's payload: the fields without a rule
    /// and the names the generation gives the ruled ones.
    static func generationNames<G: TapeDecodable>(_ type: G.Type) -> [(HubGeneration, [String])] {
        guard let rules = (G.self as? any WireRuled.Type)?.wireRules else { return [] }
        var ruled: Set<String> = []
        for generation in HubGeneration.allCases {
            for (field, name) in rules.names(in: generation) {
                ruled.insert(field)
                if let name { ruled.insert(name) }
            }
        }
        let plain = G.tapeNames.map { "\($0)" }.filter { !ruled.contains($0) }
        return HubGeneration.allCases.map { generation in
            (generation, plain + rules.names(in: generation).compactMap(\.name))
        }
    }

    func check<G: TapeDecodable>(_ type: G.Type, base: PayloadTree, label prefix: String, tally: inout Tally) throws {
        let model = String(describing: G.self)
        for (snake, enveloped, convention) in Self.conventions {
            let valid = snake ? base.snakeCased() : base
            for (offset, (label, tree)) in Self.mutations(of: base).enumerated() {
                let record = snake ? tree.snakeCased() : tree
                let name = "\(model) \(convention) \(prefix)\(label)"
                if try compare(G.self, Array(record.json.utf8), label: name) {
                    tally.decoded += 1
                } else {
                    tally.failed += 1
                }
                // The envelopes around the first mutations (the record's own checks are the same).
                guard offset < 12 else { continue }
                let body = enveloped ? PayloadTree.object([("data", record), ("meta", .object([]))]) : record
                try compare(RecordBody<G>.self, Array(body.json.utf8), label: name + " (record body)")
                if let listable = G.self as? any (Decodable & Hashable & Sendable).Type {
                    let list = PayloadTree.object([("data", .array([valid, record])), ("meta", .object([]))])
                    try compareList(listable, Array(list.json.utf8), label: name + " (list)")
                }
            }
        }
    }

    func compareAll<G: TapeDecodable>(_ type: G.Type, _ bytes: [UInt8], label: String) throws {
        try compare(G.self, bytes, label: label)
        try compare(RecordBody<G>.self, bytes, label: label + " (record body)")
        if let listable = G.self as? any (Decodable & Hashable & Sendable).Type {
            try compareList(listable, bytes, label: label + " (list)")
        }
    }

    func compareList<M: Decodable & Hashable & Sendable>(_ type: M.Type, _ bytes: [UInt8], label: String) throws {
        try compare(ResourceList<M>.self, bytes, label: label)
    }

    /// Decodes `bytes` both ways; true when both decoded.
    @discardableResult
    func compare<T: Decodable>(_ type: T.Type, _ bytes: [UInt8], label: String) throws -> Bool {
        let generated = Result { try FastJSONDecoder().decode(T.self, from: bytes) }
        let synthesized = Result { try FastJSONDecoder(generatedDecoders: false).decode(T.self, from: bytes) }
        let context = "\(label): \(String(decoding: bytes, as: UTF8.self))"
        switch (generated, synthesized) {
        case (.success(let a), .success(let b)):
            #expect(Self.same(a, b), "values differ: \(context)")
            return true
        case (.failure(let a), .failure(let b)):
            #expect(Self.describe(a, T.self) == Self.describe(b, T.self), "errors differ: \(context)")
        case (.success, .failure(let error)):
            Issue.record("only the generated decoder decoded it (\(Self.describe(error, T.self))): \(context)")
        case (.failure(let error), .success):
            Issue.record("only the synthesized decoder decoded it (\(Self.describe(error, T.self))): \(context)")
        }
        return false
    }

    static func same<T>(_ a: T, _ b: T) -> Bool {
        func equal<E: Equatable>(_ x: E, _ y: Any) -> Bool { x == (y as? E) }
        if let x = a as? any Equatable { return equal(x, b) }
        return String(reflecting: a) == String(reflecting: b)
    }

    /// Everything an error says: its kind, type, key path and debug description, and the
    /// ``HubDecodingError`` built from it.
    static func describe(_ error: any Error, _ model: Any.Type) -> String {
        guard let decoding = error as? DecodingError else { return "\(type(of: error)): \(error)" }
        let detail: String
        switch decoding {
        case .keyNotFound(let key, let context):
            detail =
                "keyNotFound \(key.stringValue) at \(HubCoding.keyPath(context.codingPath)): \(context.debugDescription)"
        case .typeMismatch(let type, let context):
            detail = "typeMismatch \(type) at \(HubCoding.keyPath(context.codingPath)): \(context.debugDescription)"
        case .valueNotFound(let type, let context):
            detail = "valueNotFound \(type) at \(HubCoding.keyPath(context.codingPath)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            detail = "dataCorrupted at \(HubCoding.keyPath(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            detail = "\(decoding)"
        }
        return detail + " | " + HubCoding.describe(decoding, model: model, request: "GET /x").description
    }

    // MARK: - Payloads

    /// Values tried for a field until the synthesized decoder accepts one.
    static let candidates: [PayloadTree] = [
        .string("text-1"), .string("6f1e1a52-2a5b-4c8e-9d0a-3b7c1e2f4a5d"), .string("2025-05-05T10:11:12.345Z"),
        .raw("7"), .raw("true"), .raw("1.5"), .object([]), .array([]),
        // A value of the closed enums (`MessagePartyKind`).
        .string("user"),
    ]

    /// A payload of `G` that the synthesized decoder accepts, with every key of `names` (default:
    /// `G.tapeNames`) that can be filled: each starts as the first candidate and moves to the next
    /// one while the error names it; a missing key is added.
    static func learn<G: TapeDecodable>(_ type: G.Type, names: [String]? = nil) -> PayloadTree? {
        var tree = PayloadTree.object((names ?? G.tapeNames.map { "\($0)" }).map { ($0, candidates[0]) })
        var choice: [[String]: Int] = [:]
        for _ in 0..<2000 {
            let bytes = Array(tree.json.utf8)
            do {
                _ = try FastJSONDecoder(generatedDecoders: false).decode(G.self, from: bytes)
                return tree
            } catch let error as DecodingError {
                switch error {
                case .keyNotFound(let key, let context):
                    let path = context.codingPath.map(\.stringValue) + [key.stringValue]
                    choice[path] = 0
                    tree.set(path, candidates[0])
                case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
                    let path = context.codingPath.map(\.stringValue)
                    guard !path.isEmpty else { return nil }
                    let next = (choice[path] ?? 0) + 1
                    choice[path] = next
                    if next < candidates.count { tree.set(path, candidates[next]) } else { tree.remove(path) }
                @unknown default:
                    return nil
                }
            } catch {
                return nil
            }
        }
        return nil
    }

    /// `base` and variations of it: each field removed, null, of every other kind, under other
    /// spellings of its key, twice, escaped; unknown keys; other roots.
    static func mutations(of base: PayloadTree) -> [(String, PayloadTree)] {
        guard case .object(let members) = base else { return [("base", base)] }
        var result: [(String, PayloadTree)] = [("base", base)]
        result.append(("unknown keys", .object([("zzUnknown", .raw("1"))] + members + [("x_y", .array([]))])))
        for (position, member) in members.enumerated() {
            func replaced(_ body: (inout [(key: String, value: PayloadTree)]) -> Void) -> PayloadTree {
                var copy = members
                body(&copy)
                return .object(copy)
            }
            let key = member.key
            result.append(("\(key) removed", replaced { $0.remove(at: position) }))
            result.append(("\(key) null", replaced { $0[position].value = .raw("null") }))
            // Another string, a number, a boolean, an object, an array.
            for (offset, candidate) in candidates.enumerated()
            where [0, 1, 3, 4, 6, 7].contains(offset) && candidate.json != member.value.json {
                result.append(("\(key) as candidate \(offset)", replaced { $0[position].value = candidate }))
            }
            result.append(("\(key) nested garbage", replaced { $0[position].value = .object([("id", .raw("1"))]) }))
            result.append(("\(key) mixed spelling", replaced { $0[position].key = PayloadTree.lastWordSnake(key) }))
            result.append(
                ("\(key) capitalized", replaced { $0[position].key = key.prefix(1).uppercased() + key.dropFirst() }))
            result.append(("\(key) twice", replaced { $0.append((PayloadTree.snake(key), .raw("false"))) }))
            let escaped = "\\u00" + String(key.utf8.first ?? 0x61, radix: 16) + key.dropFirst()
            result.append(("\(key) escaped", replaced { $0[position].key = escaped }))
        }
        return result
    }
}

/// A JSON value whose object members keep their order and may repeat.
indirect enum PayloadTree: Sendable {
    case string(String)
    /// A literal written as is: a number, `true`, `null`.
    case raw(String)
    /// Keys are written as given (so they may hold escapes).
    case object([(key: String, value: PayloadTree)])
    case array([PayloadTree])

    var json: String {
        switch self {
        case .string(let text): "\"\(text)\""
        case .raw(let text): text
        case .object(let members): "{" + members.map { "\"\($0.key)\":\($0.value.json)" }.joined(separator: ",") + "}"
        case .array(let elements): "[" + elements.map(\.json).joined(separator: ",") + "]"
        }
    }

    /// The same value with every key in snake_case.
    func snakeCased() -> PayloadTree {
        switch self {
        case .object(let members): .object(members.map { (PayloadTree.snake($0.key), $0.value.snakeCased()) })
        case .array(let elements): .array(elements.map { $0.snakeCased() })
        default: self
        }
    }

    static func snake(_ key: String) -> String {
        var result = ""
        for (offset, character) in key.enumerated() {
            if offset > 0, character.isUppercase {
                result += "_" + character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// Only the last word in snake_case (`registry_projectId` style, still matched leniently).
    static func lastWordSnake(_ key: String) -> String {
        guard let index = key.lastIndex(where: \.isUppercase), index != key.startIndex else { return key }
        return key[..<index] + "_" + key[index...].lowercased()
    }

    mutating func set(_ path: [String], _ value: PayloadTree) {
        guard let first = path.first else {
            self = value
            return
        }
        switch self {
        case .object(var members):
            if let position = members.firstIndex(where: { $0.key == first }) {
                members[position].value.set(Array(path.dropFirst()), value)
            } else {
                var child = PayloadTree.object([])
                child.set(Array(path.dropFirst()), value)
                members.append((first, child))
            }
            self = .object(members)
        case .array(var elements):
            if let position = Int(first), elements.indices.contains(position) {
                elements[position].set(Array(path.dropFirst()), value)
                self = .array(elements)
            }
        default:
            var child = PayloadTree.object([])
            child.set(path, value)
            self = child
        }
    }

    mutating func remove(_ path: [String]) {
        guard let first = path.first, case .object(var members) = self,
            let position = members.firstIndex(where: { $0.key == first })
        else { return }
        if path.count == 1 {
            members.remove(at: position)
        } else {
            members[position].value.remove(Array(path.dropFirst()))
        }
        self = .object(members)
    }
}
