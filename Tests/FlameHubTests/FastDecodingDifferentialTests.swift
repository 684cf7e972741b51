#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

@_spi(FlameHubTools) @testable import FlameHub

/// FastJSONDecoder against Foundation's JSONDecoder over generated Hub payloads: for every input
/// both decode equal values or both fail, except where a named ``Divergence`` says otherwise.
@Suite("FastJSONDecoder agrees with JSONDecoder on generated payloads")
struct FastDecodingDifferentialTests {
    @Test("records and lists of both generations, valid and mutated")
    func generatedPayloads() async throws {
        var generator = PayloadGenerator(seed: 0x5EED_F1A3)
        var tally = Tally()
        for round in 0..<2400 {
            let testCase = generator.makeCase(round: round)
            try check(testCase, tally: &tally)
            // Seconds of decoding in one job would hold a cooperative thread (of two on a 2-core
            // machine) the whole time; the other suites' timers (`eventually`) would then starve.
            if round % 20 == 19 { await Task.yield() }
        }
        // The generator reaches every kind of case, and most inputs are valid.
        #expect(tally.bothDecoded > 1200)
        #expect(tally.bothFailed > 300)
        #expect(Set(tally.divergences) == Set(Divergence.allCases))
    }

    @Test("every prefix of a payload is refused by both, or decoded equally")
    func truncatedPayloads() async throws {
        var generator = PayloadGenerator(seed: 0xC0FFEE)
        var tally = Tally()
        for round in 0..<4 {
            var testCase = generator.makeCase(round: round, mutation: .pristine)
            let whole = testCase.bytes
            for length in 0..<whole.count {
                testCase.bytes = Array(whole[..<length])
                testCase.label = "prefix \(length)/\(whole.count) of round \(round)"
                testCase.valid = nil
                try check(testCase, tally: &tally)
                if length % 50 == 49 { await Task.yield() }
            }
        }
        #expect(tally.bothFailed > 1000)
    }

    // MARK: Running one case

    struct Tally {
        var bothDecoded = 0
        var bothFailed = 0
        var divergences: [Divergence] = []
    }

    func check(_ testCase: GeneratedCase, tally: inout Tally) throws {
        switch (testCase.model, testCase.shape) {
        case (.node, .record): try compare(RecordBody<Node>.self, testCase, &tally)
        case (.node, .list): try compare(ResourceList<Node>.self, testCase, &tally)
        case (.user, .record): try compare(RecordBody<User>.self, testCase, &tally)
        case (.user, .list): try compare(ResourceList<User>.self, testCase, &tally)
        case (.probe, .record): try compare(RecordBody<Probe>.self, testCase, &tally)
        case (.probe, .list): try compare(ResourceList<Probe>.self, testCase, &tally)
        }
    }

    func compare<T: Decodable>(_ type: T.Type, _ testCase: GeneratedCase, _ tally: inout Tally) throws {
        let fast = Result { try FastJSONDecoder().decode(T.self, from: testCase.bytes) }
        let reference = Result {
            try Self.referenceDecoder(snake: testCase.snake).decode(T.self, from: Data(testCase.bytes))
        }
        let context = "\(testCase.label): \(String(decoding: testCase.bytes, as: UTF8.self).debugDescription)"
        if let divergence = testCase.divergence {
            tally.divergences.append(divergence)
            switch divergence.accepted {
            case .onlyByJSONDecoder:
                #expect(fast.failed && !reference.failed, "\(divergence): \(context)")
            case .onlyByFastJSONDecoder:
                #expect(!fast.failed && reference.failed, "\(divergence): \(context)")
            case .byBothWithDifferentValues:
                if case .success(let a) = fast, case .success(let b) = reference {
                    #expect(Equivalence.difference(a, b) != nil, "\(divergence): \(context)")
                } else {
                    Issue.record("\(divergence): both should decode: \(context)")
                }
            }
            return
        }
        switch (fast, reference) {
        case (.success(let a), .success(let b)):
            tally.bothDecoded += 1
            let difference = Equivalence.difference(a, b)
            #expect(difference == nil, "\(difference ?? ""): \(context)")
        case (.failure, .failure):
            tally.bothFailed += 1
        case (.success, .failure(let error)):
            Issue.record("only FastJSONDecoder decoded it (JSONDecoder: \(error)): \(context)")
        case (.failure(let error), .success):
            Issue.record("only JSONDecoder decoded it (FastJSONDecoder: \(error)): \(context)")
        }
        if let expected = testCase.valid {
            #expect(!fast.failed == expected, "expected \(expected ? "valid" : "invalid"): \(context)")
        }
    }

