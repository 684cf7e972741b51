#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A JSON decoder specialised for Hub payloads, several times faster than `JSONDecoder` on the
/// list-call hot path.
///
/// The body is parsed once into a flat tape; containers read it in place. Keys match in either
/// casing without building converted strings (`realm_id` matches the Swift key `realmId`).
/// `String`, `UUID`, `Date` (ISO-8601, fractional seconds optional), numbers and booleans are
/// read straight from the bytes. Errors are ordinary `DecodingError`s with a coding path.
struct FastJSONDecoder {
    func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONTapeParser(bytes: buffer)
            let tape = try parser.parse()
            let decoder = TapeDecoder(tape: tape, bytes: buffer, index: 0, codingPath: [])
            return try decoder.decodeValue(T.self)
        }
    }
}

/// One parsed value. Containers store the tape index after their subtree in `end` and their
/// element count in `count`; strings their inner byte range and whether it has escapes.
struct TapeEntry {
    enum Kind: UInt8 {
        case null, bool, number, string, array, object
    }

    var kind: Kind
    var flag: Bool  // bool value, or "string has escapes"
    var start: Int32  // byte offset (strings: after the quote)
    var length: Int32  // byte length (strings: inner length)
    var end: Int32  // containers: tape index after the subtree
    var count: Int32  // containers: elements (objects: members)
    var keyMask: UInt64 = 0  // objects: ``KeyFingerprint`` bits of their keys

    init(kind: Kind, flag: Bool, start: Int32, length: Int32, end: Int32, count: Int32) {
        self.kind = kind
        self.flag = flag
        self.start = start
        self.length = length
        self.end = end
        self.count = count
    }
}

/// One bit per key, the same in camelCase and snake_case (first and last byte, lowercased), so
/// that a lookup of a key an object lacks usually ends without visiting its keys.
enum KeyFingerprint {
    /// Set in an object's mask when a key cannot be fingerprinted (empty, or with escapes).
    static let everything = UInt64.max

    @inline(__always)
    static func bit(first: UInt8, last: UInt8) -> UInt64 {
        func lower(_ byte: UInt8) -> UInt64 { UInt64(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) }
        return 1 << ((lower(first) &* 31 &+ lower(last)) & 63)
    }
}

