#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

@_spi(FlameHubTools) @testable import FlameHub

/// The parser's word-at-a-time tests against byte-at-a-time references: the string scan jumps to
/// the lowest byte `needsLook` flags, and UUIDs are read eight digits at a time.
@Suite("FastJSONDecoder's word-at-a-time byte tests")
struct FastDecodingByteTests {
    /// Whether the string scan must look at `byte` (a quote, a backslash, a control character, a
    /// space or `!`, or a byte ≥ 0x80).
    static func needsLook(_ byte: UInt8) -> Bool { byte < 0x23 || byte == 0x5C || byte >= 0x80 }

    static func word(_ bytes: [UInt8]) -> UInt64 {
        bytes.enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    }

    @Test("the lowest flagged byte is the first that needs a look, whatever follows it")
    func lowestFlagIsExact() {
        let followers: [UInt8] = [0x00, 0x1F, 0x22, 0x23, 0x5C, 0x61, 0x7F, 0x80, 0xFF]
        for position in 0..<8 {
            for byte in UInt8.min...UInt8.max {
                for later in followers {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 8)
                    bytes[position] = byte
                    if position < 7 { bytes[7] = later }
                    let expected = bytes.firstIndex(where: Self.needsLook)
                    let mask = JSONTapeParser.needsLook(Self.word(bytes))
                    let found = mask == 0 ? nil : mask.trailingZeroBitCount / 8
                    #expect(found == expected, "byte \(byte) at \(position), then \(later)")
                }
            }
        }
    }

    /// The bytes of `text` as a UUID, digit by digit, or nil.
    static func reference(_ text: [UInt8]) -> UUID? {
        guard text.count == 36 else { return nil }
        var digits: [UInt8] = []
        for (offset, byte) in text.enumerated() {
            if [8, 13, 18, 23].contains(offset) {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard let digit = JSONString.hexDigit(byte) else { return nil }
            digits.append(digit)
        }
        var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &uuid) { output in
            for index in 0..<16 { output[index] = digits[2 * index] << 4 | digits[2 * index + 1] }
        }
        return UUID(uuid: uuid)
    }

    @Test("UUIDs: every byte at every position gives what a digit-by-digit reading gives")
    func uuidsAgreeWithTheReference() {
        let samples = [
            "6f1e1a52-2a5b-4c8e-9d0a-3b7c1e2f4a5d", "00000000-0000-0000-0000-000000000000",
            "FFFFFFFF-ffff-AbCd-eF01-234567890abc", "794f2375-f043-4789-bd0c-e5534e8deeaa",
        ]
        for sample in samples {
            let text = Array(sample.utf8)
            #expect(text.withUnsafeBufferPointer(UUIDBytes.parse) == Self.reference(text))
            #expect(text.withUnsafeBufferPointer(UUIDBytes.parse) == UUID(uuidString: sample))
            for position in text.indices {
                for byte in UInt8.min...UInt8.max {
                    var changed = text
                    changed[position] = byte
                    let parsed = changed.withUnsafeBufferPointer(UUIDBytes.parse)
                    #expect(parsed == Self.reference(changed), "byte \(byte) at \(position) of \(sample)")
                }
            }
            #expect(Array(text.dropLast()).withUnsafeBufferPointer(UUIDBytes.parse) == nil)
            #expect((text + [0x30]).withUnsafeBufferPointer(UUIDBytes.parse) == nil)
        }
    }

    @Test("dates: a byte other than a digit where the fixed part has one is refused")
    func dateDigitsAreChecked() {
        let text = Array("2025-05-19T15:43:57.859Z".utf8)
        #expect(ISO8601.parse(String(decoding: text, as: UTF8.self)) != nil)
        for position in [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18] {
            for byte in UInt8.min...UInt8.max where !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                var changed = text
                changed[position] = byte
                #expect(changed.withUnsafeBufferPointer(ISO8601.parse(bytes:)) == nil, "byte \(byte) at \(position)")
            }
        }
    }
}