    /// JSONDecoder set to the payload's conventions: its key casing, ISO-8601 dates with
    /// fractional seconds (which also parses dates without them).
    static func referenceDecoder(snake: Bool) -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = snake ? .convertFromSnakeCase : .useDefaultKeys
        let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        decoder.dateDecodingStrategy = .custom { try style.parse(try $0.singleValueContainer().decode(String.self)) }
        return decoder
    }
}

/// Where the two decoders legitimately differ, on inputs the Hub never sends.
enum Divergence: String, CaseIterable, CustomStringConvertible {
    /// JSONDecoder checks number grammar, escapes and control characters only in the values a
    /// model reads; FastJSONDecoder validates the whole body (RFC 8259), so a malformed value
    /// under a key nobody reads still makes the body invalid.
    case lazyValidationOfUnreadValues
    /// JSONDecoder accepts a trailing comma in arrays and objects; RFC 8259 does not.
    case trailingCommas
    /// JSONDecoder detects UTF-16 and UTF-32 bodies; FastJSONDecoder reads UTF-8 only (RFC 8259
    /// §8.1 requires it between systems), with or without a byte-order mark.
    case utf16Bodies
    /// RFC 3339 (§5.6) allows a lowercase `t`/`z` and a space between date and time;
    /// ISO8601FormatStyle refuses them.
    case rfc3339DateSpellings
    /// ISO8601FormatStyle rolls over `24:00:00` and minute 60; FastJSONDecoder refuses them.
    case rolledOverTimes
    /// ISO8601FormatStyle refuses more than 12 fractional digits; FastJSONDecoder reads any
    /// number of them (and keeps nine).
    case longFractions
    /// ISO 8601 counts days in the proleptic Gregorian calendar; ISO8601FormatStyle switches to
    /// the Julian calendar before October 1582, so `0001-01-01` is two days apart.
    case julianDatesBefore1582

    enum Acceptance { case onlyByJSONDecoder, onlyByFastJSONDecoder, byBothWithDifferentValues }

    var accepted: Acceptance {
        switch self {
        case .lazyValidationOfUnreadValues, .trailingCommas, .utf16Bodies, .rolledOverTimes: .onlyByJSONDecoder
        case .rfc3339DateSpellings, .longFractions: .onlyByFastJSONDecoder
        case .julianDatesBefore1582: .byBothWithDifferentValues
        }
    }

    var description: String { rawValue }
}

extension Result {
    var failed: Bool {
        if case .failure = self { return true }
        return false
    }
}

/// A model with the value types Hub models use, and the odd ones, for the number cases.
struct Probe: Codable, Hashable, Sendable {
    var id: UUID
    var itemCount: Int?
    var smallValue: Int8?
    var bigValue: Int64?
    var unsignedValue: UInt64?
    var ratioValue: Double?
    var singleValue: Float?
    var amountValue: Decimal?
    var isFlagged: Bool?
    var labelText: String?
    var tagList: [String]?
    var seenAt: Date?
    var payloadValue: JSONValue?
    var childProbes: [Probe]?
}

