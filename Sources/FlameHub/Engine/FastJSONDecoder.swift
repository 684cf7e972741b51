#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A JSON decoder specialised for Hub payloads, several times faster than `JSONDecoder` on the
/// list-call hot path.
///
/// The body is parsed once into a flat tape and validated completely (RFC 8259: number grammar,
/// escapes, UTF-8, control characters, at most ``maximumDepth`` nested arrays and objects);
/// containers then read the tape in place. Keys match in either casing without building
/// converted strings (`realm_id` matches the Swift key `realmId`); when a key occurs twice, the
/// first occurrence wins, as with `JSONDecoder`. `String`, `UUID`, `Date` (ISO-8601, fractional
/// seconds optional), numbers and booleans are read straight from the bytes. Errors are ordinary
/// `DecodingError`s with a coding path; syntax errors carry a ``JSONSyntaxError``.
///
/// Every decoder and container holds the bytes and the tape as arrays (shared, not copied), and
/// unsafe pointers to them are only taken inside scoped accesses: a model whose `init(from:)`
/// keeps its decoder or a container can still use it after the decode call.
struct FastJSONDecoder {
    /// The deepest nesting of arrays and objects accepted (`JSONDecoder`'s limit as well).
    static let maximumDepth = 512

    /// Whether models with a generated decoder (``TapeDecodable``) use it; false takes the
    /// synthesized `init(from:)` everywhere (the reference of the differential tests).
    var generatedDecoders = true

    func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        let tape = try bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONTapeParser(bytes: buffer)
            return try parser.parse()
        }
        return try TapeDecoder(bytes: bytes, tape: tape, generatedDecoders: generatedDecoders).decodeValue(T.self)
    }
}

/// One parsed value. Containers store the tape index after their subtree in `end` and their
/// element count in `count`; strings their inner byte range and whether it has escapes.
struct TapeEntry {
    enum Kind: UInt8 {
        case null, bool, number, string, array, object

        /// The kind as a `DecodingError` names what it found.
        var found: String {
            switch self {
            case .null: "null"
            case .bool: "a boolean"
            case .number: "a number"
            case .string: "a string"
            case .array: "an array"
            case .object: "an object"
            }
        }
    }

    var kind: Kind
    /// Booleans: the value. Strings: has escapes. Numbers: is a plain integer (no fraction or
    /// exponent). Objects: keys must be looked up slowly (an escaped key, or two keys that
    /// match the same Swift name).
    var flag: Bool
    var start: Int32  // byte offset (strings: after the quote)
    var length: Int32  // byte length (strings: inner length)
    var end: Int32  // containers: tape index after the subtree
    var count: Int32  // containers: elements (objects: members)
    var keyMask: UInt64 = 0  // objects: ``KeyFingerprint`` bits of their keys
    // Keys use `count` while the parser runs: 1 + the tape index of the previous key of the
    // object with the same fingerprint, or 0.

    init(kind: Kind, flag: Bool, start: Int, length: Int) {
        // The parser refuses bodies whose offsets do not fit in Int32.
        self.kind = kind
        self.flag = flag
        self.start = Int32(truncatingIfNeeded: start)
        self.length = Int32(truncatingIfNeeded: length)
        end = 0
        count = 0
    }

    var byteRange: Range<Int> { Int(start)..<Int(start) + Int(length) }

    /// The tape index after this entry's subtree, for an entry at `index`.
    @inline(__always)
    func next(after index: Int) -> Int { kind == .object || kind == .array ? Int(end) : index + 1 }
}

/// One bit per key, the same in camelCase and snake_case (first and last byte, lowercased), so
/// that a lookup of a key an object lacks usually ends without visiting its keys.
enum KeyFingerprint {
    /// Set in an object's mask when a key cannot be fingerprinted (empty, or with escapes).
    static let everything = UInt64.max

    /// The bit's position, 0..<64.
    @inline(__always)
    static func slot(first: UInt8, last: UInt8) -> Int {
        func lower(_ byte: UInt8) -> Int { Int(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) }
        return (lower(first) &* 31 &+ lower(last)) & 63
    }

    @inline(__always)
    static func bit(first: UInt8, last: UInt8) -> UInt64 { 1 << slot(first: first, last: last) }

    /// Whether `key` (raw bytes of a JSON key) spells `target` (a Swift name, UTF-8) in
    /// camelCase or snake_case: `_x` in the key matches `X`, an exact `_` matches too.
    @inline(__always)
    static func key(_ key: UnsafeBufferPointer<UInt8>, matches target: UnsafeBufferPointer<UInt8>) -> Bool {
        // Both casings start with the same byte; most keys differ right there.
        guard let first = key.first, let targetFirst = target.first else { return key.isEmpty && target.isEmpty }
        guard first == targetFirst else { return false }
        // Each `_x` read as `X` makes the key one byte longer than the name, so a key as long as
        // the name matches only byte for byte: every key of a camelCase payload.
        if key.count == target.count {
            var index = 1
            while index < key.count {
                guard key[index] == target[index] else { return false }
                index += 1
            }
            return true
        }
        var position = 0
        var cursor = 0
        while cursor < key.count {
            var byte = key[cursor]
            if byte == UInt8(ascii: "_"), cursor + 1 < key.count, position > 0 {
                if position < target.count, target[position] == UInt8(ascii: "_") {
                    position += 1
                    cursor += 1
                    continue
                }
                cursor += 1
                byte = key[cursor]
                if byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") { byte -= 32 }
            }
            guard position < target.count, target[position] == byte else { return false }
            position += 1
            cursor += 1
        }
        return position == target.count
    }

