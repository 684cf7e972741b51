#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

@testable import FlameHub

/// The string scan reads eight bytes at a time while none needs a look: a byte that does (a
/// quote, an escape, a control character, non-ASCII) must be seen at every position of a word,
/// and near the end of the body, exactly as the byte-by-byte scan sees it.
@Suite("FastJSONDecoder's eight-byte string scan")
struct FastDecodingWordScanTests {
    /// `["` + `prefix` plain bytes + `special` + `suffix` plain bytes + `"]`.
    static func body(prefix: Int, _ special: [UInt8], suffix: Int) -> [UInt8] {
        Array("[\"".utf8) + Array(repeating: UInt8(ascii: "a"), count: prefix) + special
            + Array(repeating: UInt8(ascii: "b"), count: suffix) + Array("\"]".utf8)
    }

    @Test(
        "plain words: only bytes 0x23...0x7F other than backslash",
        arguments: [0x00, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7F, 0x80, 0xFF])
    func plainWord(byte: Int) {
        for position in 0..<8 {
            var word = [UInt8](repeating: UInt8(ascii: "x"), count: 8)
            word[position] = UInt8(byte)
            let value = word.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            let plain = byte >= 0x23 && byte < 0x80 && byte != 0x5C
            #expect(JSONTapeParser.isPlain(value) == plain, "byte \(byte) at \(position)")
        }
    }

    @Test("special bytes at every offset decode as JSONDecoder decodes them")
    func specialBytesAtEveryOffset() throws {
        let specials: [[UInt8]] = [
            Array(#"\""#.utf8), Array(#"\\"#.utf8), Array(#"\u00e9"#.utf8), Array("é".utf8), Array("€".utf8),
            Array("😀".utf8), [0x20], [0x21], [0x01], [0x1F], [0x80], [0xC3], [0xED, 0xA0, 0x80],
        ]
        for special in specials {
            for prefix in 0..<18 {
                for suffix in [0, 1, 7, 8, 9] {
                    let bytes = Self.body(prefix: prefix, special, suffix: suffix)
                    let fast = try? FastJSONDecoder().decode([String].self, from: bytes)
                    let reference = try? JSONDecoder().decode([String].self, from: Data(bytes))
                    #expect(fast == reference, "special \(special), prefix \(prefix), suffix \(suffix)")
                }
            }
        }
    }

    @Test("a control character is reported at its own offset")
    func controlCharacterOffset() {
        for prefix in 0..<18 {
            let bytes = Self.body(prefix: prefix, [0x0A], suffix: 9)
            do {
                _ = try FastJSONDecoder().decode([String].self, from: bytes)
                Issue.record("decoded a control character after \(prefix) bytes")
            } catch DecodingError.dataCorrupted(let context) {
                let syntax = context.underlyingError as? JSONSyntaxError
                #expect(syntax == JSONSyntaxError(problem: .controlCharacter, offset: 2 + prefix))
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test("a string cut off inside a word is truncated, not read past the end")
    func truncatedInsideWord() {
        for length in 0..<20 {
            let bytes = Array("[\"".utf8) + Array(repeating: UInt8(ascii: "a"), count: length)
            do {
                _ = try FastJSONDecoder().decode([String].self, from: bytes)
                Issue.record("decoded a truncated string of \(length) bytes")
            } catch DecodingError.dataCorrupted(let context) {
                let syntax = context.underlyingError as? JSONSyntaxError
                #expect(syntax?.problem == .truncated, "length \(length)")
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }
}
