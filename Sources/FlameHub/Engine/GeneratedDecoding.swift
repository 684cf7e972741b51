#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A type with a decoder written by `flamehub-codegen` (Generated/ModelDecoders.swift) that reads
/// ``FastJSONDecoder``'s tape directly: one pass over the object's members matches each key
/// against the field names spelled out at generation time (camelCase and snake_case), then the
/// fields are read in declaration order. No `KeyedDecodingContainer`, so no container box, no
/// generic metadata and no existential call per member.
///
/// The values and errors are those of the synthesized `init(from:)` on ``TapeDecoder``: the same
/// leaf readers, the same coding paths, the same order of checks. An object whose keys the
/// parser marked as needing slow lookups (escaped keys, two spellings of one name) is handed to
/// the synthesized `init(from:)` instead, which knows the first-occurrence rules.
protocol TapeDecodable: Decodable {
    /// Decodes the value at `decoder`'s tape entry.
    init(tape decoder: TapeDecoder) throws
    /// The keys the decoder reads, one slot each: the fields' coding keys in declaration order
    /// (for a hand-written `init(from:)`, in the order it reads them), then the names other
    /// generations give some of them (``WireRules``).
    static var tapeNames: [StaticString] { get }
}

extension TapeDecoder {
    /// The tape index of each field's value in this decoder's object (`field` maps a key's raw
    /// bytes to a field's position, or -1), found in one pass over its members. Throws what
    /// `container(keyedBy:)` throws when the value is not an object; nil when its keys need the
    /// slow lookups of the synthesized path (escaped keys, two keys naming one field), so that
    /// each field has at most one key here.
    @inline(__always)
    func slots(_ field: (UnsafeBufferPointer<UInt8>) -> Int) throws -> TapeSlots<SIMD32<Int32>>? {
        try slots(SIMD32<Int32>.self, field)
    }

    /// ``slots(_:)`` for types with more names than 32 (`storage` is `SIMD64<Int32>`).
    @inline(__always)
    func slots<Storage: SIMD>(_ storage: Storage.Type, _ field: (UnsafeBufferPointer<UInt8>) -> Int) throws
        -> TapeSlots<Storage>?
    where Storage.Scalar == Int32 {
        let header = tape[index]
        guard header.kind == .object else { throw mismatch([String: Any].self, at: index, codingPath) }
        guard !header.flag else { return nil }
        var slots = TapeSlots<Storage>()
        bytes.withUnsafeBufferPointer { bytes in
            tape.withUnsafeBufferPointer { tape in
                let end = Int(header.end)
                var cursor = index + 1
                while cursor < end {
                    let value = cursor + 1
                    let position = field(UnsafeBufferPointer(rebasing: bytes[tape[cursor].byteRange]))
                    if position >= 0 { slots.raw[position] = Int32(truncatingIfNeeded: value) }
                    cursor = tape[value].next(after: value)
                }
            }
        }
        return slots
    }

    /// The tape index of a required member (`slot`, or -1 when absent), or the `keyNotFound`
    /// error of `KeyedDecodingContainer.decode(_:forKey:)`.
    @inline(__always)
    func required(_ slot: Int, _ name: String) throws -> Int {
        guard slot >= 0 else {
            throw DecodingError.keyNotFound(
                NamedKey(stringValue: name), .init(codingPath: codingPath, debugDescription: "missing"))
        }
        return slot
    }

    /// The tape index of an optional member when present and not null (`decodeIfPresent`).
    @inline(__always)
    func present(_ slot: Int) -> Int? {
        slot >= 0 && tape[slot].kind != .null ? slot : nil
    }

    /// The coding path of member `name` of this decoder's object, for errors.
    func memberPath(_ name: String) -> [any CodingKey] { codingPath + [NamedKey(stringValue: name)] }

    // The readers of the generated decoders: member `name` at tape index `slot` (-1: absent),
    // required (`decode(_:forKey:)`) or `ifPresent` (`decodeIfPresent(_:forKey:)`), read by the
    // same functions as the keyed container's, with the same coding paths.