    /// Whether two raw keys name the same Swift key (`realm_id` and `realmId`), so that a
    /// lookup could match either.
    static func sameName(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        // Most keys that share a fingerprint differ at a plain byte after a common prefix
        // (`registryId`, `registryProjectId`): both spellings have read the prefix alike and are
        // at that byte, so they differ. Anything else (an `_` there or just before) is compared
        // in full below.
        var common = 0
        while common < a.count, common < b.count, a[common] == b[common] { common += 1 }
        if common < a.count, common < b.count, a[common] != UInt8(ascii: "_"), b[common] != UInt8(ascii: "_"),
            common == 0 || a[common - 1] != UInt8(ascii: "_")
        {
            return false
        }
        var i = 0
        var j = 0
        func next(_ key: UnsafeBufferPointer<UInt8>, _ cursor: inout Int) -> UInt8 {
            var byte = key[cursor]
            if byte == UInt8(ascii: "_"), cursor > 0, cursor + 1 < key.count {
                cursor += 1
                byte = key[cursor]
                if byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") { byte -= 32 }
            }
            cursor += 1
            return byte
        }
        while i < a.count, j < b.count {
            guard next(a, &i) == next(b, &j) else { return false }
        }
        return i == a.count && j == b.count
    }
}

/// Why a body is not JSON that ``FastJSONDecoder`` accepts. Its description names the problem
/// and the byte offset, never the body's content (beyond its first character when that is not
/// JSON at all).
struct JSONSyntaxError: Error, Equatable, CustomStringConvertible {
    enum Problem: Equatable {
        case empty
        case notJSON(firstByte: UInt8)
        case tooDeep
        case truncated
        case unexpected(expected: String)
        case controlCharacter
        case invalidEscape
        case unpairedSurrogate
        case invalidUTF8
        case invalidNumber
        case trailingData
        case tooLarge
    }

    var problem: Problem
    var offset: Int

    var description: String {
        switch problem {
        case .empty:
            return "the body is empty (expected JSON)"
        case .notJSON(let byte):
            let hint = byte == UInt8(ascii: "<") ? " (an HTML or XML page, e.g. from a proxy)" : ""
            return "not JSON: the body starts with \(Self.show(byte))\(hint)"
        case .tooDeep:
            return "the JSON nests arrays and objects deeper than the limit of \(FastJSONDecoder.maximumDepth) "
                + "(at byte \(offset))"
        case .truncated:
            return "invalid JSON: the body ends at byte \(offset) in the middle of a value (truncated?)"
        case .unexpected(let expected):
            return "invalid JSON at byte \(offset): expected \(expected)"
        case .controlCharacter:
            return "invalid JSON at byte \(offset): a control character in a string must be escaped"
        case .invalidEscape:
            return "invalid JSON at byte \(offset): invalid escape sequence in a string"
        case .unpairedSurrogate:
            return "invalid JSON at byte \(offset): \\u escape of an unpaired UTF-16 surrogate"
        case .invalidUTF8:
            return "invalid JSON at byte \(offset): the string is not valid UTF-8"
        case .invalidNumber:
            return "invalid JSON at byte \(offset): malformed number"
        case .trailingData:
            return "invalid JSON at byte \(offset): unexpected data after the JSON value"
        case .tooLarge:
            return "the body is too large to decode (over 2 GiB)"
        }
    }

    /// A printable ASCII character in backquotes, any other byte in hex.
    static func show(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte)
            ? "`\(Character(Unicode.Scalar(byte)))`" : "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }

    var decodingError: DecodingError {
        .dataCorrupted(.init(codingPath: [], debugDescription: description, underlyingError: self))
    }
}

