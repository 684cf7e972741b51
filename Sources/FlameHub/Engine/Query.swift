#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A value a filter can compare against: strings, numbers, booleans and UUIDs.
public protocol FilterScalar: Sendable {
    /// The value as the server reads it in a query string.
    var filterText: String { get }
}

extension String: FilterScalar { public var filterText: String { self } }
extension Substring: FilterScalar { public var filterText: String { String(self) } }
extension Int: FilterScalar { public var filterText: String { String(self) } }
extension Double: FilterScalar { public var filterText: String { String(self) } }
extension Bool: FilterScalar { public var filterText: String { self ? "true" : "false" } }
extension UUID: FilterScalar { public var filterText: String { lowercasedString } }

/// One condition of a ``Filter``: equality, a comparison, a pattern, a list, a null test, or a
/// raw value the server interprets itself (`"~my-node-4"`, as in the Python guide).
///
/// ```swift
/// ["name": "my-node-42"]                 // equality (a string literal is sent as written)
/// ["name": .like("my-node-4")]           // `~my-node-4`, like the Python client's FilterOperator.like
/// ["name": .startsWith("my-node")]       // `~my-node` on legacy Hubs, `my-node~` on current ones
/// ["buildSize": .gt(1000)]               // `>1000`
/// ["id": .in([a, b])]                    // `a,b`
/// ["realmId": .not(.isNull)]             // `!null`
/// ```
public struct FilterValue: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, CustomStringConvertible
{
    indirect enum Kind: Sendable, Hashable {
        case raw(String)
        case equals(String)
        case like(String)
        case not(Kind)
        case less(String, orEqual: Bool)
        case greater(String, orEqual: Bool)
        case list([String])
        case isNull
        case isNotNull
        case startsWith(String)
        case endsWith(String)
        case contains(String)
    }

    let kind: Kind

    init(_ kind: Kind) { self.kind = kind }

    /// A raw value, sent exactly as written (operators included, e.g. `"~my-node-4"`, `"!null"`).
    public init(stringLiteral value: String) { kind = .raw(value) }
    /// Equality with an integer.
    public init(integerLiteral value: Int) { kind = .equals(String(value)) }
    /// Equality with a boolean.
    public init(booleanLiteral value: Bool) { kind = .equals(value ? "true" : "false") }

    /// A raw value, sent exactly as written.
    public static func raw(_ value: String) -> FilterValue { FilterValue(.raw(value)) }
    /// Equal to `value`.
    public static func equals(_ value: some FilterScalar) -> FilterValue { FilterValue(.equals(value.filterText)) }
    /// The Python client's `FilterOperator.like`: `~value`, which the server reads as *starts with*
    /// before Hub 0.12.3 and as *ends with* after. Prefer ``startsWith(_:)``/``endsWith(_:)``.
    public static func like(_ value: String) -> FilterValue { FilterValue(.like(value)) }
    /// The negation of `value` (`!value`); comparisons cannot be negated.
    public static func not(_ value: FilterValue) -> FilterValue { FilterValue(.not(value.kind)) }
    /// Less than `value`.
    public static func lt(_ value: some FilterScalar) -> FilterValue {
        FilterValue(.less(value.filterText, orEqual: false))
    }
    /// Less than or equal to `value`.
    public static func le(_ value: some FilterScalar) -> FilterValue {
        FilterValue(.less(value.filterText, orEqual: true))
    }
    /// Greater than `value`.
    public static func gt(_ value: some FilterScalar) -> FilterValue {
        FilterValue(.greater(value.filterText, orEqual: false))
    }
    /// Greater than or equal to `value`.
    public static func ge(_ value: some FilterScalar) -> FilterValue {
        FilterValue(.greater(value.filterText, orEqual: true))
    }
    /// One of `values`.
    public static func `in`(_ values: [any FilterScalar]) -> FilterValue {
        FilterValue(.list(values.map(\.filterText)))
    }
    /// The field is null.
    public static var isNull: FilterValue { FilterValue(.isNull) }
    /// The field is not null.
    public static var isNotNull: FilterValue { FilterValue(.isNotNull) }
    /// Starts with `prefix` (written per server generation).
    public static func startsWith(_ prefix: String) -> FilterValue { FilterValue(.startsWith(prefix)) }
    /// Ends with `suffix` (Hub ≥ 0.12.3 / authup ≥ beta.57 only).
    public static func endsWith(_ suffix: String) -> FilterValue { FilterValue(.endsWith(suffix)) }
    /// Contains `text` (Hub ≥ 0.12.3 / authup ≥ beta.57 only).
    public static func contains(_ text: String) -> FilterValue { FilterValue(.contains(text)) }