    func string(_ slot: Int, _ name: String) throws -> String {
        try string(at: required(slot, name), memberPath(name))
    }
    func string(ifPresent slot: Int, _ name: String) throws -> String? {
        try present(slot).map { try string(at: $0, memberPath(name)) }
    }
    func uuid(_ slot: Int, _ name: String) throws -> UUID { try uuid(at: required(slot, name), memberPath(name)) }
    func uuid(ifPresent slot: Int, _ name: String) throws -> UUID? {
        try present(slot).map { try uuid(at: $0, memberPath(name)) }
    }
    func date(_ slot: Int, _ name: String) throws -> Date { try date(at: required(slot, name), memberPath(name)) }
    func date(ifPresent slot: Int, _ name: String) throws -> Date? {
        try present(slot).map { try date(at: $0, memberPath(name)) }
    }
    func bool(_ slot: Int, _ name: String) throws -> Bool { try bool(at: required(slot, name), memberPath(name)) }
    func bool(ifPresent slot: Int, _ name: String) throws -> Bool? {
        try present(slot).map { try bool(at: $0, memberPath(name)) }
    }
    func int(_ slot: Int, _ name: String) throws -> Int {
        try integer(Int.self, at: required(slot, name), memberPath(name))
    }
    func int(ifPresent slot: Int, _ name: String) throws -> Int? {
        try present(slot).map { try integer(Int.self, at: $0, memberPath(name)) }
    }
    func double(_ slot: Int, _ name: String) throws -> Double {
        try float(Double.self, at: required(slot, name), memberPath(name))
    }
    func double(ifPresent slot: Int, _ name: String) throws -> Double? {
        try present(slot).map { try float(Double.self, at: $0, memberPath(name)) }
    }

    /// A ``HubStringEnum``: its `init(from:)` reads the raw string through a single-value
    /// container at the member, which is this.
    func stringEnum<T: HubStringEnum>(_ slot: Int, _ name: String) throws -> T {
        T(rawValue: try string(at: required(slot, name), memberPath(name)))
    }
    func stringEnum<T: HubStringEnum>(ifPresent slot: Int, _ name: String) throws -> T? {
        try present(slot).map { T(rawValue: try string(at: $0, memberPath(name))) }
    }

    /// A struct with a generated decoder, read by it.
    func model<T: TapeDecodable>(_ slot: Int, _ name: String) throws -> T {
        try T(tape: child(try required(slot, name), NamedKey(stringValue: name)))
    }
    func model<T: TapeDecodable>(ifPresent slot: Int, _ name: String) throws -> T? {
        try present(slot).map { try T(tape: child($0, NamedKey(stringValue: name))) }
    }

    /// An array of strings, as `Array.init(from:)` reads it (the same coding paths and errors),
    /// without an unkeyed container.
    func strings(_ slot: Int, _ name: String) throws -> [String] {
        try elements(at: required(slot, name), key: NamedKey(stringValue: name)) { list, element, position in
            try list.string(at: element, list.path(TapeUnkeyedContainer.IndexKey(intValue: position)))
        }
    }
    func strings(ifPresent slot: Int, _ name: String) throws -> [String]? {
        try present(slot).map { try strings($0, name) }
    }

    /// An array of structs with generated decoders, read by them.
    func models<T: TapeDecodable>(_ slot: Int, _ name: String) throws -> [T] {
        try elements(at: required(slot, name), key: NamedKey(stringValue: name)) { list, element, position in
            try T(tape: list.child(element, TapeUnkeyedContainer.IndexKey(intValue: position)))
        }
    }
    func models<T: TapeDecodable>(ifPresent slot: Int, _ name: String) throws -> [T]? {
        try present(slot).map { try models($0, name) }
    }