struct JSONTapeParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    var tape: [TapeEntry] = []

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        tape.reserveCapacity(bytes.count / 8)
    }

    mutating func parse() throws -> [TapeEntry] {
        try parseValue(depth: 0)
        skipSpace()
        guard position == bytes.count else { throw corrupted("unexpected data after the JSON value") }
        return tape
    }

    func corrupted(_ message: String) -> DecodingError {
        DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "invalid JSON: \(message)"))
    }

    mutating func skipSpace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws {
        guard depth < 512 else { throw corrupted("nesting too deep") }
        skipSpace()
        guard position < bytes.count else { throw corrupted("unexpected end") }
        switch bytes[position] {
        case UInt8(ascii: "{"): try parseContainer(object: true, depth: depth)
        case UInt8(ascii: "["): try parseContainer(object: false, depth: depth)
        case UInt8(ascii: "\""): try parseString()
        case UInt8(ascii: "t"): try literal("true", .bool, flag: true)
        case UInt8(ascii: "f"): try literal("false", .bool, flag: false)
        case UInt8(ascii: "n"): try literal("null", .null, flag: false)
        default: try parseNumber()
        }
    }

    mutating func literal(_ word: StaticString, _ kind: TapeEntry.Kind, flag: Bool) throws {
        let length = word.utf8CodeUnitCount
        guard position + length <= bytes.count else { throw corrupted("unknown literal") }
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: length)
        for offset in 0..<length where bytes[position + offset] != expected[offset] {
            throw corrupted("unknown literal")
        }
        tape.append(TapeEntry(kind: kind, flag: flag, start: Int32(position), length: Int32(length), end: 0, count: 0))
        position += length
    }

    mutating func parseNumber() throws {
        let start = position
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                UInt8(ascii: "e"), UInt8(ascii: "E"):
                position += 1
            default:
                guard position > start else { throw corrupted("unexpected character") }
                tape.append(entry(.number, start: start))
                return
            }
        }
        guard position > start else { throw corrupted("unexpected end") }
        tape.append(entry(.number, start: start))
    }

    func entry(_ kind: TapeEntry.Kind, start: Int, flag: Bool = false) -> TapeEntry {
        TapeEntry(kind: kind, flag: flag, start: Int32(start), length: Int32(position - start), end: 0, count: 0)
    }

    mutating func parseString() throws {
        let start = position + 1
        // Locals, not `self.position`, so that the scan stays in registers.
        var cursor = start
        let count = bytes.count
        var escaped = false
        while cursor < count {
            let byte = bytes[cursor]
            if byte == UInt8(ascii: "\"") {
                tape.append(
                    TapeEntry(
                        kind: .string, flag: escaped, start: Int32(start), length: Int32(cursor - start), end: 0,
                        count: 0))
                position = cursor + 1
                return
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                cursor += 2
            } else {
                cursor += 1
            }
        }
        position = cursor
        throw corrupted("unterminated string")
    }

    mutating func parseContainer(object: Bool, depth: Int) throws {
        let header = tape.count
        tape.append(
            TapeEntry(kind: object ? .object : .array, flag: false, start: Int32(position), length: 0, end: 0, count: 0)
        )
        position += 1
        let close = object ? UInt8(ascii: "}") : UInt8(ascii: "]")
        var count: Int32 = 0
        skipSpace()
        if position < bytes.count, bytes[position] == close {
            position += 1
        } else {
            while true {
                if object {
                    skipSpace()
                    guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                        throw corrupted("expected a key")
                    }
                    try parseString()
                    let key = tape[tape.count - 1]
                    if key.length == 0 || key.flag {
                        tape[header].keyMask = KeyFingerprint.everything
                    } else {
                        tape[header].keyMask |= KeyFingerprint.bit(
                            first: bytes[Int(key.start)], last: bytes[Int(key.start + key.length) - 1])
                    }
                    skipSpace()
                    guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                        throw corrupted("expected ':'")
                    }
                    position += 1
                }
                try parseValue(depth: depth + 1)
                count += 1
                skipSpace()
                guard position < bytes.count else { throw corrupted("unexpected end") }
                if bytes[position] == UInt8(ascii: ",") {
                    position += 1
                } else if bytes[position] == close {
                    position += 1
                    break
                } else {
                    throw corrupted("expected ',' or a closing bracket")
                }
            }
        }
        tape[header].count = count
        tape[header].end = Int32(tape.count)
    }
}

/// A decoder positioned at one tape entry.
final class TapeDecoder: Decoder {
    let tape: [TapeEntry]
    let bytes: UnsafeBufferPointer<UInt8>
    let index: Int
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    /// Where the next key search in this decoder's object starts (see ``member(_:in:)``).
    private var searchStart = 0

    init(tape: [TapeEntry], bytes: UnsafeBufferPointer<UInt8>, index: Int, codingPath: [any CodingKey]) {
        self.tape = tape
        self.bytes = bytes
        self.index = index
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard tape[index].kind == .object else { throw mismatch([String: Any].self, at: index, codingPath) }
        return KeyedDecodingContainer(TapeKeyedContainer<Key>(decoder: self, object: index))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard tape[index].kind == .array else { throw mismatch([Any].self, at: index, codingPath) }
        return TapeUnkeyedContainer(decoder: self, array: index)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { TapeSingleValue(decoder: self) }

    // MARK: Reading values

    func mismatch(_ type: Any.Type, at index: Int, _ path: [any CodingKey]) -> DecodingError {
        let found = tape[index].kind
        if found == .null {
            return DecodingError.valueNotFound(type, .init(codingPath: path, debugDescription: "found null"))
        }
        return DecodingError.typeMismatch(type, .init(codingPath: path, debugDescription: "found \(found)"))
    }

    func child(_ index: Int, _ path: [any CodingKey]) -> TapeDecoder {
        TapeDecoder(tape: tape, bytes: bytes, index: index, codingPath: path)
    }

    /// Decodes `T` at `index`, reading common leaf types straight from the bytes. The coding path
    /// is only built when it is needed (an error or a nested decoder).
    func value<T: Decodable>(_ type: T.Type, at index: Int, path: @autoclosure () -> [any CodingKey]) throws -> T {
        // The type is checked first, so the bit casts are identities (a dynamic `as? T` cast
        // per field costs more than reading the value).
        if T.self == String.self { return unsafeBitCast(try string(at: index, path()), to: T.self) }
        if T.self == UUID.self { return unsafeBitCast(try uuid(at: index, path()), to: T.self) }
        if T.self == Date.self { return unsafeBitCast(try date(at: index, path()), to: T.self) }
        if T.self == Bool.self { return unsafeBitCast(try bool(at: index, path()), to: T.self) }
        if T.self == Int.self { return unsafeBitCast(try integer(at: index, path()), to: T.self) }
        if T.self == Double.self { return unsafeBitCast(try double(at: index, path()), to: T.self) }
        if T.self == Decimal.self { return unsafeBitCast(Decimal(try double(at: index, path())), to: T.self) }
        return try T(from: child(index, path()))
    }

    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        try value(T.self, at: index, path: codingPath)
    }

