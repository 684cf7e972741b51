#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// How a resource differs between Hub generations, stated once on its model and keyed by the
// model's `CodingKeys`, so that a misspelt field does not compile:
//
//     extension Node: WireRuled {
//         static let wireRules: WireRules = WireRules(
//             CodingKeys.self, [.clientId: .only([.current]), .robotId: .only([.legacy])])
//         // `.robotID: .only([.legacy])` fails: type 'Node.CodingKeys' has no member 'robotID'
//     }
//     extension CreateNode: WireRuled {
//         static let wireRules: WireRules = Node.wireRules.restricted(to: CodingKeys.self)
//     }
//
// Encoding (`HubCoding.encodeBody`) writes each field under its name in the server's generation
// and rejects a field that generation lacks; decoding (`WireDecodingContainer`, used by models
// with renamed fields) reads a field under the name of whichever generation wrote the payload.
// Rules name sets of generations and per-generation names, never "legacy versus the rest", so
// that another generation is one more case of ``HubGeneration``.

/// How one field differs between Hub generations.
struct WireRule: Sendable, Hashable {
    /// The generations that know the field; `nil`: every generation.
    let generations: Set<HubGeneration>?
    /// The field's name in generations that spell it differently, written like a Swift name (the
    /// engine converts it to the server's casing like every other key).
    let names: [HubGeneration: String]

    /// A field that only `generations` know, called `names[g]` by generation `g`.
    static func only(_ generations: Set<HubGeneration>, names: [HubGeneration: String] = [:]) -> WireRule {
        WireRule(generations: generations, names: names)
    }

    /// A field every generation knows, called `names[g]` by generation `g` and by its Swift name
    /// by the others.
    static func named(_ names: [HubGeneration: String]) -> WireRule {
        WireRule(generations: nil, names: names)
    }

    /// The field's name in `generation`, or `nil` when that generation lacks it.
    func name(of field: String, in generation: HubGeneration) -> String? {
        if let generations, !generations.contains(generation) { return nil }
        return names[generation] ?? field
    }
}

/// The ``WireRule``s of one type, by field.
struct WireRules: Sendable {
    /// A class, so that a lookup hands out one reference instead of copying the rule.
    final class Entry: Sendable {
        /// The field's Swift name (its `CodingKey` string value).
        let field: String
        let rule: WireRule
        /// The field's other names, newest generation first: what decoding tries after `field`.
        let aliases: [String]

        init(field: String, rule: WireRule, aliases: [String]) {
            self.field = field
            self.rule = rule
            self.aliases = aliases
        }
    }

    private let entries: [Entry]
    /// The ``fingerprint(_:)``s of the ruled fields: most fields of a model have no rule, and
    /// this rejects them without comparing strings.
    private let fingerprints: UInt64
    /// When one name means different fields in different generations (legacy analysis-bucket
    /// files' `bucket_id` is the analysis bucket, current ones' the storage bucket), reading "any
    /// generation's name" would mix them up; the payload's generation is then recognised by the
    /// names only it uses, newest generation first. Empty when no name is ambiguous.
    let markers: [(generation: HubGeneration, names: [String])]

    /// The rules of the type whose coding keys are `Key`, e.g.
    /// `WireRules(CodingKeys.self, [.executionStatus: .named([.legacy: "runStatus"])])`.
    init<Key: CodingKey>(_ keys: Key.Type, _ rules: KeyValuePairs<Key, WireRule>) {
        var entries: [Entry] = []
        for (key, rule) in rules {
            let field = key.stringValue
            precondition(!entries.contains { $0.field == field }, "\(Key.self).\(field) has two wire rules")
            // `allCases` runs from the oldest generation to the newest.
            var aliases: [String] = []
            for generation in HubGeneration.allCases.reversed() {
                if let name = rule.name(of: field, in: generation), name != field, !aliases.contains(name) {
                    aliases.append(name)
                }
            }
            entries.append(Entry(field: field, rule: rule, aliases: aliases))
        }
        self.init(entries)
    }

    private init(_ entries: [Entry]) {
        self.entries = entries
        fingerprints = entries.reduce(0) { $0 | Self.fingerprint($1.field) }
        markers = Self.markers(of: entries)
    }

    /// These rules for the fields another type (keyed by `Key`) shares: a resource's differences
    /// are stated once, on its model, and its create and update bodies take theirs from there.
    func restricted<Key: CodingKey>(to keys: Key.Type) -> WireRules {
        WireRules(entries.filter { Key(stringValue: $0.field) != nil })
    }