    /// The elements of the array at tape `index` (the member `key`), each read by `read` (the
    /// array's decoder, the element's tape index, its position): `Array.init(from:)`'s checks
    /// and coding paths, with the array's size reserved.
    @inline(__always)
    func elements<Element>(
        at index: Int, key: NamedKey, _ read: (TapeDecoder, Int, Int) throws -> Element
    ) throws -> [Element] {
        let list = child(index, key)
        let header = tape[index]
        guard header.kind == .array else { throw mismatch([Any].self, at: index, list.codingPath) }
        var elements: [Element] = []
        elements.reserveCapacity(Int(header.count))
        var cursor = index + 1
        let end = Int(header.end)
        while cursor < end {
            elements.append(try read(list, cursor, elements.count))
            cursor = tape[cursor].next(after: cursor)
        }
        return elements
    }

    /// Any other type, as the keyed container decodes it. The generator uses this reader only
    /// for types without a generated decoder, so the conformance lookup of
    /// ``value(_:at:key:)`` (`swift_conformsToProtocol` for every value) is skipped.
    func value<T: Decodable>(_ slot: Int, _ name: String) throws -> T {
        try value(T.self, at: required(slot, name), key: NamedKey(stringValue: name), lookUp: false)
    }
    func value<T: Decodable>(ifPresent slot: Int, _ name: String) throws -> T? {
        try present(slot).map { try value(T.self, at: $0, key: NamedKey(stringValue: name), lookUp: false) }
    }

    /// `T` at `index` through the generated decoder when it has one (`G` is `T`).
    static func generated<G: TapeDecodable, T>(_ type: G.Type, _ decoder: TapeDecoder, as _: T.Type) throws -> T {
        unsafeBitCast(try G(tape: decoder), to: T.self)
    }

    /// The elements of the array at `array` (decoded by `list`) through a generated decoder.
    static func generatedElements<G: TapeDecodable, Element>(
        _ type: G.Type, _ list: TapeDecoder, array: Int, as _: Element.Type
    ) throws -> [Element] {
        var elements: [G] = []
        elements.reserveCapacity(Int(list.tape[array].count))
        var cursor = array + 1
        let end = Int(list.tape[array].end)
        while cursor < end {
            let position = TapeUnkeyedContainer.IndexKey(intValue: elements.count)
            elements.append(try G(tape: list.child(cursor, position)))
            cursor = list.tape[cursor].next(after: cursor)
        }
        return unsafeBitCast(elements, to: [Element].self)
    }
}

/// Where a generated decoder's fields are on the tape: -1 when absent. Tape indices fit in
/// `Int32` (the parser refuses larger bodies); the generator picks the width by the number of
/// names a type reads (32 for most, 64 for `Analysis`: its fields and the legacy names of some).
struct TapeSlots<Storage: SIMD> where Storage.Scalar == Int32 {
    var raw = Storage(repeating: -1)

    @inline(__always)
    subscript(position: Int) -> Int { Int(raw[position]) }
}

/// Key matching for the generated decoders.
enum TapeKey {
    /// Whether `key` is exactly `name`.
    @inline(__always)
    static func spells(_ key: UnsafeBufferPointer<UInt8>, _ name: StaticString) -> Bool {
        let count = name.utf8CodeUnitCount
        guard key.count == count, let base = key.baseAddress else { return false }
        let target = name.utf8Start
        // Eight bytes at a time (most names are longer than that), then byte by byte.
        var index = 0
        while index &+ 8 <= count {
            let found = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            guard found == UnsafeRawPointer(target + index).loadUnaligned(as: UInt64.self) else { return false }
            index &+= 8
        }
        while index < count {
            guard base[index] == target[index] else { return false }
            index += 1
        }
        return true
    }

    /// The field a key spelled neither in camelCase nor in snake_case matches in the generic
    /// path's rules (``KeyFingerprint/key(_:matches:)``: `registry_projectId`, `realm_Id`), or -1.
    static func lenient(_ key: UnsafeBufferPointer<UInt8>, _ names: [StaticString]) -> Int {
        for (position, name) in names.enumerated() {
            let target = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
            if KeyFingerprint.key(key, matches: target) { return position }
        }
        return -1
    }
}
