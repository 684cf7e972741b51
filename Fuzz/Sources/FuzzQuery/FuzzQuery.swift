import FlameHub
import FlameHubTesting
import FuzzSupport

/// User input rendered into a request: a filter (key, operator, values), a sort field, a field
/// selection and a record id, for the legacy or the current dialect, sent through a core client
/// to a MockTransport. The request the transport receives must say exactly what was asked:
/// every query item is `name=value` of unreserved characters and `%XX` only; decoded, the names
/// and values are the ones given (nothing split off, nothing added); the path is the
/// collection's or `collection/<uuid>`. Anything refused is refused with a `HubClientError`
/// before a request is sent.
///
/// Values must mean on the server what the operator says (`.equals("~x")` must not become a
/// pattern): the sent value is read back with rapiq's grammar.
///
/// Input: segments split at 0xFF: flags, filter key, value, second value, sort field, field, id.
/// Flags: bit 0 current dialect; bits 1–3 operator; bit 4 descending; bit 5 sort; bit 6 get by id.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQuery(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let segments = Fuzz.bytes(data, size).split(separator: 0xFF, omittingEmptySubsequences: false)
    func text(_ index: Int) -> String {
        index < segments.count ? String(decoding: segments[index], as: UTF8.self) : ""
    }
    let flags = segments.first?.first ?? 0
    let input = QueryInput(
        current: flags & 1 == 1, operation: Int(flags >> 1) & 7, descending: flags & 0x10 != 0,
        sorts: flags & 0x20 != 0, getsByID: flags & 0x40 != 0, key: text(1), value: text(2), other: text(3),
        sortField: text(4), field: text(5), id: text(6))
    Fuzz.wait { await input.check() }
    return 0
}

struct QueryInput: Sendable {
    var current: Bool
    var operation: Int
    var descending: Bool
    var sorts: Bool
    var getsByID: Bool
    var key, value, other, sortField, field, id: String

    var dialect: HubDialect { current ? .current : .legacy }

    var filterValue: FilterValue {
        switch operation {
        case 0: .equals(value)
        case 1: .raw(value)
        case 2: .like(value)
        case 3: .startsWith(value)
        case 4: .endsWith(value)
        case 5: .contains(value)
        case 6: .in([value, other])
        default: .not(.equals(value))
        }
    }

    /// What the filter means: the condition the server must read from what is sent.
    var intended: Reading? {
        switch operation {
        case 0: .equal(value)
        case 1: nil  // raw: sent as written, its meaning is the caller's
        case 2: current ? .endsWith(value) : .startsWith(value)
        case 3: .startsWith(value)
        case 4: .endsWith(value)
        case 5: .contains(value)
        case 6: .list([value, other])
        default: .not(.equal(value))
        }
    }

    /// How rapiq reads one filter value (the legacy 0.9 and the current 2.x grammar, as the
    /// emulator's Filter.swift does); `nil` when the server drops it.
    indirect enum Reading: Equatable {
        case equal(String), startsWith(String), endsWith(String), contains(String), list([String]), isNull
        case compare(String), not(Reading)

        init?(_ sent: String, current: Bool) {
            var text = current ? sent.trimmingWhitespace : sent
            guard !text.isEmpty else { return nil }
            var negated = false
            if text.hasPrefix("!") {
                negated = true
                text.removeFirst()
                guard !text.isEmpty else { return nil }
            }
            var reading: Reading
            if !current && text.hasPrefix("~") {
                reading = .startsWith(String(text.dropFirst()))
            } else if current && !text.contains(",") && text.count >= 2 && text.hasPrefix("~") && text.hasSuffix("~") {
                reading = .contains(String(text.dropFirst().dropLast()))
            } else if current && !text.contains(",") && text.hasPrefix("~") {
                reading = .endsWith(String(text.dropFirst()))
            } else if current && !text.contains(",") && text.hasSuffix("~") {
                reading = .startsWith(String(text.dropLast()))
            } else if text.hasPrefix("<") || text.hasPrefix(">") {
                reading = .compare(text)
            } else if text.contains(",") {
                reading = .list(text.split(separator: ",").map(String.init))
            } else if text == "null" {
                reading = .isNull
            } else {
                reading = .equal(text)
            }
            self = negated ? .not(reading) : reading
        }
    }