    func string(at index: Int, _ path: @autoclosure () -> [any CodingKey]) throws -> String {
        let entry = tape[index]
        guard entry.kind == .string else { throw mismatch(String.self, at: index, path()) }
        let slice = UnsafeBufferPointer(rebasing: bytes[Int(entry.start)..<Int(entry.start + entry.length)])
        if !entry.flag { return String(decoding: slice, as: UTF8.self) }
        return try unescape(slice, path())
    }

    func unescape(_ slice: UnsafeBufferPointer<UInt8>, _ path: [any CodingKey]) throws -> String {
        var output: [UInt8] = []
        output.reserveCapacity(slice.count)
        var index = 0
        func bad() -> DecodingError {
            DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "invalid escape in a string"))
        }
        func hex(_ at: Int) throws -> UInt32 {
            guard at + 4 <= slice.count else { throw bad() }
            var value: UInt32 = 0
            for offset in 0..<4 {
                let byte = slice[at + offset]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - 48
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - 87
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - 55
                default: throw bad()
                }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
        while index < slice.count {
            let byte = slice[index]
            guard byte == UInt8(ascii: "\\") else {
                output.append(byte)
                index += 1
                continue
            }
            guard index + 1 < slice.count else { throw bad() }
            let escape = slice[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escape)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex(index)
                index += 4
                if (0xD800..<0xDC00).contains(scalar), index + 6 <= slice.count, slice[index] == UInt8(ascii: "\\"),
                    slice[index + 1] == UInt8(ascii: "u")
                {
                    let low = try hex(index + 2)
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    }
                }
                output.append(contentsOf: String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8)
            default: throw bad()
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    func uuid(at index: Int, _ path: @autoclosure () -> [any CodingKey]) throws -> UUID {
        let entry = tape[index]
        guard entry.kind == .string else { throw mismatch(UUID.self, at: index, path()) }
        if entry.length == 36, !entry.flag,
            let uuid = UUIDBytes.parse(UnsafeBufferPointer(rebasing: bytes[Int(entry.start)..<Int(entry.start) + 36]))
        {
            return uuid
        }
        throw DecodingError.dataCorrupted(.init(codingPath: path(), debugDescription: "expected a UUID"))
    }

    func date(at index: Int, _ path: @autoclosure () -> [any CodingKey]) throws -> Date {
        let entry = tape[index]
        guard entry.kind == .string else { throw mismatch(Date.self, at: index, path()) }
        let slice = UnsafeBufferPointer(rebasing: bytes[Int(entry.start)..<Int(entry.start + entry.length)])
        guard let date = ISO8601.parse(bytes: slice) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: path(), debugDescription: "expected an ISO-8601 date-time"))
        }
        return date
    }

    func bool(at index: Int, _ path: @autoclosure () -> [any CodingKey]) throws -> Bool {
        guard tape[index].kind == .bool else { throw mismatch(Bool.self, at: index, path()) }
        return tape[index].flag
    }

    func numberText(at index: Int, _ type: Any.Type, _ path: @autoclosure () -> [any CodingKey]) throws -> String {
        let entry = tape[index]
        guard entry.kind == .number else { throw mismatch(type, at: index, path()) }
        return String(decoding: bytes[Int(entry.start)..<Int(entry.start + entry.length)], as: UTF8.self)
    }

    func integer(at index: Int, _ path: @autoclosure () -> [any CodingKey]) throws -> Int {
        let text = try numberText(at: index, Int.self, path())
        if let value = Int(text) { return value }
        if let value = Double(text), value.rounded() == value, abs(value) < 9.2e18 { return Int(value) }
        throw DecodingError.dataCorrupted(.init(codingPath: path(), debugDescription: "expected an integer"))
    }

    func double(at index: Int, _ path: @autoclosure () -> [any CodingKey]) throws -> Double {
        guard let value = Double(try numberText(at: index, Double.self, path())) else {
            throw DecodingError.dataCorrupted(.init(codingPath: path(), debugDescription: "expected a number"))
        }
        return value
    }

    /// Whether the key at tape `index` spells `target` (a Swift name, UTF-8) in camelCase or
    /// snake_case.
    @inline(__always)
    func key(at index: Int, matches target: UnsafeBufferPointer<UInt8>) -> Bool {
        let entry = tape[index]
        var key = Int(entry.start)
        let keyEnd = key + Int(entry.length)
        // Both casings start with the same byte; most keys differ right there.
        guard key < keyEnd, !target.isEmpty else { return key == keyEnd && target.isEmpty }
        guard bytes[key] == target[0] else { return false }
        var position = 0
        while key < keyEnd {
            var byte = bytes[key]
            if byte == UInt8(ascii: "_"), key + 1 < keyEnd, position > 0 {
                // `_x` matches `X`; an exact `_` in the Swift name matches too.
                if position < target.count, target[position] == UInt8(ascii: "_") {
                    position += 1
                    key += 1
                    continue
                }
                key += 1
                byte = bytes[key]
                if byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") { byte -= 32 }
            }
            guard position < target.count, target[position] == byte else { return false }
            position += 1
            key += 1
        }
        return position == target.count
    }

    /// The tape index of the value of member `name` of the object at `object`, if present.
    ///
    /// The search starts at the member found last and wraps around: models read their keys
    /// mostly in the order the server writes them, so most lookups match within two keys.
    func member(_ name: String, in object: Int) -> Int? {
        var name = name
        return name.withUTF8 { target in
            guard let firstByte = target.first, let lastByte = target.last,
                tape[object].keyMask & KeyFingerprint.bit(first: firstByte, last: lastByte) != 0
            else { return nil }
            let first = object + 1
            let end = Int(tape[object].end)
            let start = object == index && searchStart > first && searchStart < end ? searchStart : first
            var cursor = start
            var wrapped = false
            while true {
                if cursor >= end {
                    if wrapped || start == first { return nil }
                    wrapped = true
                    cursor = first
                }
                if wrapped && cursor >= start { return nil }
                let value = cursor + 1
                let entry = tape[value]
                let next = entry.kind == .object || entry.kind == .array ? Int(entry.end) : value + 1
                if key(at: cursor, matches: target) {
                    // The found key itself: it may be asked for again (`contains`, then
                    // `decodeNil`, then `decode`), and the next key is one step further.
                    if object == index { searchStart = cursor }
                    return value
                }
                cursor = next
            }
        }
    }
}