/// Compares decoded values field by field; dates within a microsecond (parsers round the last
/// binary digit differently), strings scalar by scalar.
enum Equivalence {
    static func difference(_ a: Any, _ b: Any, _ path: String = "") -> String? {
        func differs(_ what: String) -> String { "\(path.isEmpty ? "<root>" : path): \(what)" }
        if let x = a as? Date, let y = b as? Date {
            let tolerance = max(1e-6, 4 * x.timeIntervalSinceReferenceDate.ulp)
            return abs(x.timeIntervalSince(y)) <= tolerance ? nil : differs("\(x) vs \(y)")
        }
        if let x = a as? String, let y = b as? String {
            return x.unicodeScalars.elementsEqual(y.unicodeScalars)
                ? nil : differs("\(x.debugDescription) vs \(y.debugDescription)")
        }
        if let x = a as? Double, let y = b as? Double {
            return x == y && x.sign == y.sign ? nil : differs("\(x) vs \(y)")
        }
        if let x = a as? Float, let y = b as? Float {
            return x == y && x.sign == y.sign ? nil : differs("\(x) vs \(y)")
        }
        if let x = a as? Decimal, let y = b as? Decimal { return x == y ? nil : differs("\(x) vs \(y)") }
        if let x = a as? JSONValue, let y = b as? JSONValue { return x == y ? nil : differs("\(x) vs \(y)") }
        if let x = a as? SecretString, let y = b as? SecretString { return x == y ? nil : differs("secrets differ") }
        if let x = a as? UUID, let y = b as? UUID { return x == y ? nil : differs("\(x) vs \(y)") }
        let left = Mirror(reflecting: a)
        let right = Mirror(reflecting: b)
        if left.children.isEmpty || right.children.isEmpty {
            return String(reflecting: a) == String(reflecting: b) ? nil : differs("\(a) vs \(b)")
        }
        guard left.children.count == right.children.count else {
            return differs("\(left.children.count) vs \(right.children.count) elements")
        }
        for (index, (x, y)) in zip(left.children, right.children).enumerated() {
            if let found = difference(x.value, y.value, path + "." + (x.label ?? "\(index)")) { return found }
        }
        return nil
    }
}

// MARK: - Generating payloads

struct GeneratedCase {
    enum Model: CaseIterable { case node, user, probe }
    enum Shape { case record, list }

    var label: String
    var bytes: [UInt8]
    var snake: Bool
    var model: Model
    var shape: Shape
    /// Set for cases where the decoders legitimately differ.
    var divergence: Divergence?
    /// Whether the input must decode (nil: it may or may not; both must agree).
    var valid: Bool?
}

/// SplitMix64: deterministic, so a failure names a case that can be reproduced.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The kinds of value a field holds, for generating JSON of the right (or wrong) shape.
indirect enum FieldKind: Sendable {
    case uuid, string, date, bool, enumeration, int, int8, int64, uint64, double, float, decimal, json, strings
    case record(RecordSpec)
    case records(RecordSpec)
}

struct FieldSpec: Sendable {
    var name: String
    var kind: FieldKind
    var required = false
}

struct RecordSpec: Sendable {
    var fields: [FieldSpec]

    static let realm = RecordSpec(fields: [
        .init(name: "id", kind: .uuid, required: true), .init(name: "name", kind: .string, required: true),
        .init(name: "displayName", kind: .string), .init(name: "description", kind: .string),
        .init(name: "builtIn", kind: .bool), .init(name: "createdAt", kind: .date, required: true),
        .init(name: "updatedAt", kind: .date, required: true),
    ])

    static let user = RecordSpec(fields: [
        .init(name: "id", kind: .uuid, required: true), .init(name: "name", kind: .string, required: true),
        .init(name: "nameLocked", kind: .bool), .init(name: "firstName", kind: .string),
        .init(name: "lastName", kind: .string), .init(name: "displayName", kind: .string),
        .init(name: "email", kind: .string), .init(name: "active", kind: .bool), .init(name: "avatar", kind: .string),
        .init(name: "cover", kind: .string), .init(name: "status", kind: .string),
        .init(name: "statusMessage", kind: .string), .init(name: "realmId", kind: .uuid, required: true),
        .init(name: "realm", kind: .record(realm)), .init(name: "createdAt", kind: .date, required: true),
        .init(name: "updatedAt", kind: .date, required: true),
    ])

    static let registry = RecordSpec(fields: [
        .init(name: "id", kind: .uuid, required: true), .init(name: "name", kind: .string, required: true),
        .init(name: "host", kind: .string, required: true), .init(name: "accountName", kind: .string),
        .init(name: "accountSecret", kind: .string), .init(name: "createdAt", kind: .date, required: true),
        .init(name: "updatedAt", kind: .date, required: true),
    ])

    static let registryProject = RecordSpec(fields: [
        .init(name: "id", kind: .uuid, required: true), .init(name: "name", kind: .string, required: true),
        .init(name: "type", kind: .enumeration), .init(name: "public", kind: .bool),
        .init(name: "externalName", kind: .string), .init(name: "externalId", kind: .string),
        .init(name: "accountId", kind: .string), .init(name: "accountName", kind: .string),
        .init(name: "webhookName", kind: .string), .init(name: "webhookExists", kind: .bool),
        .init(name: "registryId", kind: .uuid), .init(name: "realmId", kind: .uuid),
        .init(name: "registry", kind: .record(registry)), .init(name: "createdAt", kind: .date, required: true),
        .init(name: "updatedAt", kind: .date, required: true),
    ])