struct JSONTapeParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    var tape: [TapeEntry] = []
    /// For each object being parsed, 64 slots (one per fingerprint bit); see
    /// ``addKey(_:mask:slow:chains:)``. Raw memory that ``parse()`` owns, `chainLevels` objects
    /// deep: an array's uniqueness check on every key cost as much as the rest of a key's
    /// bookkeeping.
    private var fingerprintChains: UnsafeMutablePointer<Int32>?
    private var chainLevels = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        tape.reserveCapacity(bytes.count / 8)
    }

    mutating func parse() throws -> [TapeEntry] {
        guard bytes.count < Int(Int32.max) else { throw fail(.tooLarge, at: 0) }
        defer {
            fingerprintChains?.deallocate()
            fingerprintChains = nil
            chainLevels = 0
        }
        // A UTF-8 byte-order mark, which JSONDecoder skips as well.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
        skipSpace()
        guard position < bytes.count else { throw fail(.empty, at: position) }
        let first = position
        do {
            try parseValue(depth: 0)
        } catch let error as DecodingError {
            // Whatever fails at the very first byte is not JSON at all (HTML, plain text).
            if case .dataCorrupted(let context) = error, let syntax = context.underlyingError as? JSONSyntaxError,
                syntax.offset == first, syntax.problem != .truncated
            {
                throw fail(.notJSON(firstByte: bytes[first]), at: first)
            }
            throw error
        }
        skipSpace()
        guard position == bytes.count else { throw fail(.trailingData, at: position) }
        return tape
    }

    func fail(_ problem: JSONSyntaxError.Problem, at offset: Int) -> DecodingError {
        JSONSyntaxError(problem: problem, offset: offset).decodingError
    }

    @inline(__always)
    mutating func skipSpace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    /// Parses the value at `position`; `depth` counts the arrays and objects around it.
    mutating func parseValue(depth: Int) throws {
        skipSpace()
        guard position < bytes.count else { throw fail(.truncated, at: position) }
        switch bytes[position] {
        case UInt8(ascii: "{"): try parseContainer(object: true, depth: depth + 1)
        case UInt8(ascii: "["): try parseContainer(object: false, depth: depth + 1)
        case UInt8(ascii: "\""): try parseString()
        case UInt8(ascii: "t"): try literal("true", .bool, flag: true)
        case UInt8(ascii: "f"): try literal("false", .bool, flag: false)
        case UInt8(ascii: "n"): try literal("null", .null, flag: false)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try parseNumber()
        default: throw fail(.unexpected(expected: "a value"), at: position)
        }
    }

    mutating func literal(_ word: StaticString, _ kind: TapeEntry.Kind, flag: Bool) throws {
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        // The whole word in one comparison when the body holds it (`fals` of `false`, then `e`);
        // else byte by byte, for the error.
        if position + expected.count <= bytes.count, let base = bytes.baseAddress {
            let found = UnsafeRawPointer(base + position).loadUnaligned(as: UInt32.self)
            let wanted = UnsafeRawPointer(word.utf8Start).loadUnaligned(as: UInt32.self)
            if found == wanted && (expected.count == 4 || base[position + 4] == expected[4]) {
                tape.append(TapeEntry(kind: kind, flag: flag, start: position, length: expected.count))
                position += expected.count
                return
            }
        }
        for offset in 0..<expected.count {
            guard position + offset < bytes.count else { throw fail(.truncated, at: bytes.count) }
            guard bytes[position + offset] == expected[offset] else {
                throw fail(.unexpected(expected: "a value"), at: position)
            }
        }
        tape.append(TapeEntry(kind: kind, flag: flag, start: position, length: expected.count))
        position += expected.count
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, nothing else (no `+1`, `.5`, `1.`,
    /// `01`, hex, `NaN`).
    mutating func parseNumber() throws {
        let start = position
        let count = bytes.count
        var cursor = position
        @inline(__always) func isDigit(_ at: Int) -> Bool {
            at < count && bytes[at] >= UInt8(ascii: "0") && bytes[at] <= UInt8(ascii: "9")
        }
        func digits(_ cursor: inout Int) throws {
            guard cursor < count else { throw fail(.truncated, at: count) }
            guard isDigit(cursor) else { throw fail(.invalidNumber, at: start) }
            while isDigit(cursor) { cursor += 1 }
        }
        if bytes[cursor] == UInt8(ascii: "-") { cursor += 1 }
        if cursor < count, bytes[cursor] == UInt8(ascii: "0") {
            cursor += 1
            if isDigit(cursor) { throw fail(.invalidNumber, at: start) }
        } else {
            try digits(&cursor)
        }
        var integer = true
        if cursor < count, bytes[cursor] == UInt8(ascii: ".") {
            integer = false
            cursor += 1
            try digits(&cursor)
        }
        if cursor < count, bytes[cursor] | 0x20 == UInt8(ascii: "e") {
            integer = false
            cursor += 1
            if cursor < count, bytes[cursor] == UInt8(ascii: "+") || bytes[cursor] == UInt8(ascii: "-") { cursor += 1 }
            try digits(&cursor)
        }
        tape.append(TapeEntry(kind: .number, flag: integer, start: start, length: cursor - start))
        position = cursor
    }

    /// Scans a string, validating escapes, control characters and UTF-8 as it goes.
    mutating func parseString() throws {
        let start = position + 1
        // Locals, not `self.position`, so that the scan stays in registers.
        var cursor = start
        let count = bytes.count
        var escaped = false
        let base = bytes.baseAddress
        while cursor < count {
            // Eight bytes at a time (most of a body's bytes need no look), straight to the first
            // byte of a word that may need one; byte by byte in the last seven.
            if let base, cursor &+ 8 <= count {
                let look = Self.needsLook(UnsafeRawPointer(base + cursor).loadUnaligned(as: UInt64.self))
                if look == 0 {
                    cursor &+= 8
                    continue
                }
                cursor &+= look.trailingZeroBitCount &>> 3
            }
            let byte = bytes[cursor]
            // The common case first: printable ASCII other than `"` and `\`.
            if byte > UInt8(ascii: "\"") && byte < 0x80 && byte != UInt8(ascii: "\\") {
                cursor += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                tape.append(TapeEntry(kind: .string, flag: escaped, start: start, length: cursor - start))
                position = cursor + 1
                return
            case UInt8(ascii: "\\"):
                escaped = true
                cursor = try escape(at: cursor)
            case 0x20, 0x21:
                cursor += 1
            case 0x80...:
                cursor = try utf8Sequence(at: cursor)
            default:
                throw fail(.controlCharacter, at: cursor)
            }
        }
        throw fail(.truncated, at: count)
    }

    /// Whether none of the eight bytes of `word` needs a look inside a string: no `"`, `\`,
    /// control character or byte ≥ 0x80 (a space or `!` counts as needing one: the test cannot
    /// tell them from `"`). Exact in that direction: a word with such a byte is never plain.
    @inline(__always)
    static func isPlain(_ word: UInt64) -> Bool { needsLook(word) == 0 }

    /// The high bit of each byte of `word` (the first in the lowest byte) that may need a look
    /// inside a string (see ``isPlain(_:)``). The lowest bit set is exact: that byte needs a look
    /// and none before it does (a borrow only runs upwards from a byte that matched), so the
    /// scan skips to it; bits above it may be false alarms.
    @inline(__always)
    static func needsLook(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        // A byte below 0x23 (`"`, space, `!`, controls), a byte equal to `\`, a high bit.
        let below = (word &- ones &* 0x23) & ~word & highs
        let flipped = word ^ (ones &* 0x5C)
        let backslash = (flipped &- ones) & ~flipped & highs
        return below | backslash | (word & highs)
    }

    /// Validates the escape at `at` (a backslash); returns the offset after it.
    func escape(at: Int) throws -> Int {
        guard at + 1 < bytes.count else { throw fail(.truncated, at: bytes.count) }
        switch bytes[at + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return at + 2
        case UInt8(ascii: "u"):
            let unit = try hex4(at: at + 2)
            switch unit {
            case 0xD800..<0xDC00:
                // A high surrogate must be followed by an escaped low one.
                guard at + 7 < bytes.count else { throw fail(.truncated, at: bytes.count) }
                guard bytes[at + 6] == UInt8(ascii: "\\"), bytes[at + 7] == UInt8(ascii: "u") else {
                    throw fail(.unpairedSurrogate, at: at)
                }
                guard (0xDC00..<0xE000).contains(try hex4(at: at + 8)) else { throw fail(.unpairedSurrogate, at: at) }
                return at + 12
            case 0xDC00..<0xE000:
                throw fail(.unpairedSurrogate, at: at)
            default:
                return at + 6
            }
        default:
            throw fail(.invalidEscape, at: at)
        }
    }

    func hex4(at: Int) throws -> UInt32 {
        guard at + 4 <= bytes.count else { throw fail(.truncated, at: bytes.count) }
        var value: UInt32 = 0
        for offset in 0..<4 {
            guard let digit = JSONString.hexDigit(bytes[at + offset]) else { throw fail(.invalidEscape, at: at - 2) }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Validates the UTF-8 sequence starting at `at` (a byte ≥ 0x80): no overlong forms, no
    /// surrogates, nothing above U+10FFFF. Returns the offset after it.
    func utf8Sequence(at: Int) throws -> Int {
        let lead = bytes[at]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            secondRange = 0x80...0x9F
        case 0xF0:
            length = 4
            secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            secondRange = 0x80...0x8F
        default: throw fail(.invalidUTF8, at: at)
        }
        guard at + length <= bytes.count else { throw fail(.truncated, at: bytes.count) }
        guard secondRange.contains(bytes[at + 1]) else { throw fail(.invalidUTF8, at: at) }
        for offset in 2..<length where bytes[at + offset] & 0xC0 != 0x80 {
            throw fail(.invalidUTF8, at: at)
        }
        return at + length
    }

    mutating func parseContainer(object: Bool, depth: Int) throws {
        guard depth <= FastJSONDecoder.maximumDepth else { throw fail(.tooDeep, at: position) }
        let header = tape.count
        tape.append(TapeEntry(kind: object ? .object : .array, flag: false, start: position, length: 0))
        position += 1
        let close = object ? UInt8(ascii: "}") : UInt8(ascii: "]")
        var count: Int32 = 0
        // Kept here, and stored once the object is complete (fewer writes to the tape).
        var keyMask: UInt64 = 0
        var slowKeys = false
        // This object's slots in `fingerprintChains`; deeper objects use the next ones.
        let chains = (depth - 1) * 64
        if object, depth > chainLevels { reserveChains(depth) }
        skipSpace()
        if position < bytes.count, bytes[position] == close {
            position += 1
        } else {
            while true {
                if object {
                    skipSpace()
                    guard position < bytes.count else { throw fail(.truncated, at: position) }
                    guard bytes[position] == UInt8(ascii: "\"") else {
                        throw fail(.unexpected(expected: count == 0 ? "a key or '}'" : "a key"), at: position)
                    }
                    try parseString()
                    addKey(tape.count - 1, mask: &keyMask, slow: &slowKeys, chains: chains)
                    skipSpace()
                    guard position < bytes.count else { throw fail(.truncated, at: position) }
                    guard bytes[position] == UInt8(ascii: ":") else {
                        throw fail(.unexpected(expected: "':'"), at: position)
                    }
                    position += 1
                }
                try parseValue(depth: depth)
                count += 1
                skipSpace()
                guard position < bytes.count else { throw fail(.truncated, at: position) }
                if bytes[position] == UInt8(ascii: ",") {
                    position += 1
                } else if bytes[position] == close {
                    position += 1
                    break
                } else {
                    throw fail(.unexpected(expected: object ? "',' or '}'" : "',' or ']'"), at: position)
                }
            }
        }
        tape[header].count = count
        tape[header].end = Int32(truncatingIfNeeded: tape.count)
        if object {
            tape[header].keyMask = keyMask
            tape[header].flag = slowKeys
        }
    }

    /// Makes room in `fingerprintChains` for objects `depth` deep (doubling, so a deep body
    /// grows it a few times); new slots are empty (-1).
    mutating func reserveChains(_ depth: Int) {
        let levels = max(depth, chainLevels * 2, 4)
        let grown = UnsafeMutablePointer<Int32>.allocate(capacity: levels * 64)
        if let old = fingerprintChains {
            grown.moveInitialize(from: old, count: chainLevels * 64)
            old.deallocate()
        }
        (grown + chainLevels * 64).initialize(repeating: -1, count: (levels - chainLevels) * 64)
        fingerprintChains = grown
        chainLevels = levels
    }

    /// Records the key at tape index `key` in its object's fingerprint `mask`, and sets `slow`
    /// (lookups in the object must be slow) when the key is escaped or names the same Swift key
    /// as an earlier one. Keys of the same fingerprint are chained (the last one in
    /// `fingerprintChains[chains + slot]`, each linking to the previous in its `count`), so a key
    /// is only compared with earlier keys that could name the same Swift key.
    mutating func addKey(_ key: Int, mask: inout UInt64, slow: inout Bool, chains: Int) {
        let entry = tape[key]
        guard entry.length > 0, !entry.flag else {
            mask = KeyFingerprint.everything
            slow = true
            return
        }
        let range = entry.byteRange
        let slot = KeyFingerprint.slot(first: bytes[range.lowerBound], last: bytes[range.upperBound - 1])
        let bit: UInt64 = 1 << slot
        let collides = mask & bit != 0
        mask |= bit
        // Once slow, the object needs no more comparisons (nor chains, which an escaped key's
        // full mask would make stale).
        guard !slow else { return }
        // The chain head is this object's only when an earlier key of it set the bit.
        // (Reserved by `parseContainer`; without it, lookups are slow, which is always right.)
        guard let heads = fingerprintChains else {
            slow = true
            return
        }
        let previous = Int(heads[chains + slot])
        heads[chains + slot] = Int32(truncatingIfNeeded: key)
        guard collides else { return }
        tape[key].count = Int32(truncatingIfNeeded: previous + 1)
        let name = UnsafeBufferPointer(rebasing: bytes[range])
        var other = previous
        while true {
            if KeyFingerprint.sameName(UnsafeBufferPointer(rebasing: bytes[tape[other].byteRange]), name) {
                slow = true
                return
            }
            let link = Int(tape[other].count)
            guard link > 0 else { return }
            other = link - 1
        }
    }
}

/// Helpers for string contents that the parser has validated.
enum JSONString {
    static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - 48
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - 87
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - 55
        default: nil
        }
    }

    /// The UTF-8 bytes of a validated string body with escapes.
    static func unescape(_ slice: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(slice.count)
        var index = 0
        func hex(_ at: Int) -> UInt32 {
            var value: UInt32 = 0
            for offset in 0..<4 where at + offset < slice.count {
                value = value << 4 | UInt32(hexDigit(slice[at + offset]) ?? 0)
            }
            return value
        }
        while index < slice.count {
            let byte = slice[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < slice.count else {
                output.append(byte)
                index += 1
                continue
            }
            let escape = slice[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex(index)
                index += 4
                if (0xD800..<0xDC00).contains(scalar) {
                    // The parser checked that the low surrogate follows.
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + ((hex(index + 2) &- 0xDC00) & 0x3FF)
                    index += 6
                }
                appendUTF8(scalar, to: &output)
            default: output.append(escape)  // `"`, `\` and `/`
            }
        }
        return output
    }

    static func appendUTF8(_ scalar: UInt32, to output: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            output.append(UInt8(scalar))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | scalar >> 6))
            output.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | scalar >> 12))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        default:
            output.append(UInt8(0xF0 | scalar >> 18 & 0x07))
            output.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}

