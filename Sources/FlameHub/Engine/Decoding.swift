#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Decoding of Hub responses (through ``FastJSONDecoder``): both key casings, both envelope
/// shapes, ISO-8601 dates with or without fractional seconds; encoding of request bodies.
enum HubCoding {
    /// Decodes `bytes` as `T` (keys in either casing, in one pass), turning a `DecodingError`
    /// into a ``HubDecodingError``.
    ///
    /// - Parameter request: the request line the error names; built only when decoding fails,
    ///   so a successful call pays nothing for it.
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], request: @autoclosure () -> String) throws
        -> T
    {
        do {
            return try FastJSONDecoder().decode(T.self, from: bytes)
        } catch let error as DecodingError {
            throw describe(error, model: T.self, request: request())
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
            // FastJSONDecoder says what it found ("found an array"); the envelope checks of
            // RecordBody and ResourceList write a whole sentence.
            let found = context.debugDescription
            reason = found.hasPrefix("found ") ? "expected \(noun(type)) but \(found)" : found
        case .valueNotFound(let type, let context):
            path = context.codingPath
            reason = "expected \(noun(type)) but found null"
        case .dataCorrupted(let context):
            // Syntax errors (see ``JSONSyntaxError``) and value errors describe themselves.
            path = context.codingPath
            reason = context.debugDescription.isEmpty ? "the body is not valid JSON" : context.debugDescription
        @unknown default:
            path = []
            reason = "\(error)"
        }
        return HubDecodingError(model: typeName(model), keyPath: keyPath(path), reason: reason, request: request)
    }

    /// What a value of `type` is in JSON terms: "a string", "an object", or the model's name.
    static func noun(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is UUID.Type: "a UUID string"
        case is Date.Type: "an ISO-8601 date-time string"
        case is any BinaryInteger.Type: "an integer"
        case is any BinaryFloatingPoint.Type, is Decimal.Type: "a number"
        case is [String: Any].Type: "an object"
        case is [Any].Type: "an array"
        default: typeName(type)
        }
    }

    /// What the value at `decoder` is, for errors that name the shape they got instead of the
    /// one they expected: "an array", "an object with keys `data`, `links`". Keys are shown,
    /// values never.
    static func shape(of decoder: any Decoder) -> String {
        if let object = try? decoder.container(keyedBy: NamedKey.self) {
            let keys = object.allKeys.map(\.stringValue)
            guard !keys.isEmpty else { return "an empty object" }
            let shown = keys.prefix(8).map { "`\(printable($0.prefix(40)))`" }
            return "an object with \(keys.count == 1 ? "key" : "keys") \(shown.joined(separator: ", "))"
                + (keys.count > 8 ? ", …" : "")
        }
        if (try? decoder.unkeyedContainer()) != nil { return "an array" }
        guard let value = try? decoder.singleValueContainer() else { return "a value" }
        if value.decodeNil() { return "null" }
        if (try? value.decode(Bool.self)) != nil { return "a boolean" }
        if (try? value.decode(Double.self)) != nil { return "a number" }
        if (try? value.decode(String.self)) != nil { return "a string" }
        return "a value"
    }

    /// ASCII letters, digits and punctuation; anything else (control characters, backquotes)
    /// as `?`, so that a key cannot garble the message.
    static func printable(_ text: Substring) -> String {
        String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0.isPunctuation) ? $0 : "?" })
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

    /// The model's name as users know it: `RecordBody<Realm>` is a `Realm`.
    static func typeName(_ type: Any.Type) -> String {
        if let envelope = type as? any RecordEnvelope.Type { return typeName(envelope.recordType) }
        return String(describing: type).replacing("FlameHub.", with: "")
    }
}

/// A body that wraps one record.
protocol RecordEnvelope {
    static var recordType: Any.Type { get }
}

/// A single record, bare or wrapped in `{data, meta}`. A body is taken as enveloped when it
/// has `data` and `meta` (like the Python client does), or `data` alone: a record always has
/// more keys than that, and some proxies and older Hubs drop an empty `meta`.
struct RecordBody<Model: Decodable>: Decodable, RecordEnvelope {
    var record: Model