    public var description: String {
        (try? render(.rapiq2, key: "")) ?? "\(kind)"
    }

    /// The wire text of this value under `grammar`.
    ///
    /// - Throws: ``HubClientError`` when the grammar cannot express the condition or a value would
    ///   be misread (a comma splits values into lists on the server).
    func render(_ grammar: FilterGrammar, key: String) throws -> String {
        try Self.render(kind, grammar, key: key)
    }

    private static func render(_ kind: Kind, _ grammar: FilterGrammar, key: String) throws -> String {
        func plain(_ value: String, _ what: String) throws -> String {
            guard !value.contains(",") else {
                throw HubClientError(
                    .invalidFilter,
                    "filter '\(key)': the \(what) value contains a comma, which the server reads as a list")
            }
            guard !value.isEmpty else {
                throw HubClientError(.invalidFilter, "filter '\(key)': the \(what) value is empty")
            }
            try checkOperand(value, grammar, key: key, what: what)
            return value
        }
        func unsupported(_ what: String) -> HubClientError {
            HubClientError(
                .unsupportedByServer,
                "filter '\(key)': \(what) cannot be expressed before Hub 0.12.3 / authup 1.0.0-beta.57 (rapiq 0.9)")
        }
        switch kind {
        case .raw(let value): return value
        case .equals(let value): return try plain(value, "equality")
        case .like(let value): return "~" + (try plain(value, "like"))
        case .less(let value, let orEqual): return (orEqual ? "<=" : "<") + (try plain(value, "comparison"))
        case .greater(let value, let orEqual): return (orEqual ? ">=" : ">") + (try plain(value, "comparison"))
        case .list(let values):
            guard !values.isEmpty else { throw HubClientError(.invalidFilter, "filter '\(key)': empty list") }
            for value in values { _ = try plain(value, "list") }
            return values.joined(separator: ",")
        case .isNull: return "null"
        case .isNotNull: return "!null"
        case .startsWith(let value):
            let value = try plain(value, "starts-with")
            return grammar == .rapiq09 ? "~" + value : value + "~"
        case .endsWith(let value):
            guard grammar == .rapiq2 else { throw unsupported("ends-with") }
            return "~" + (try plain(value, "ends-with"))
        case .contains(let value):
            guard grammar == .rapiq2 else { throw unsupported("contains") }
            return "~" + (try plain(value, "contains")) + "~"
        case .not(let inner):
            switch inner {
            case .not(let twice): return try render(twice, grammar, key: key)
            case .isNull: return "!null"
            case .isNotNull: return "null"
            case .less, .greater:
                throw HubClientError(
                    .invalidFilter, "filter '\(key)': a comparison cannot be negated (the server ignores the '!')")
            case .raw(let value): return "!" + value
            default: return "!" + (try render(inner, grammar, key: key))
            }
        }
    }
}

/// Conditions on fields, AND-ed by the server, written like a dictionary:
/// `["name": .startsWith("my-node"), "realm.name": "master"]`.
///
/// Keys may be Swift camelCase (`realmId`) or the guide's snake_case (`realm_id`); dotted keys
/// filter through relations. The engine sends the server's spelling; keys keep their order.
public struct Filter: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    /// The conditions, in order.
    public var conditions: [(key: String, value: FilterValue)] {
        get { storage.map { ($0.key, $0.value) } }
        set { storage = newValue.map { Condition(key: $0.key, value: $0.value) } }
    }

    struct Condition: Sendable, Hashable {
        var key: String
        var value: FilterValue
    }

    var storage: [Condition]

    /// A filter from key–value pairs.
    public init(dictionaryLiteral elements: (String, FilterValue)...) {
        storage = elements.map { Condition(key: $0.0, value: $0.1) }
    }

    /// A filter from key–value pairs.
    public init(_ conditions: [(String, FilterValue)]) {
        storage = conditions.map { Condition(key: $0.0, value: $0.1) }
    }

    /// Whether there is no condition.
    public var isEmpty: Bool { storage.isEmpty }

    /// Adds (or replaces) the condition on `key`.
    public subscript(key: String) -> FilterValue? {
        get { storage.first { $0.key == key }?.value }
        set {
            storage.removeAll { $0.key == key }
            if let newValue { storage.append(Condition(key: key, value: newValue)) }
        }
    }
}