    static let node = RecordSpec(fields: [
        .init(name: "id", kind: .uuid, required: true), .init(name: "name", kind: .string, required: true),
        .init(name: "externalName", kind: .string), .init(name: "publicKey", kind: .string),
        .init(name: "hidden", kind: .bool), .init(name: "type", kind: .enumeration), .init(name: "online", kind: .bool),
        .init(name: "registryId", kind: .uuid), .init(name: "registryProjectId", kind: .uuid),
        .init(name: "clientId", kind: .uuid), .init(name: "robotId", kind: .uuid), .init(name: "realmId", kind: .uuid),
        .init(name: "registry", kind: .record(registry)),
        .init(name: "registryProject", kind: .record(registryProject)),
        .init(name: "createdAt", kind: .date, required: true), .init(name: "updatedAt", kind: .date, required: true),
    ])

    static let probe = RecordSpec(fields: [
        .init(name: "id", kind: .uuid, required: true), .init(name: "itemCount", kind: .int),
        .init(name: "smallValue", kind: .int8), .init(name: "bigValue", kind: .int64),
        .init(name: "unsignedValue", kind: .uint64), .init(name: "ratioValue", kind: .double),
        .init(name: "singleValue", kind: .float), .init(name: "amountValue", kind: .decimal),
        .init(name: "isFlagged", kind: .bool), .init(name: "labelText", kind: .string),
        .init(name: "tagList", kind: .strings), .init(name: "seenAt", kind: .date),
        .init(name: "payloadValue", kind: .json),
    ])
}

/// One change to an otherwise valid payload, and what it should do.
enum Mutation: CaseIterable {
    case pristine
    /// A read value replaced by one of the wrong type, malformed or out of range: both fail.
    case badReadValue
    /// A read value replaced by an odd but valid spelling (`1E+2`, `-0`, escapes): both decode.
    case oddReadValue
    /// A required key dropped or set to null: both fail.
    case missingRequired
    /// A key nobody reads, holding malformed JSON that JSONDecoder does not look at.
    case malformedUnreadValue
    /// Invalid UTF-8 in some string: both fail (JSONDecoder checks all strings).
    case invalidUTF8
    /// Extra data after the body: both fail.
    case trailingGarbage
    /// A trailing comma in the outermost container.
    case trailingComma
    /// A byte-order mark, once (both decode) or twice (both fail).
    case byteOrderMark
    /// The body in UTF-16.
    case utf16
    /// A date in a spelling only one side accepts, or that both refuse.
    case oddDate
    /// Nested arrays under an unread key, up to and past the depth limit.
    case deepNesting
}

struct PayloadGenerator {
    var rng: SeededGenerator
    var snake = false