    func check() async {
        // A list for lists; 404 for a record (`get` answers nil), so only the request matters.
        let mock = MockTransport { recorded in
            recorded.request.path?.hasPrefix("/core/nodes/") == true
                ? .json(404, #"{"statusCode": 404, "code": "entity_not_found", "message": "", "issues": []}"#)
                : .json(200, #"{"data": [], "meta": {"total": 0, "limit": 50, "offset": 0}}"#)
        }
        let core = CoreClient(baseURL: "http://hub.test/core/", auth: .token("t"), transport: mock, dialect: dialect)
        do {
            if getsByID {
                _ = try await core.nodes.get(id, fields: [field])
            } else {
                _ = try await core.nodes.find(
                    filter: [key: filterValue],
                    sort: sorts ? Sort(by: sortField, order: descending ? .descending : .ascending) : nil,
                    fields: [field])
            }
        } catch let error as HubClientError {
            if !mock.requests.isEmpty { Fuzz.fail("\(error) was thrown after a request was sent") }
            return
        } catch {
            Fuzz.fail("threw \(type(of: error)), not a HubClientError: \(error)")
        }
        guard mock.requests.count == 1, let target = mock.requests[0].request.path else {
            Fuzz.fail("expected one request, got \(mock.requests.count)")
        }
        verify(target)
    }

    func verify(_ target: String) {
        let casing = dialect.keyCasing
        guard let mark = target.firstIndex(of: "?") else { Fuzz.fail("no query in \(target)") }
        let path = target[..<mark]
        if getsByID {
            let expected = (try? id.resourceID()).map { "/core/nodes/" + $0.uuidString.lowercased() }
            if expected.map({ $0 != path }) ?? true { Fuzz.fail("id \(id.debugDescription) sent as path \(path)") }
        } else if path != "/core/nodes" {
            Fuzz.fail("path \(path) for a list of nodes")
        }
        var items: [String: String] = [:]
        for item in target[target.index(after: mark)...].split(separator: "&", omittingEmptySubsequences: false) {
            let parts = item.split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count == 2, parts.allSatisfy(Self.isEncoded), let name = Self.decode(parts[0]),
                let value = Self.decode(parts[1]), items.updateValue(value, forKey: name) == nil
            else { Fuzz.fail("query item \(item) of \(target) is not one encoded name=value") }
        }
        var expected: [String: String] = [:]
        if !getsByID {
            expected["page[limit]"] = "50"
            expected["page[offset]"] = "0"
            let name = "filter[\(casing.convert(key))]"
            guard let sent = items[name] else { Fuzz.fail("no \(name) in \(target)") }
            if let intended {
                let read = Reading(sent, current: current)
                if read != intended { Fuzz.fail("\(filterValue) is read as \(String(describing: read)): \(target)") }
            } else if sent != value {
                Fuzz.fail("raw \(value.debugDescription) sent as \(sent.debugDescription)")
            }
            expected[name] = sent
            if sorts { expected["sort"] = (descending ? "-" : "") + casing.convert(sortField) }
        }
        let converted = casing.convert(field)
        expected["fields"] = converted.first == "+" || converted.first == "-" ? converted : "+" + converted
        expected["include"] = Node.includableRelations.map(casing.convert).joined(separator: ",")
        if items != expected { Fuzz.fail("sent \(items), asked for \(expected)") }
    }

    /// Only unreserved characters and `%XX` escapes: nothing the server could split on.
    static func isEncoded(_ text: Substring) -> Bool {
        text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: "%"):
                true
            default: false
            }
        }
    }

    static func decode(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%") {
                let high = utf8.index(after: index)
                guard high < utf8.endIndex, utf8.index(after: high) < utf8.endIndex,
                    let value = UInt8(String(text[high...].prefix(2)), radix: 16)
                else { return nil }
                bytes.append(value)
                index = utf8.index(high, offsetBy: 2)
            } else {
                bytes.append(byte)
                index = utf8.index(after: index)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}

extension String {
    /// Without leading and trailing white space, as rapiq 2 reads filter values.
    var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