/// A decoder positioned at one tape entry.
final class TapeDecoder: Decoder {
    // Arrays, not pointers: an escaped decoder keeps them alive.
    let bytes: [UInt8]
    let tape: [TapeEntry]
    let index: Int
    /// The decoder that made this one and the key it was made for: the coding path is built from
    /// them when asked for (an error, a model that reads it), not as an array per nested value.
    private let parent: TapeDecoder?
    private let key: (any CodingKey)?
    /// See ``FastJSONDecoder/generatedDecoders``.
    let generatedDecoders: Bool
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    /// Where the next key search in this decoder's object starts (see ``member(_:in:)``).
    private var searchStart = 0

    var codingPath: [any CodingKey] {
        var path = parent?.codingPath ?? []
        if let key { path.append(key) }
        return path
    }

    /// The decoder of the whole body (tape index 0, an empty coding path).
    init(bytes: [UInt8], tape: [TapeEntry], generatedDecoders: Bool = true) {
        self.bytes = bytes
        self.tape = tape
        self.generatedDecoders = generatedDecoders
        index = 0
        parent = nil
        key = nil
    }

    private init(parent: TapeDecoder, index: Int, key: (any CodingKey)?) {
        bytes = parent.bytes
        tape = parent.tape
        self.index = index
        self.parent = parent
        self.key = key
        generatedDecoders = parent.generatedDecoders
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
        return DecodingError.typeMismatch(type, .init(codingPath: path, debugDescription: "found \(found.found)"))
    }