    init(seed: UInt64) { rng = SeededGenerator(state: seed) }

    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &rng) < percent }
    mutating func pick<T>(_ options: [T]) -> T { options[Int.random(in: 0..<options.count, using: &rng)] }

    // MARK: Cases

    mutating func makeCase(round: Int, mutation forced: Mutation? = nil) -> GeneratedCase {
        snake = chance(50)
        let model = pick(GeneratedCase.Model.allCases)
        let shape: GeneratedCase.Shape = chance(50) ? .record : .list
        let mutation = forced ?? (chance(45) ? .pristine : pick(Array(Mutation.allCases.dropFirst())))
        let spec: RecordSpec =
            switch model {
            case .node: .node
            case .user: .user
            case .probe: .probe
            }
        var testCase = GeneratedCase(
            label: "round \(round) \(model) \(shape) \(snake ? "snake_case" : "camelCase") \(mutation)", bytes: [],
            snake: snake, model: model, shape: shape, divergence: nil, valid: true)
        // The envelope first: the depth of the records depends on it.
        let wrapper = Int.random(in: 0..<(shape == .record ? 4 : 3), using: &rng)
        let depth =
            switch (shape, wrapper) {
            case (.record, 0): 1
            case (.record, _), (.list, 0): 2
            case (.list, _): 3
            }
        // Which record carries the mutation (lists have several).
        let recordCount = shape == .list ? Int.random(in: 0...3, using: &rng) : 1
        let mutated = recordCount == 0 ? -1 : Int.random(in: 0..<recordCount, using: &rng)
        var records: [String] = []
        for index in 0..<recordCount {
            records.append(
                record(spec, mutation: index == mutated ? mutation : .pristine, into: &testCase, depth: depth))
        }
        var body = shape == .record ? recordBody(records.first ?? "{}", wrapper) : listBody(records, wrapper)
        switch mutation {
        case .trailingGarbage:
            body += pick(["x", "}", "]", ",", "{}", "\u{0}", " 1", "null", "\"\""])
            testCase.valid = false
        case .trailingComma:
            // The outermost container is an object or an array; its last character closes it.
            let beforeClose = body.dropLast().last { !$0.isWhitespace }
            guard body.last == "}" || body.last == "]", beforeClose != "{", beforeClose != "[" else { break }
            body.insert(",", at: body.index(before: body.endIndex))
            testCase.divergence = .trailingCommas
        case .utf16:
            testCase.bytes =
                (chance(50) ? [0xFF, 0xFE] : []) + body.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
            testCase.divergence = .utf16Bodies
            return testCase
        case .byteOrderMark:
            let twice = chance(30)
            testCase.bytes = (twice ? [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF] : [0xEF, 0xBB, 0xBF]) + Array(body.utf8)
            testCase.valid = !twice && testCase.valid != false
            return testCase
        default: break
        }
        testCase.bytes = Array(body.utf8)
        if mutation == .invalidUTF8 {
            testCase.bytes = corruptUTF8(testCase.bytes)
            testCase.valid = false
        }
        return testCase
    }

    mutating func recordBody(_ record: String, _ wrapper: Int) -> String {
        switch wrapper {
        case 0: record
        case 1: "{\(key("data")):\(ws())\(record),\(key("meta")):\(ws()){}}"
        case 2: #"{"data":\#(record),"meta":{"schema":{"fields":{"default":["id","name"]}}}}"#
        default: "{\(ws())\"data\"\(ws()):\(record)\(ws())}"
        }
    }

    mutating func listBody(_ records: [String], _ wrapper: Int) -> String {
        let items = records.joined(separator: "," + ws())
        let meta = "{\"total\":\(records.count),\"limit\":\(pick(["50", "5e1", "50.0", "1E+2", "-0"])),\"offset\":0}"
        switch wrapper {
        case 0: return "[\(ws())\(items)\(ws())]"
        case 1: return "{\"data\":[\(items)]}"
        default: return "{\(ws())\"data\":\(ws())[\(items)],\(ws())\"meta\":\(meta)\(ws())}"
        }
    }

    /// A member of a generated object: the Swift name it spells (empty for unknown keys), the
    /// key as written and the value.
    typealias Member = (name: String, key: String, value: String)

    /// A record of `spec`, with `mutation` applied to one of its fields or an extra key.
    mutating func record(_ spec: RecordSpec, mutation: Mutation, into testCase: inout GeneratedCase, depth: Int)
        -> String
    {
        var members: [Member] = []
        for field in spec.fields {
            // Optional fields: present, null or absent.
            if !field.required {
                if chance(15) { continue }
                if chance(15) {
                    members.append((field.name, key(field.name), "null"))
                    continue
                }
            }
            members.append((field.name, key(field.name), value(field.kind, depth: depth)))
        }
        // Keys the models do not know.
        for _ in 0..<Int.random(in: 0...2, using: &rng) {
            members.append(("", key(pick(["extraField", "someFutureKey", "x", "meta"])), freeJSON(depth: 0)))
        }
        members.shuffle(using: &rng)
        // A duplicate key: the first occurrence wins in both decoders.
        if chance(10), let original = members.first {
            let duplicate = pick([original.value, "null", "12", "\"other\"", "[]"])
            members.insert((original.name, original.key, duplicate), at: Int.random(in: 1...members.count, using: &rng))
        }
        apply(mutation, spec: spec, to: &members, testCase: &testCase, depth: depth)
        let text = members.map { "\(ws())\($0.key)\(ws()):\(ws())\($0.value)" }.joined(separator: ",")
        return "{\(text)\(ws())}"
    }

    /// Sets the (first, winning) member of field `name`, adding it when absent.
    mutating func set(_ name: String, to value: String, in members: inout [Member]) {
        if let at = members.firstIndex(where: { $0.name == name }) {
            members[at].value = value
        } else {
            members.append((name, key(name), value))
        }
    }

    mutating func apply(
        _ mutation: Mutation, spec: RecordSpec, to members: inout [Member], testCase: inout GeneratedCase, depth: Int
    ) {
        switch mutation {
        case .badReadValue:
            let field = pick(spec.fields.filter { if case .record = $0.kind { false } else { true } })
            set(field.name, to: badValue(for: field.kind), in: &members)
            testCase.valid = false
        case .oddReadValue:
            let field = pick(spec.fields)
            if let odd = oddValue(for: field.kind) { set(field.name, to: odd, in: &members) }
        case .missingRequired:
            let field = pick(spec.fields.filter(\.required))
            if chance(50) {
                members.removeAll { $0.name == field.name }
            } else {
                for at in members.indices where members[at].name == field.name { members[at].value = "null" }
            }
            testCase.valid = false
        case .malformedUnreadValue:
            let malformed = pick([
                "1-2", "01", "1.e5", "--1", "-", "1e5.5", "1ee5", "\"\\q\"", "\"\\uZZZZ\"", "\"a\u{01}b\"",
                "\"tab\there\"", "\"\\ud800\"", "\"\\udc00x\"", "\"\\ud83d\\u0041\"", "[1, 01]", "{\"k\":\"\\x\"}",
            ])
            members.append(("", key("unreadKey"), malformed))
            testCase.divergence = .lazyValidationOfUnreadValues
        case .oddDate:
            let dates = spec.fields.filter { if case .date = $0.kind { true } else { false } }
            guard !dates.isEmpty else { break }
            let field = pick(dates)
            let (text, divergence, valid) = oddDate()
            set(field.name, to: text, in: &members)
            testCase.divergence = divergence
            testCase.valid = valid
        case .deepNesting:
            // `depth` counts the containers around this record's members, the record included.
            let limit = FastJSONDecoder.maximumDepth
            let levels = pick([limit - depth - 1, limit - depth, limit - depth + 1, limit - depth + 8, 40])
            let nested = String(repeating: "[", count: levels) + String(repeating: "]", count: levels)
            members.append(("", key("deepValue"), nested))
            testCase.valid = depth + levels <= limit
        default: break
        }
    }

    /// A date that one side or both refuse.
    mutating func oddDate() -> (String, Divergence?, Bool?) {
        switch Int.random(in: 0..<11, using: &rng) {
        case 0: ("\"2025-05-12t09:44:08.284z\"", .rfc3339DateSpellings, nil)
        case 1: ("\"2025-05-12 09:44:08.284Z\"", .rfc3339DateSpellings, nil)
        case 2: ("\"2025-05-12T24:00:00Z\"", .rolledOverTimes, nil)
        case 3: ("\"2025-05-12T09:60:00Z\"", .rolledOverTimes, nil)
        case 4: ("\"2025-05-12T09:44:08.1234567890123Z\"", .longFractions, nil)
        case 5:
            (
                pick([
                    "\"2025-05-12T09:44:08.284\"", "\"2025-13-01T00:00:00Z\"", "\"2025-05-12T09:44Z\"", "\"yesterday\"",
                ]), nil, false
            )
        case 6:
            (
                pick([
                    "\"2025-05-12T09:44:08.284+0200\"", "\"2025-05-12T09:44:08+02\"", "\"2025-05-12T09:44:08-00:00\"",
                ]), nil, nil
            )
        case 7: ("\"2025-02-31T09:44:08.284Z\"", nil, nil)  // rolls over to 3 March in both
        case 8: ("\"2025-05-12T23:59:60Z\"", nil, nil)  // a leap second: the next day's midnight in both
        case 9: (pick(["\"0001-01-01T00:00:00Z\"", "\"1582-10-04T12:00:00Z\""]), .julianDatesBefore1582, nil)
        default: ("\"2025-05-12T09:44:08\\u002e284\\u005a\"", nil, true)
        }
    }

    mutating func corruptUTF8(_ bytes: [UInt8]) -> [UInt8] {
        // Inside the first string that is long enough; a lone continuation byte, an overlong
        // form, a surrogate, a truncated sequence or a byte that never occurs in UTF-8.
        guard let quote = bytes.firstIndex(of: UInt8(ascii: "\"")) else { return bytes + [0xFF] }
        var copy = bytes
        let bad: [UInt8] = pick([
            [0x80], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xFF], [0xF5, 0x80, 0x80, 0x80],
        ])
        copy.insert(contentsOf: bad, at: quote + 1)
        return copy
    }

    // MARK: Values

    mutating func value(_ kind: FieldKind, depth: Int) -> String {
        switch kind {
        case .uuid: return "\"\(uuid())\""
        case .string: return stringLiteral()
        case .date: return "\"\(date())\""
        case .bool: return chance(50) ? "true" : "false"
        case .enumeration: return "\"\(pick(["default", "aggregator", "incoming", "masterImages", "quantum"]))\""
        case .int: return pick(["0", "1", "-7", "50", "123456789", "9007199254740993"])
        case .int8: return pick(["0", "127", "-128", "12"])
        case .int64: return pick(["0", "9223372036854775807", "-9223372036854775808", "1024"])
        case .uint64: return pick(["0", "18446744073709551615", "42"])
        case .double: return pick(["0", "1.5", "-2.25e-3", "3.141592653589793", "1e300", "0.1"])
        case .float: return pick(["0", "1.5", "-0.25", "3.4028235e38", "0.1"])
        case .decimal: return pick(["0", "12.50", "-3", "0.1", "123456789012345678901234567890.5"])
        case .json: return freeJSON(depth: 0)
        case .strings:
            return "[" + (0..<Int.random(in: 0...3, using: &rng)).map { _ in stringLiteral() }.joined(separator: ",")
                + "]"
        case .record(let spec):
            var ignored = GeneratedCase(label: "", bytes: [], snake: snake, model: .node, shape: .record)
            return record(spec, mutation: .pristine, into: &ignored, depth: depth + 1)
        case .records(let spec):
            var ignored = GeneratedCase(label: "", bytes: [], snake: snake, model: .node, shape: .record)
            return "[" + record(spec, mutation: .pristine, into: &ignored, depth: depth + 2) + "]"
        }
    }

    /// A value of the wrong type or malformed, for a field that is read.
    mutating func badValue(for kind: FieldKind) -> String {
        switch kind {
        case .uuid:
            pick([
                "\"794f2375-f043-4789-bd0c-e5534e8deeag\"", "\"794f2375f043-4789-bd0c-e5534e8deeaa0\"", "\"794f2375\"",
                "\"{794f2375-f043-4789-bd0c-e5534e8deeaa}\"", "42", "true", "{}",
            ])
        case .string, .enumeration:
            pick(["12", "true", "[]", "{}", "\"\\q\"", "\"\\ud800\"", "\"a\u{01}b\"", "\"\\u12x4\""])
        case .date: pick(["\"yesterday\"", "1747043048", "\"2025-05-12\"", "\"\""])
        case .bool: pick(["\"true\"", "1", "0", "tru", "True"])
        case .int:
            pick([
                "1.5", "18446744073709551616", "9223372036854775808", "1e400", "\"1\"", "01", ".5", "1.", "+1", "0x10",
                "true",
            ])
        case .int8: pick(["128", "-129", "1.5", "300"])
        case .int64: pick(["9223372036854775808", "1e19", "0.5"])
        case .uint64: pick(["-1", "18446744073709551616", "1.5", "18446744073709551615.0"])
        case .double: pick(["1e400", "-1e400", "1e-400", "\"1.5\"", "NaN", "Infinity", "1.e5"])
        case .float: pick(["3.5e38", "1e-50", "-1e39"])
        case .decimal: pick(["\"12.5\"", "true", "1e400"])
        case .json: pick(["1e400", "[1,]x", "{\"a\" 1}"])
        case .strings: pick(["[1]", "\"a\"", "[null]", "{}"])
        case .record, .records: "42"
        }
    }

    /// An odd but valid spelling of a value, for a field that is read.
    mutating func oddValue(for kind: FieldKind) -> String? {
        switch kind {
        case .uuid: "\"\(uuid().uppercased())\""
        case .string:
            pick(["\"\"", "\"\\u0000\"", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\u00e9\\u0301\"", "\"\\uDBFF\\uDFFF\""])
        case .date:
            pick(["\"2025-05-12T09:44:08.123456789Z\"", "\"2025-05-12T09:44:08.5+14:00\"", "\"1583-01-01T00:00:00Z\""])
        case .int:
            pick([
                "1E+2", "1e2", "1.0", "-0", "-0.0", "9.2e18", "1e-400", "100000000000000000000e-2",
                "-9223372036854775808",
            ])
        case .int8: pick(["-0", "1.27e2", "-128.0"])
        case .int64: pick(["9.2e18", "-1E18"])
        case .uint64: pick(["1e19", "-0", "-0.0", "0.5e1"])
        case .double:
            pick([
                "-0", "1E+2", "0.1e-5", "18446744073709551616", "5e-324", "1.7976931348623157e308",
                "123456789012345678901234567890",
            ])
        case .float: pick(["1e-45", "16777217", "-0"])
        case .decimal: pick(["1e5", "-0", "0.000001", "1E-3"])
        default: nil
        }
    }

    mutating func uuid() -> String {
        (0..<16).map { index -> String in
            let byte = String(UInt8.random(in: 0...255, using: &rng), radix: 16)
            let padded = byte.count == 1 ? "0" + byte : byte
            return [4, 6, 8, 10].contains(index) ? "-" + padded : padded
        }.joined()
    }

    /// A date-time as the Hub writes it, with three, six, one or no fractional digits and
    /// `Z` or an offset.
    mutating func date() -> String {
        let seconds = Double(Int.random(in: 946_684_800...1_900_000_000, using: &rng))
        // `2025-05-12T09:44:08.000Z` without its milliseconds and zone.
        let text = ISO8601.format(Date(timeIntervalSince1970: seconds)).dropLast(5)
        let fraction = pick(["", ".\(Int.random(in: 100...999, using: &rng))", ".5", ".000123"])
        return text + fraction + pick(["Z", "Z", "+02:00", "-05:30", "+00:00"])
    }

    /// A valid JSON string literal: ASCII, escapes of every kind, multi-byte characters raw and
    /// escaped, combining marks, emoji.
    mutating func stringLiteral() -> String {
        let pieces = [
            "node", "a b", "x", "\\n", "\\\"", "\\\\", "\\/", "\\t", "\\r", "\\b", "\\f", "\\u00e9", "\\u4e16",
            "\\ud83d\\ude00", "\\uD834\\uDD1E", "é", "世界", "e\u{301}", "😀", "👩‍👩‍👧", "Ω", "\u{7F}", "\\u0000", "~",
        ]
        return "\"" + (0..<Int.random(in: 0...5, using: &rng)).map { _ in pick(pieces) }.joined() + "\""
    }

    /// Arbitrary valid JSON for keys the models do not read (and for `JSONValue` fields).
    mutating func freeJSON(depth: Int) -> String {
        let scalarOnly = depth >= 3
        switch Int.random(in: 0..<(scalarOnly ? 5 : 7), using: &rng) {
        case 0: return "null"
        case 1: return chance(50) ? "true" : "false"
        case 2: return pick(["0", "-0", "1.5e3", "1E+2", "0.1e-5", "123", "-9", "1e300"])
        case 3, 4: return stringLiteral()
        case 5:
            return "["
                + (0..<Int.random(in: 0...3, using: &rng)).map { _ in ws() + freeJSON(depth: depth + 1) }
                .joined(separator: ",") + "]"
        default:
            let keys = ["alpha", "beta", "x", "value", "nested"]
            return "{"
                + (0..<Int.random(in: 0...3, using: &rng)).map { _ in
                    "\"\(pick(keys))\":\(ws())\(freeJSON(depth: depth + 1))"
                }.joined(separator: ",") + "}"
        }
    }

    /// A key in the payload's casing, sometimes with a character escaped.
    mutating func key(_ camel: String) -> String {
        let spelled = snake ? KeyCasing.snakeCased(camel) : camel
        guard chance(3), let first = spelled.unicodeScalars.first else { return "\"\(spelled)\"" }
        let hex = String(first.value, radix: 16)
        return "\"\\u" + String(repeating: "0", count: 4 - hex.count) + hex + spelled.dropFirst() + "\""
    }

    mutating func ws() -> String { pick(["", "", "", " ", "\n", "\t", "\r\n", "  "]) }
}
