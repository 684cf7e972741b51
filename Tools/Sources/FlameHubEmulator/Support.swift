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
    /// `createdAt`/`updatedAt`. Hand-rolled to stay allocation-light and `Sendable`-free.
    static func timestamp(_ seconds: Double = now()) -> String {
        let totalMillis = Int((seconds * 1000).rounded(.down))
        let millis = totalMillis % 1000
        var secondsOfDay = (totalMillis / 1000) % 86_400
        let days = totalMillis / 1000 / 86_400
        let hour = secondsOfDay / 3600
        secondsOfDay %= 3600
        let minute = secondsOfDay / 60
        let second = secondsOfDay % 60
        // Civil-from-days (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
        }
        return
            "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)).\(pad(millis, 3))Z"
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