    func corrupted(_ path: [any CodingKey], _ message: String) -> DecodingError {
        DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: message))
    }

    /// The decoder of the value at `index`, reached from this one through `key` (nil: the same
    /// coding path as this one).
    func child(_ index: Int, _ key: (any CodingKey)?) -> TapeDecoder {
        TapeDecoder(parent: self, index: index, key: key)
    }

    /// This decoder's coding path followed by `key`, for errors.
    func path(_ key: (any CodingKey)?) -> [any CodingKey] {
        guard let key else { return codingPath }
        return codingPath + [key]
    }

    /// Decodes `T` at `index` (reached through `key`), reading common leaf types straight from
    /// the bytes. The coding path is only built when an error needs it.
    func value<T: Decodable>(_ type: T.Type, at index: Int, key: (any CodingKey)?) throws -> T {
        try value(T.self, at: index, key: key, lookUp: true)
    }

    /// ``value(_:at:key:)``; `lookUp` false skips the search for a generated decoder, for
    /// callers that know `T` has none (a dynamic cast to an existential metatype is a
    /// `swift_conformsToProtocol` call each time, even in a specialization).
    @inline(__always)
    func value<T: Decodable>(_ type: T.Type, at index: Int, key: (any CodingKey)?, lookUp: Bool) throws -> T {
        // The type is checked first, so the bit casts are identities (a dynamic `as? T` cast
        // per field costs more than reading the value).
        if T.self == String.self { return unsafeBitCast(try string(at: index, path(key)), to: T.self) }
        if T.self == UUID.self { return unsafeBitCast(try uuid(at: index, path(key)), to: T.self) }
        if T.self == Date.self { return unsafeBitCast(try date(at: index, path(key)), to: T.self) }
        if T.self == Bool.self { return unsafeBitCast(try bool(at: index, path(key)), to: T.self) }
        if T.self == Int.self { return unsafeBitCast(try integer(Int.self, at: index, path(key)), to: T.self) }
        if T.self == Double.self { return unsafeBitCast(try float(Double.self, at: index, path(key)), to: T.self) }
        if T.self == Decimal.self { return unsafeBitCast(try decimal(at: index, path(key)), to: T.self) }
        if lookUp, generatedDecoders, let generated = T.self as? any TapeDecodable.Type {
            return try Self.generated(generated, child(index, key), as: T.self)
        }
        return try T(from: child(index, key))
    }

    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        try value(T.self, at: index, key: nil)
    }

    /// The array member `key` of this decoder's object as `[Element]`: what
    /// `decode([Element].self, forKey: key)` does (the same lookups, values and errors), with the
    /// array's size reserved and without an unkeyed container between the elements (a list
    /// page's records).
    func array<Element: Decodable>(of type: Element.Type, forKey key: some CodingKey) throws -> [Element] {
        guard let member = member(key.stringValue, in: index) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing"))
        }
        let list = child(member, key)
        guard tape[member].kind == .array else { throw mismatch([Any].self, at: member, list.codingPath) }
        // The generated decoder, looked up once for the whole array.
        if generatedDecoders, let generated = Element.self as? any TapeDecodable.Type {
            return try Self.generatedElements(generated, list, array: member, as: Element.self)
        }
        var elements: [Element] = []
        elements.reserveCapacity(Int(tape[member].count))
        var cursor = member + 1
        let end = Int(tape[member].end)
        while cursor < end {
            let position = TapeUnkeyedContainer.IndexKey(intValue: elements.count)
            elements.append(try list.value(Element.self, at: cursor, key: position))
            cursor = tape[cursor].next(after: cursor)
        }
        return elements
    }

    /// The UTF-8 bytes of the string at tape `index`, unescaped, passed to `body`.
    func withStringBytes<R>(at index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let entry = tape[index]
        if entry.flag {
            let unescaped = bytes.withUnsafeBufferPointer { bytes in
                JSONString.unescape(UnsafeBufferPointer(rebasing: bytes[entry.byteRange]))
            }
            return try unescaped.withUnsafeBufferPointer(body)
        }
        return try bytes.withUnsafeBufferPointer { bytes in
            try body(UnsafeBufferPointer(rebasing: bytes[entry.byteRange]))
        }
    }

    func string(at index: Int, _ path: @autoclosure () -> [any CodingKey]) throws -> String {
        guard tape[index].kind == .string else { throw mismatch(String.self, at: index, path()) }
        // The parser validated the UTF-8, so decoding repairs nothing.
        return withStringBytes(at: index) { String(decoding: $0, as: UTF8.self) }
    }

    func uuid(at index: Int, _ path: @autoclosure () -> [any CodingKey]) throws -> UUID {
        guard tape[index].kind == .string else { throw mismatch(UUID.self, at: index, path()) }
        guard let uuid = withStringBytes(at: index, UUIDBytes.parse) else {
            throw corrupted(path(), "expected a UUID")
        }
        return uuid
    }

    func date(at index: Int, _ path: @autoclosure () -> [any CodingKey]) throws -> Date {
        guard tape[index].kind == .string else { throw mismatch(Date.self, at: index, path()) }
        guard let date = withStringBytes(at: index, ISO8601.parse(bytes:)) else {
            throw corrupted(path(), "expected an ISO-8601 date-time")
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
        return String(decoding: bytes[entry.byteRange], as: UTF8.self)
    }

    /// An integer of type `I`; like `JSONDecoder`, a fraction or exponent is accepted when the
    /// value is integral (`1e2`, `1.0`).
    func integer<I: FixedWidthInteger>(_ type: I.Type, at index: Int, _ path: @autoclosure () -> [any CodingKey])
        throws -> I
    {
        let entry = tape[index]
        if entry.kind == .number, entry.flag, entry.length < 19, I.self == Int.self {
            // The common case: a plain integer that fits, read without building a String.
            return I(truncatingIfNeeded: smallInteger(entry.byteRange))
        }
        let text = try numberText(at: index, type, path())
        if entry.flag, let value = I(text) { return value }
        if let value = Double(text).flatMap({ I(exactly: $0) }) { return value }
        throw corrupted(path(), "the number does not fit in \(I.self)")
    }

    /// A plain integer of at most 18 digits (and a sign).
    private func smallInteger(_ range: Range<Int>) -> Int {
        bytes.withUnsafeBufferPointer { bytes in
            var cursor = range.lowerBound
            let negative = bytes[cursor] == UInt8(ascii: "-")
            if negative { cursor += 1 }
            var value = 0
            while cursor < range.upperBound {
                value = value &* 10 &+ Int(bytes[cursor] &- UInt8(ascii: "0"))
                cursor += 1
            }
            return negative ? 0 &- value : value
        }
    }

    /// A floating-point number; like `JSONDecoder`, one that overflows to infinity or
    /// underflows to zero is refused.
    func float<F: BinaryFloatingPoint & LosslessStringConvertible>(
        _ type: F.Type, at index: Int, _ path: @autoclosure () -> [any CodingKey]
    ) throws -> F {
        let text = try numberText(at: index, type, path())
        guard let value = F(text), value.isFinite,
            value != 0 || !text.prefix(while: { $0 != "e" && $0 != "E" }).contains(where: { ("1"..."9").contains($0) })
        else { throw corrupted(path(), "the number is not representable as \(F.self)") }
        return value
    }

    func decimal(at index: Int, _ path: @autoclosure () -> [any CodingKey]) throws -> Decimal {
        let text = try numberText(at: index, Decimal.self, path())
        guard let value = Decimal(string: text), !value.isNaN else {
            throw corrupted(path(), "the number is not representable as Decimal")
        }
        return value
    }

    /// The tape index of the value of member `name` of the object at `object`, if present.
    ///
    /// The search starts at the member found last and wraps around: models read their keys
    /// mostly in the order the server writes them, so most lookups match within two keys. That
    /// is only right when at most one key matches; objects where the parser saw more (or an
    /// escaped key) take ``slowMember(_:in:)``.
    func member(_ name: String, in object: Int) -> Int? {
        var name = name
        // The tape through a buffer pointer too: the scan reads it for every key it passes.
        return name.withUTF8 { target -> Int? in
            tape.withUnsafeBufferPointer { tape -> Int? in
                let header = tape[object]
                guard let firstByte = target.first, let lastByte = target.last,
                    header.keyMask & KeyFingerprint.bit(first: firstByte, last: lastByte) != 0
                else { return target.isEmpty && header.flag ? slowMember(target, in: object) : nil }
                if header.flag { return slowMember(target, in: object) }
                return bytes.withUnsafeBufferPointer { bytes -> Int? in
                    let first = object + 1
                    let end = Int(header.end)
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
                        let next = tape[value].next(after: value)
                        if KeyFingerprint.key(
                            UnsafeBufferPointer(rebasing: bytes[tape[cursor].byteRange]), matches: target)
                        {
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
    }

    /// The lookup in an object with escaped keys or keys that name the same Swift key: an exact
    /// match first, then one in either casing, each the first in document order (as
    /// `JSONDecoder` keeps the first of duplicate keys).
    private func slowMember(_ target: UnsafeBufferPointer<UInt8>, in object: Int) -> Int? {
        let end = Int(tape[object].end)
        for exact in [true, false] {
            var cursor = object + 1
            while cursor < end {
                let found = withStringBytes(at: cursor) { key in
                    exact ? key.elementsEqual(target) : KeyFingerprint.key(key, matches: target)
                }
                if found { return cursor + 1 }
                cursor = tape[cursor + 1].next(after: cursor + 1)
            }
        }
        return nil
    }
}

struct TapeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: TapeDecoder
    let object: Int
    var codingPath: [any CodingKey] { decoder.codingPath }

    /// The keys in document order, each once; a snake_case key is offered in camelCase when
    /// `Key` only knows that spelling.
    var allKeys: [Key] {
        var keys: [Key] = []
        var seen: Set<String> = []
        let tape = decoder.tape
        var cursor = object + 1
        while cursor < Int(tape[object].end) {
            if let name = try? decoder.string(at: cursor, []), seen.insert(name).inserted,
                let key = Key(stringValue: name) ?? Key(stringValue: Self.camelCase(name))
            {
                keys.append(key)
            }
            cursor = tape[cursor + 1].next(after: cursor + 1)
        }
        return keys
    }

    static func camelCase(_ name: String) -> String {
        var result = ""
        var upper = false
        for character in name {
            if character == "_", !result.isEmpty {
                upper = true
            } else {
                result += upper ? character.uppercased() : String(character)
                upper = false
            }
        }
        return result
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
        try decoder.value(T.self, at: try location(key), key: key)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let index = decoder.member(key.stringValue, in: object), decoder.tape[index].kind != .null
        else {
            return nil
        }
        return try decoder.value(T.self, at: index, key: key)
    }

    // `String`, `Bool`, `Int` and `Double` members have overloads of their own: the standard
    // library's defaults for them look the key up three times (`contains`, `decodeNil`,
    // `decode`), and the generic path compares the type with each leaf type first.

    /// The tape index of the member `key` when it is present and not null.
    @inline(__always) private func presentMember(_ key: Key) -> Int? {
        guard let index = decoder.member(key.stringValue, in: object), decoder.tape[index].kind != .null else {
            return nil
        }
        return index
    }

    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        try decoder.string(at: try location(key), codingPath + [key])
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        try decoder.bool(at: try location(key), codingPath + [key])
    }

    func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
        try decoder.integer(Int.self, at: try location(key), codingPath + [key])
    }

    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        try decoder.float(Double.self, at: try location(key), codingPath + [key])
    }

    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        guard let index = presentMember(key) else { return nil }
        return try decoder.string(at: index, codingPath + [key])
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        guard let index = presentMember(key) else { return nil }
        return try decoder.bool(at: index, codingPath + [key])
    }

    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        guard let index = presentMember(key) else { return nil }
        return try decoder.integer(Int.self, at: index, codingPath + [key])
    }

    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        guard let index = presentMember(key) else { return nil }
        return try decoder.float(Double.self, at: index, codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try decoder.child(try location(key), key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder.child(try location(key), key).unkeyedContainer()
    }

    /// The decoder of the member `super`, as `JSONDecoder` has it.
    func superDecoder() throws -> any Decoder {
        let key = NamedKey(stringValue: "super")
        guard let index = decoder.member(key.stringValue, in: object) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing"))
        }
        return decoder.child(index, key)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder { decoder.child(try location(key), key) }
}