struct TapeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: TapeDecoder
    let object: Int
    var codingPath: [any CodingKey] { decoder.codingPath }

    var allKeys: [Key] {
        var keys: [Key] = []
        var cursor = object + 1
        let end = Int(decoder.tape[object].end)
        while cursor < end {
            if let name = try? decoder.string(at: cursor, []), let key = Key(stringValue: name) {
                keys.append(key)
            }
            let entry = decoder.tape[cursor + 1]
            cursor = entry.kind == .object || entry.kind == .array ? Int(entry.end) : cursor + 2
        }
        return keys
    }

    func contains(_ key: Key) -> Bool { decoder.member(key.stringValue, in: object) != nil }

    func location(_ key: Key) throws -> Int {
        guard let index = decoder.member(key.stringValue, in: object) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing"))
        }
        return index
    }

    func decodeNil(forKey key: Key) throws -> Bool { decoder.tape[try location(key)].kind == .null }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoder.value(T.self, at: try location(key), path: codingPath + [key])
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let index = decoder.member(key.stringValue, in: object), decoder.tape[index].kind != .null else {
            return nil
        }
        return try decoder.value(T.self, at: index, path: codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try decoder.child(try location(key), codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder.child(try location(key), codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }

    func superDecoder(forKey key: Key) throws -> any Decoder { decoder.child(try location(key), codingPath + [key]) }
}

struct TapeUnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: TapeDecoder
    var cursor: Int
    let end: Int
    let count: Int?
    var currentIndex = 0
    var codingPath: [any CodingKey] { decoder.codingPath }
    var isAtEnd: Bool { cursor >= end }

    init(decoder: TapeDecoder, array: Int) {
        self.decoder = decoder
        cursor = array + 1
        end = Int(decoder.tape[array].end)
        count = Int(decoder.tape[array].count)
    }

    struct IndexKey: CodingKey {
        var intValue: Int?
        var stringValue: String { "\(intValue ?? 0)" }
        init(intValue: Int) { self.intValue = intValue }
        init?(stringValue: String) { nil }
    }

    /// The next element's tape index and its position (for its coding path, built only when
    /// needed).
    mutating func next() throws -> (index: Int, position: Int) {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                Any.self, .init(codingPath: codingPath, debugDescription: "the array has no more elements"))
        }
        let index = cursor
        let entry = decoder.tape[index]
        cursor = entry.kind == .object || entry.kind == .array ? Int(entry.end) : index + 1
        defer { currentIndex += 1 }
        return (index, currentIndex)
    }

    func path(_ position: Int) -> [any CodingKey] { codingPath + [IndexKey(intValue: position)] }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, decoder.tape[cursor].kind == .null else { return false }
        _ = try next()
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (index, position) = try next()
        return try decoder.value(T.self, at: index, path: path(position))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        let (index, position) = try next()
        return try decoder.child(index, path(position)).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (index, position) = try next()
        return try decoder.child(index, path(position)).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let (index, position) = try next()
        return decoder.child(index, path(position))
    }
}