    static func markers(of entries: [Entry]) -> [(generation: HubGeneration, names: [String])] {
        // What each generation, newest first, calls the ruled fields it knows. A generation that
        // spells them like a newer one (transitional core like current) cannot be told apart
        // from it, and needs not be: it is read like the newer one.
        var spellings: [(generation: HubGeneration, names: [String])] = []
        for generation in HubGeneration.allCases.reversed() {
            let names = entries.compactMap { $0.rule.name(of: $0.field, in: generation) }
            if !spellings.contains(where: { $0.names == names }) { spellings.append((generation, names)) }
        }
        // Is one name (in either casing) used for two fields?
        let uses = entries.flatMap { entry in
            HubGeneration.allCases.compactMap { entry.rule.name(of: entry.field, in: $0) }.map {
                (field: entry.field, name: KeyCasing.snakeCased($0))
            }
        }
        guard uses.contains(where: { use in uses.contains { $0.name == use.name && $0.field != use.field } }) else {
            return []
        }
        return spellings.map { spelling in
            let elsewhere = spellings.filter { $0.generation != spelling.generation }.flatMap(\.names)
                .map(KeyCasing.snakeCased)
            return (spelling.generation, spelling.names.filter { !elsewhere.contains(KeyCasing.snakeCased($0)) })
        }
    }

    /// One bit of 64, from the name's length and last byte.
    static func fingerprint(_ field: String) -> UInt64 {
        let utf8 = field.utf8
        return 1 << ((UInt64(utf8.count) &* 31 &+ UInt64(utf8.last ?? 0)) % 64)
    }

    /// What `generation` calls each ruled field (nil: it lacks the field), in the table's order
    /// (for the generated decoders' differential tests).
    func names(in generation: HubGeneration) -> [(field: String, name: String?)] {
        entries.map { ($0.field, $0.rule.name(of: $0.field, in: generation)) }
    }

    /// The entry of `field` (a Swift name), if it has a rule. A linear search: types have a
    /// handful of rules, and comparing short strings is cheaper than hashing them.
    func entry(for field: String) -> Entry? {
        guard fingerprints & Self.fingerprint(field) != 0 else { return nil }
        for entry in entries where entry.field == field { return entry }
        return nil
    }
}

/// A model or body whose fields differ between Hub generations.
protocol WireRuled {
    /// The differences, stated once (see ``WireRules``).
    static var wireRules: WireRules { get }
}

/// A key written as is (the engine's key strategy still converts it to the server's casing).
struct WireKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

// MARK: - Encoding

extension HubCoding {
    /// Encodes a request body for `generation` in `casing`, applying its ``WireRules``.
    ///
    /// - Throws: ``HubClientError`` (``HubClientError/Code/unsupportedByServer``) for a field set
    ///   that `generation` lacks, before anything is sent.
    static func encodeBody<Body: Encodable>(_ body: Body, generation: HubGeneration, casing: KeyCasing) throws
        -> [UInt8]
    {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISO8601.format(date))
        }
        if casing == .snakeCase {
            encoder.keyEncodingStrategy = .custom { path in
                WireKey(KeyCasing.snakeCased(path.last?.stringValue ?? ""))
            }
        }
        encoder.userInfo[.hubGeneration] = generation
        guard let ruled = Body.self as? any WireRuled.Type else { return Array(try encoder.encode(body)) }
        return Array(try encoder.encode(SpelledBody(body: body, rules: ruled.wireRules, generation: generation)))
    }
}

/// A body encoded through a ``SpellingEncoder``.
private struct SpelledBody<Body: Encodable>: Encodable {
    let body: Body
    let rules: WireRules
    let generation: HubGeneration

    func encode(to encoder: any Encoder) throws {
        try body.encode(to: SpellingEncoder(base: encoder, rules: rules, generation: generation, body: Body.self))
    }
}

/// Hands the body a top-level keyed container that spells its fields for one generation; nested
/// values are encoded by the base encoder as they are.
private struct SpellingEncoder: Encoder {
    let base: any Encoder
    let rules: WireRules
    let generation: HubGeneration
    let body: Any.Type
    var codingPath: [any CodingKey] { base.codingPath }
    var userInfo: [CodingUserInfoKey: Any] { base.userInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(
            SpellingContainer<Key>(
                base: base.container(keyedBy: WireKey.self), rules: rules, generation: generation, body: body))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer { base.unkeyedContainer() }
    func singleValueContainer() -> any SingleValueEncodingContainer { base.singleValueContainer() }
}

/// Writes each field under its name in `generation`. Only fields that are written are checked,
/// so nil optionals and unset ``Patch``es (which synthesized conformances skip) never throw.
private struct SpellingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    var base: KeyedEncodingContainer<WireKey>
    let rules: WireRules
    let generation: HubGeneration
    let body: Any.Type
    var codingPath: [any CodingKey] { base.codingPath }

    /// The key `key` is written under; throws for a field `generation` lacks.
    func spelled(_ key: Key) throws -> WireKey {
        let field = key.stringValue
        guard let rule = rules.entry(for: field)?.rule else { return WireKey(field) }
        if let name = rule.name(of: field, in: generation) { return WireKey(name) }
        let owners = HubGeneration.allCases.filter { rule.generations?.contains($0) == true }.map(\.rawValue)
        throw HubClientError(
            .unsupportedByServer,
            "\(HubCoding.typeName(body)).\(field) only exists on \(owners.joined(separator: " and ")) Hubs; "
                + "this server is \(generation)")
    }