/// A key by name, for `super`.
struct NamedKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
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
        cursor = decoder.tape[index].next(after: index)
        defer { currentIndex += 1 }
        return (index, currentIndex)
    }

    mutating func decodeNil() throws -> Bool {
        // At the end, `next()` throws, as `JSONDecoder` does.
        guard isAtEnd || decoder.tape[cursor].kind == .null else { return false }
        _ = try next()
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (index, position) = try next()
        return try decoder.value(T.self, at: index, key: IndexKey(intValue: position))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        let (index, position) = try next()
        return try decoder.child(index, IndexKey(intValue: position)).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (index, position) = try next()
        return try decoder.child(index, IndexKey(intValue: position)).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let (index, position) = try next()
        return decoder.child(index, IndexKey(intValue: position))
    }
}

struct TapeSingleValue: SingleValueDecodingContainer {
    let decoder: TapeDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.tape[decoder.index].kind == .null }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == Float.self {
            return unsafeBitCast(try decoder.float(Float.self, at: decoder.index, codingPath), to: T.self)
        }
        if let integer = T.self as? any FixedWidthInteger.Type, T.self != Int.self,
            let value = try decoder.integer(integer, at: decoder.index, codingPath) as? T
        {
            return value
        }
        return try decoder.value(T.self, at: decoder.index, key: nil)
    }

    // Overloads of their own, for the same reason as the keyed container's: `String` (the raw
    // value of every enum field) would otherwise pay a dynamic cast to `FixedWidthInteger`.
    func decode(_ type: String.Type) throws -> String { try decoder.string(at: decoder.index, codingPath) }
    func decode(_ type: Bool.Type) throws -> Bool { try decoder.bool(at: decoder.index, codingPath) }
    func decode(_ type: Int.Type) throws -> Int { try decoder.integer(Int.self, at: decoder.index, codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try decoder.float(Double.self, at: decoder.index, codingPath) }
}

