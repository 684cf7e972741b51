@_spi(FlameHubTools) import FlameHub

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Small helpers shared by the engine and the services.
enum Support {
    /// A new lower-case UUID string, the id format of every Hub entity.
    static func uuid() -> String {
        UUID().uuidString.lowercased()
    }

    /// `true` when `value` is a syntactically valid UUID.
    static func isUUID(_ value: String) -> Bool {
        value.count == 36 && UUID(uuidString: value) != nil
    }

    /// Random string over `[0-9a-z]`, the alphabet authup uses for generated secrets and names.
    static func randomAlphanumeric(_ length: Int) -> String {
        let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz")
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet[Int(generator.next(upperBound: UInt(alphabet.count)))] })
    }

    /// Seconds since the Unix epoch.
    static func now() -> Double {
        Date().timeIntervalSince1970
    }

    /// ISO-8601 UTC timestamp with milliseconds (`2025-05-05T10:11:12.345Z`), as the Hub writes
    /// `createdAt`/`updatedAt`; formatted by the SDK, whose decoder reads these values back.
    static func timestamp(_ seconds: Double = now()) -> String {
        ISO8601.format(Date(timeIntervalSince1970: seconds))
    }

    /// Lower-case hex of `bytes` (digests in object names and secret hashes).
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Base64url without padding (JWT segments).
    static func base64URL(_ bytes: some Collection<UInt8>) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes base64url (padding optional); `nil` on malformed input.
    static func decodeBase64URL(_ text: some StringProtocol) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64).map { Array($0) }
    }

    /// Standard base64 decoding (Basic auth headers).
    static func decodeBase64(_ text: some StringProtocol) -> String? {
        Data(base64Encoded: String(text)).flatMap { String(bytes: $0, encoding: .utf8) }
    }
}