    /// Nested containers cannot throw: they get the generation's name, or the Swift name when
    /// the generation lacks the field (synthesized bodies never ask for them).
    func spelledUnchecked(_ key: Key) -> WireKey { (try? spelled(key)) ?? WireKey(key.stringValue) }

    mutating func encodeNil(forKey key: Key) throws { try base.encodeNil(forKey: spelled(key)) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try base.encode(value, forKey: spelled(key)) }
    mutating func encode(_ value: String, forKey key: Key) throws { try base.encode(value, forKey: spelled(key)) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try base.encode(value, forKey: spelled(key)) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try base.encode(value, forKey: spelled(key)) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try base.encode(value, forKey: spelled(key)) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try base.encode(value, forKey: spelled(key)) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try base.encode(value, forKey: spelled(key)) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try base.encode(value, forKey: spelled(key)) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try base.encode(value, forKey: spelled(key)) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try base.encode(value, forKey: spelled(key)) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try base.encode(value, forKey: spelled(key)) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try base.encode(value, forKey: spelled(key)) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try base.encode(value, forKey: spelled(key)) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try base.encode(value, forKey: spelled(key)) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try base.encode(value, forKey: spelled(key))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        base.nestedContainer(keyedBy: keyType, forKey: spelledUnchecked(key))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        base.nestedUnkeyedContainer(forKey: spelledUnchecked(key))
    }

    mutating func superEncoder() -> any Encoder { base.superEncoder() }
    mutating func superEncoder(forKey key: Key) -> any Encoder { base.superEncoder(forKey: spelledUnchecked(key)) }
}

// MARK: - Decoding

/// A model's keyed container that reads each field under the names its ``WireRules`` give: the
/// Swift name first, then the other generations' names (responses are decoded whatever the
/// dialect says, so the payload's generation is not known). Where the rules make a name
/// ambiguous, the payload's generation is recognised first and only its names are read.
///
/// Works on any decoder: the other names are read through a second container of the same
/// object, so they match in whatever casing the decoder matches keys.
struct WireDecodingContainer<Key: CodingKey> {
    private let keys: KeyedDecodingContainer<Key>
    private let decoder: any Decoder
    private let rules: WireRules
    /// The payload's generation, when the rules need it (see ``WireRules/markers``).
    private let generation: HubGeneration?

    init(_ decoder: any Decoder, keyedBy type: Key.Type, rules: WireRules) throws {
        keys = try decoder.container(keyedBy: type)
        self.decoder = decoder
        self.rules = rules
        if rules.markers.isEmpty {
            generation = nil
        } else {
            let names = try decoder.container(keyedBy: WireKey.self)
            let found = rules.markers.first { $0.names.contains { names.contains(WireKey($0)) } }
            // Without a marker the payload is read like one of an unknown version: as current.
            generation = found?.generation ?? .current
        }
    }

    /// The same object, keyed by any name (opened only when another name is read).
    private func names() throws -> KeyedDecodingContainer<WireKey> { try decoder.container(keyedBy: WireKey.self) }

    // `decode` and `decodeIfPresent` are inlined into the models' `init(from:)`: as calls, they
    // made a legacy `Analysis` about 6% slower to decode.

    @inline(__always) func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        guard let entry = rules.entry(for: key.stringValue) else { return try keys.decode(type, forKey: key) }
        if let generation {
            // A field the generation lacks is missing under its Swift name.
            guard let name = entry.rule.name(of: entry.field, in: generation), name != entry.field else {
                return try keys.decode(type, forKey: key)
            }
            return try names().decode(type, forKey: WireKey(name))
        }
        if let value = try keys.decodeIfPresent(type, forKey: key) ?? alias(type, of: entry) { return value }
        // Absent or null under every name: the decoder describes it under the Swift name.
        return try keys.decode(type, forKey: key)
    }

    @inline(__always) func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let generation else {
            // The Swift name first (most fields have no other), then the other generations' names.
            if let value = try keys.decodeIfPresent(type, forKey: key) { return value }
            guard let entry = rules.entry(for: key.stringValue) else { return nil }
            return try alias(type, of: entry)
        }
        guard let entry = rules.entry(for: key.stringValue) else { return try keys.decodeIfPresent(type, forKey: key) }
        guard let name = entry.rule.name(of: entry.field, in: generation) else { return nil }
        if name == entry.field { return try keys.decodeIfPresent(type, forKey: key) }
        return try names().decodeIfPresent(type, forKey: WireKey(name))
    }

    /// The field under the first of its other names that the payload has.
    private func alias<T: Decodable>(_ type: T.Type, of entry: WireRules.Entry) throws -> T? {
        for name in entry.aliases {
            if let value = try names().decodeIfPresent(type, forKey: WireKey(name)) { return value }
        }
        return nil
    }
}
