/// A decoded URL query string, in order.
///
/// Decoding follows the `qs`/`querystring` behaviour of the real servers: `+` becomes a space
/// (so `fields=+secret` arrives as ` secret` and is silently ignored — clients must send
/// `%2Bsecret`), then percent escapes are decoded.
struct QueryItems: Sendable {
    var items: [(key: String, value: String)]

    init(raw: String?) {
        items = []
        guard let raw, !raw.isEmpty else { return }
        for part in raw.split(separator: "&", omittingEmptySubsequences: true) {
            if let equals = part.firstIndex(of: "=") {
                items.append((Self.decode(part[..<equals]), Self.decode(part[part.index(after: equals)...])))
            } else {
                items.append((Self.decode(part), ""))
            }
        }
    }

    /// All values of `key`, in order.
    func values(_ key: String) -> [String] {
        items.filter { $0.key == key }.map(\.value)
    }

    /// The first value of `key`.
    func first(_ key: String) -> String? {
        items.first { $0.key == key }?.value
    }

    /// `application/x-www-form-urlencoded` decoding of one component (`+` = space).
    static func decode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let high = hexValue(iterator[iterator.startIndex]),
                let low = hexValue(iterator[iterator.startIndex + 1])
            {
                bytes.append(high << 4 | low)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// The rapiq parameters of a request (`filter`, `sort`, `page`, `fields`, `include`), still in
/// wire names; ``ResourceEngine`` resolves them against a resource's allow-lists.
struct RapiqQuery: Sendable {
    /// `filter[key]=value`; repeated keys collect several values (an IN list).
    var filters: [(key: String, values: [String])] = []
    /// `sort=-a,b` or `sort[a]=desc`.
    var sort: [(key: String, descending: Bool)] = []
    /// Raw `page[limit]` / `page[offset]`; `pageGiven` records that any `page` key was sent.
    var limit: String?
    var offset: String?
    var pageGiven = false
    /// Root `fields` tokens (kept verbatim: a leading space from a `+` is *not* trimmed).
    var fields: [String]?
    /// `fields[relation]=a,b`.
    var relationFields: [String: [String]] = [:]
    /// `include=a,b` / `include[]=a`.
    var include: [String] = []
    /// A `__proto__`/`constructor`/`prototype` key was present (rejected with 400 by rapiq 2).
    var hasForbiddenKey = false

    init() {}

    init(_ items: QueryItems) {
        for (key, value) in items.items {
            let (base, path) = Self.splitKey(key)
            if ([base] + path).contains(where: { ["__proto__", "constructor", "prototype"].contains($0) }) {
                hasForbiddenKey = true
                continue
            }
            switch base {
            case "filter":
                let filterKey = path.filter { !$0.isEmpty }.joined(separator: ".")
                guard !filterKey.isEmpty else { continue }
                if let index = filters.firstIndex(where: { $0.key == filterKey }) {
                    filters[index].values.append(value)
                } else {
                    filters.append((filterKey, [value]))
                }
            case "sort":
                if let field = path.first, !field.isEmpty {
                    sort.append((field, value.lowercased() == "desc"))
                } else {
                    for token in value.split(separator: ",") {
                        if token.hasPrefix("-") {
                            sort.append((String(token.dropFirst()), true))
                        } else {
                            sort.append((String(token), false))
                        }
                    }
                }
            case "page":
                pageGiven = true
                if path.first == "limit" { limit = value }
                if path.first == "offset" { offset = value }
            case "fields":
                let tokens = value.split(separator: ",").map(String.init)
                if let relation = path.first, !relation.isEmpty {
                    relationFields[relation, default: []].append(contentsOf: tokens)
                } else {
                    fields = (fields ?? []) + tokens
                }
            case "include":
                include.append(contentsOf: value.split(separator: ",").map(String.init))
            default:
                continue
            }
        }
    }

    /// `filter[realm][name]` → (`filter`, [`realm`, `name`]).
    static func splitKey(_ key: String) -> (String, [String]) {
        guard let open = key.firstIndex(of: "[") else { return (key, []) }
        let base = String(key[..<open])
        var path: [String] = []
        var rest = key[open...]
        while rest.first == "[", let close = rest.firstIndex(of: "]") {
            path.append(String(rest[rest.index(after: rest.startIndex)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return (base, path)
    }
}
