/// One page of records: a random-access collection that also carries the server's ``meta``.
///
/// ```swift
/// let permissions = try await auth.permissions.list()
/// print(permissions.meta.total ?? 0)   // {"total": 106, "limit": 50, "offset": 0}
/// for permission in permissions { print(permission.name) }
/// ```
public struct ResourceList<Element: Sendable & Hashable>: RandomAccessCollection, Sendable, Hashable {
    /// The records of this page.
    public var items: [Element]
    /// Paging facts.
    public var meta: ListMeta

    /// A page of `items`.
    public init(_ items: [Element], meta: ListMeta = ListMeta()) {
        self.items = items
        self.meta = meta
    }

    public var startIndex: Int { items.startIndex }
    public var endIndex: Int { items.endIndex }
    public subscript(position: Int) -> Element { items[position] }
}

extension ResourceList: Decodable where Element: Decodable {
    private enum Keys: String, CodingKey {
        case data, meta
    }

    /// Decodes `{data: [...], meta: {...}}` or a bare array.
    public init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: Keys.self), container.contains(.data) {
            // The SDK's own decoder reads the records straight into a reserved array.
            if let tape = decoder as? TapeDecoder {
                items = try tape.array(of: Element.self, forKey: Keys.data)
            } else {
                items = try container.decode([Element].self, forKey: .data)
            }
            meta = try container.decodeIfPresent(ListMeta.self, forKey: .meta) ?? ListMeta()
        } else if (try? decoder.unkeyedContainer()) != nil {
            items = try [Element](from: decoder)
            meta = ListMeta(total: items.count)
        } else {
            throw DecodingError.typeMismatch(
                Self.self,
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "expected a list (a {data, meta} envelope or an array); got "
                        + HubCoding.shape(of: decoder)))
        }
    }
}