    static var recordType: Any.Type { Model.self }

    private enum EnvelopeKeys: String, CodingKey {
        case data, meta
    }

    init(from decoder: any Decoder) throws {
        guard let container = try? decoder.container(keyedBy: EnvelopeKeys.self) else {
            throw DecodingError.typeMismatch(
                Model.self,
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription:
                        "expected a record or a {data, meta} envelope; got \(HubCoding.shape(of: decoder))"))
        }
        guard container.contains(.data) else {
            record = try Model(from: decoder)
            return
        }
        // The key count only when there is no `meta`: an enveloped record never needs it.
        if try container.contains(.meta) || decoder.container(keyedBy: NamedKey.self).allKeys.count == 1 {
            record = try container.decode(Model.self, forKey: .data)
            return
        }
        // `data` beside other keys: a record with a `data` field, or an envelope of an unknown
        // kind. When it is not a record either, say both.
        do {
            record = try Model(from: decoder)
        } catch DecodingError.keyNotFound(let key, let context)
            where context.codingPath.count == decoder.codingPath.count
        {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription:
                        "expected a record or a {data, meta} envelope; got \(HubCoding.shape(of: decoder)) "
                        + "(not a record: its required key `\(key.stringValue)` is missing)",
                    underlyingError: DecodingError.keyNotFound(key, context)))
        }
    }
}

/// Minimal, allocation-light ISO-8601 date-time handling for `2025-05-05T10:11:12.345Z`,
/// with or without fractional seconds, with `Z` or an offset (`±hh:mm`, `±hhmm`, `±hh`). A
/// time zone is required: a zoneless time would be a guess. The emulator writes its timestamps
/// with ``format(_:)``, so both sides agree on the format (hence the SPI).
@_spi(FlameHubTools) public enum ISO8601 {
    /// The date of `text`; `nil` unless it is an ISO-8601 date-time as described above.
    public static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        guard bytes.count >= 20 else { return nil }
        func number(_ start: Int, _ length: Int) -> Int? {
            guard start + length <= bytes.count else { return nil }
            var value = 0
            for index in start..<(start + length) {
                let digit = Int(bytes[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        // The fixed part, `YYYY-MM-DDTHH:MM:SS` (inside the 20 bytes): two digits at a time,
        // without `number`'s bounds and loop.
        func pair(_ start: Int) -> Int? {
            let high = bytes[start] &- 48
            let low = bytes[start + 1] &- 48
            return high < 10 && low < 10 ? Int(high) &* 10 &+ Int(low) : nil
        }
        guard let century = pair(0), let yearOfCentury = pair(2), bytes[4] == UInt8(ascii: "-"),
            let month = pair(5), bytes[7] == UInt8(ascii: "-"), let day = pair(8),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") || bytes[10] == UInt8(ascii: " "),
            let hour = pair(11), bytes[13] == UInt8(ascii: ":"), let minute = pair(14),
            bytes[16] == UInt8(ascii: ":"), let second = pair(17),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        let year = century * 100 + yearOfCentury
        var index = 19
        var fraction = 0.0
        if bytes[index] == UInt8(ascii: ".") {
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
        guard index < bytes.count else { return nil }
        var offsetSeconds = 0
        let sign = bytes[index]
        if sign == UInt8(ascii: "Z") || sign == UInt8(ascii: "z") {
            index += 1
        } else if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            guard let hours = number(index + 1, 2) else { return nil }
            index += 3
            var minutes = 0
            if index < bytes.count {
                let colon = bytes[index] == UInt8(ascii: ":") ? 1 : 0
                guard let value = number(index + colon, 2) else { return nil }
                minutes = value
                index += colon + 2
            }
            guard hours < 24, minutes < 60 else { return nil }
            offsetSeconds = (hours * 3600 + minutes * 60) * (sign == UInt8(ascii: "+") ? 1 : -1)
        } else {
            return nil
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