struct TapeSingleValue: SingleValueDecodingContainer {
    let decoder: TapeDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.tape[decoder.index].kind == .null }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == Float.self, let value = Float(try decoder.double(at: decoder.index, codingPath)) as? T {
            return value
        }
        if let integer = T.self as? any FixedWidthInteger.Type, T.self != Int.self {
            let value = try decoder.integer(at: decoder.index, codingPath)
            guard let converted = integer.init(exactly: value) as? T else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: codingPath, debugDescription: "number out of range"))
            }
            return converted
        }
        return try decoder.value(T.self, at: decoder.index, path: codingPath)
    }
}

/// Parses `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` without building a String.
enum UUIDBytes {
    static func parse(_ text: UnsafeBufferPointer<UInt8>) -> UUID? {
        guard text.count == 36, text[8] == 0x2D, text[13] == 0x2D, text[18] == 0x2D, text[23] == 0x2D else {
            return nil
        }
        var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let table = hexValue
        let valid = withUnsafeMutableBytes(of: &uuid) { output -> Bool in
            var invalid: UInt8 = 0
            var index = 0
            for written in 0..<16 {
                if index == 8 || index == 13 || index == 18 || index == 23 { index += 1 }
                let high = table[Int(text[index])]
                let low = table[Int(text[index + 1])]
                invalid |= (high | low) & 0x10
                output[written] = high << 4 | (low & 0x0F)
                index += 2
            }
            return invalid == 0
        }
        return valid ? UUID(uuid: uuid) : nil
    }

    /// Hex digit values; 0x10 marks a byte that is not a hex digit.
    private static let hexValue: [UInt8] = (0...255).map { byte -> UInt8 in
        switch UInt8(byte) {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt8(byte) - 48
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt8(byte) - 87
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt8(byte) - 55
        default: 0x10
        }
    }
}