/// A sort order: `Sort(by: "createdAt", order: .descending)`; ascending by default.
public struct Sort: Sendable, Hashable {
    /// Ascending or descending.
    public enum Order: String, Sendable, Hashable {
        /// Smallest first.
        case ascending
        /// Largest first.
        case descending
    }

    /// The field to sort by (either casing).
    public var by: String
    /// The direction.
    public var order: Order

    /// Sorts by `by` in `order`.
    public init(by: String, order: Order = .ascending) {
        self.by = by
        self.order = order
    }
}

/// A page of results: `Page(limit: 25, offset: 10)`. Defaults to 50/0 and is always sent, so a
/// list's ``ListMeta`` always carries `limit` and `offset`. Servers clamp `limit` at 50.
public struct Page: Sendable, Hashable {
    /// The most records returned (the Hub allows at most 50).
    public var limit: Int
    /// How many matching records to skip.
    public var offset: Int

    /// A page of `limit` records after skipping `offset`.
    public init(limit: Int = Page.defaultLimit, offset: Int = 0) {
        self.limit = limit
        self.offset = offset
    }

    /// The default (and largest accepted) page size.
    public static let defaultLimit = 50
    /// The first page of the default size.
    public static let first = Page()
}

/// The query of a list or single-record request, rendered for one dialect.
struct ResourceQuery: Sendable {
    var filter: Filter = [:]
    var sort: Sort?
    var page: Page?
    var fields: [String] = []
    var include: [String] = []

    /// The percent-encoded query string (without `?`); empty when there is nothing to send.
    func render(for dialect: HubDialect) throws -> String {
        try checkNames()
        var items: [(String, String)] = []
        if let page {
            items.append(("page[limit]", String(page.limit)))
            items.append(("page[offset]", String(page.offset)))
        }
        for condition in filter.storage {
            let key = dialect.keyCasing.convert(condition.key)
            items.append(("filter[\(key)]", try condition.value.render(dialect.filterGrammar, key: condition.key)))
        }
        if let sort {
            items.append(("sort", (sort.order == .descending ? "-" : "") + dialect.keyCasing.convert(sort.by)))
        }
        if !fields.isEmpty {
            let rendered = fields.map { field -> String in
                let converted = dialect.keyCasing.convert(field)
                return converted.first == "+" || converted.first == "-" ? converted : "+" + converted
            }
            items.append(("fields", rendered.joined(separator: ",")))
        }
        if !include.isEmpty {
            items.append(("include", include.map(dialect.keyCasing.convert).joined(separator: ",")))
        }
        // One string, appended to: no array of pairs joined at the end.
        var query = ""
        for (name, value) in items {
            if !query.isEmpty { query += "&" }
            query += PercentEncoding.encode(name)
            query += "="
            query += PercentEncoding.encode(value)
        }
        return query
    }
}

/// RFC 3986 query component encoding: everything but unreserved characters is escaped, so `+`
/// becomes `%2B` (a literal `+` would be read as a space by the server's `qs` parser).
enum PercentEncoding {
    static func encode(_ text: String) -> String {
        // Most keys and values (`include`, `page[limit]`'s value, names) need no escape at all.
        guard text.utf8.contains(where: { !isUnreserved($0) }) else { return text }
        var result: [UInt8] = []
        result.reserveCapacity(text.utf8.count + 8)
        for byte in text.utf8 {
            if isUnreserved(byte) {
                result.append(byte)
            } else {
                result.append(UInt8(ascii: "%"))
                result.append(hexDigit(byte >> 4))
                result.append(hexDigit(byte & 0xF))
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    @inline(__always) static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            true
        default: false
        }
    }

    @inline(__always) static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10
    }
}
