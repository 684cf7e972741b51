import FoundationEssentials

/// Decoding of Hub responses (through ``FastJSONDecoder``): both key casings, both envelope
/// shapes, ISO-8601 dates with or without fractional seconds; encoding of request bodies.
enum HubCoding {
    /// Decodes `bytes` as `T` (keys in either casing, in one pass), turning a `DecodingError`
    /// into a ``HubDecodingError``.
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], request: String) throws -> T {
        do {
            return try FastJSONDecoder().decode(T.self, from: bytes)
        } catch let error as DecodingError {
            throw describe(error, model: T.self, request: request)
        }
    }

    static func describe(_ error: DecodingError, model: Any.Type, request: String) -> HubDecodingError {
        let path: [any CodingKey]
        let reason: String
        switch error {
        case .keyNotFound(let key, let context):
            path = context.codingPath + [key]
            reason = "required key is missing"
        case .typeMismatch(let type, let context):
            path = context.codingPath
            reason = "expected \(type)"
        case .valueNotFound(let type, let context):
            path = context.codingPath
            reason = "expected \(type) but found null"
        case .dataCorrupted(let context):
            path = context.codingPath
            reason = context.codingPath.isEmpty ? "the body is not valid JSON" : context.debugDescription
        @unknown default:
            path = []
            reason = "\(error)"
        }
        return HubDecodingError(model: typeName(model), keyPath: keyPath(path), reason: reason, request: request)
    }

    static func keyPath(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                if !text.isEmpty { text += "." }
                text += key.stringValue
            }
        }
        return text
    }

    static func typeName(_ type: Any.Type) -> String {
        String(describing: type).replacing("FlameHub.", with: "")
    }
}

/// A single record, bare or wrapped in `{data, meta}` (a body is taken as enveloped when it has
/// both keys, like the Python client does).
struct RecordBody<Model: Decodable>: Decodable {
    var record: Model

    private enum EnvelopeKeys: String, CodingKey {
        case data, meta
    }

    init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: EnvelopeKeys.self),
            container.contains(.data), container.contains(.meta)
        {
            record = try container.decode(Model.self, forKey: .data)
        } else {
            record = try Model(from: decoder)
        }
    }
}

/// Minimal, allocation-light ISO-8601 date-time handling for `2025-05-05T10:11:12.345Z`,
/// with or without fractional seconds, with `Z` or a `±hh:mm` offset. The emulator writes its
/// timestamps with ``format(_:)``, so both sides agree on the format (hence the SPI).
@_spi(FlameHubTools) public enum ISO8601 {
    /// The date of `text`; `nil` unless it is an ISO-8601 date-time as described above.
    public static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        guard bytes.count >= 19 else { return nil }
        func number(_ start: Int, _ length: Int) -> Int? {
            var value = 0
            for index in start..<(start + length) {
                let digit = Int(bytes[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = number(0, 4), bytes[4] == UInt8(ascii: "-"), let month = number(5, 2),
            bytes[7] == UInt8(ascii: "-"), let day = number(8, 2),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") || bytes[10] == UInt8(ascii: " "),
            let hour = number(11, 2), bytes[13] == UInt8(ascii: ":"), let minute = number(14, 2),
            bytes[16] == UInt8(ascii: ":"), let second = number(17, 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            var scale = 1.0
            let start = index
            while index < bytes.count, let digit = Optional(Int(bytes[index]) - 48), (0...9).contains(digit) {
                if index - start < 9 {
                    digits = digits * 10 + digit
                    scale *= 10
                }
                index += 1
            }
            guard index > start else { return nil }
            fraction = Double(digits) / scale
        }
        var offsetSeconds = 0
        if index < bytes.count {
            let sign = bytes[index]
            if sign == UInt8(ascii: "Z") || sign == UInt8(ascii: "z") {
                index += 1
            } else if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                guard bytes.count >= index + 6, let hours = number(index + 1, 2),
                    bytes[index + 3] == UInt8(ascii: ":"), let minutes = number(index + 4, 2)
                else { return nil }
                offsetSeconds = (hours * 3600 + minutes * 60) * (sign == UInt8(ascii: "+") ? 1 : -1)
                index += 6
            } else {
                return nil
            }
        }
        guard index == bytes.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSinceReferenceDate: Double(seconds - 978_307_200) + fraction)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// `2025-05-05T10:11:12.345Z` (UTC, milliseconds rounded down).
    public static func format(_ date: Date) -> String {
        let totalMilliseconds = Int((date.timeIntervalSince1970 * 1000).rounded(.down))
        let milliseconds = ((totalMilliseconds % 1000) + 1000) % 1000
        let totalSeconds = (totalMilliseconds - milliseconds) / 1000
        let secondsOfDay = ((totalSeconds % 86_400) + 86_400) % 86_400
        let days = (totalSeconds - secondsOfDay) / 86_400
        // civil from days (Hinnant)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondsOfDay / 3600, 2)):"
            + "\(pad(secondsOfDay % 3600 / 60, 2)):\(pad(secondsOfDay % 60, 2)).\(pad(milliseconds, 3))Z"
    }
}

/// Decoding of Hub payloads exactly as the clients do it, for bodies obtained elsewhere (raw
/// responses, fixtures, benchmarks): keys in either casing, records bare or enveloped.
public enum HubJSON {
    /// Decodes a list body (`{data: [...], meta: {...}}`) of `Model` records.
    ///
    /// - Throws: ``HubDecodingError`` naming the model and the key path.
    public static func decodeList<Model: HubModel>(_ model: Model.Type, from bytes: [UInt8]) throws
        -> ResourceList<Model>
    {
        try HubCoding.decode(ResourceList<Model>.self, from: bytes, request: "(decoded locally)")
    }

    /// Decodes a single record, bare or enveloped.
    ///
    /// - Throws: ``HubDecodingError`` naming the model and the key path.
    public static func decodeRecord<Model: HubModel>(_ model: Model.Type, from bytes: [UInt8]) throws -> Model {
        try HubCoding.decode(RecordBody<Model>.self, from: bytes, request: "(decoded locally)").record
    }
}