/// Parses `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (either case) without building a String.
enum UUIDBytes {
    static func parse(_ text: UnsafeBufferPointer<UInt8>) -> UUID? {
        guard text.count == 36, let base = text.baseAddress, text[8] == 0x2D, text[13] == 0x2D, text[18] == 0x2D,
            text[23] == 0x2D
        else { return nil }
        // The 32 digits as four words of eight (the 4-digit groups in pairs), eight at a time.
        let raw = UnsafeRawPointer(base)
        func eight(_ offset: Int) -> UInt64 {
            UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        }
        func four(_ offset: Int) -> UInt64 {
            UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        }
        guard let first = bytes(ofHex: eight(0)), let second = bytes(ofHex: four(9) | four(14) << 32),
            let third = bytes(ofHex: four(19) | four(24) << 32), let fourth = bytes(ofHex: eight(28))
        else { return nil }
        var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &uuid) { output in
            output.storeBytes(of: first.littleEndian, toByteOffset: 0, as: UInt32.self)
            output.storeBytes(of: second.littleEndian, toByteOffset: 4, as: UInt32.self)
            output.storeBytes(of: third.littleEndian, toByteOffset: 8, as: UInt32.self)
            output.storeBytes(of: fourth.littleEndian, toByteOffset: 12, as: UInt32.self)
        }
        return UUID(uuid: uuid)
    }

    /// The four bytes that eight ASCII hex digits (either case; the first in the lowest byte of
    /// `word`) spell, the first in the lowest byte; nil unless all eight are hex digits. Each
    /// byte is classified by carry-free range tests (every byte is below 0x80 by then).
    @inline(__always)
    static func bytes(ofHex word: UInt64) -> UInt32? {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs = ones &* 0x80
        guard word & highs == 0 else { return nil }
        // A lane's high bit is set by `x + (0x80 - low)` when x ≥ low, by `x + (0x7F - high)` when x > high.
        let digit = (word &+ ones &* (0x80 - 0x30)) & ~(word &+ ones &* (0x7F - 0x39)) & highs
        let lower = word | ones &* 0x20
        let letter = (lower &+ ones &* (0x80 - 0x61)) & ~(lower &+ ones &* (0x7F - 0x66)) & highs
        guard digit | letter == highs else { return nil }
        // `0`–`9` end in their value, `a`–`f` and `A`–`F` in 1–6 (plus 9).
        let nibbles = (word & (ones &* 0x0F)) &+ (letter >> 7) &* 9
        var packed = (nibbles << 4 | nibbles >> 8) & 0x00FF_00FF_00FF_00FF
        packed = (packed | packed >> 8) & 0x0000_FFFF_0000_FFFF
        packed = (packed | packed >> 16) & 0xFFFF_FFFF
        return UInt32(truncatingIfNeeded: packed)
    }
}
