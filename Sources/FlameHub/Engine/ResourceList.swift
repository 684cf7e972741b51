/// Paging facts of a list response (the Python client's `meta=True` value).
public struct ListMeta: Sendable, Hashable, Codable {
    /// Records matching the query, over all pages (absent on some log endpoints).
    public var total: Int?
    /// The page size the server applied.
    public var limit: Int?
    /// The offset the server applied.
    public var offset: Int?

    /// Creates paging facts.
    public init(total: Int? = nil, limit: Int? = nil, offset: Int? = nil) {
        self.total = total
        self.limit = limit
        self.offset = offset
    }
}

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
            items = try container.decode([Element].self, forKey: .data)
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

/// Every record of a query across pages, fetched lazily: the next page is requested only when
/// the records of the previous one have been consumed.
public struct ResourcePages<Element: Sendable & Hashable>: AsyncSequence, Sendable {
    public typealias Failure = any Error

    let pageSize: Int
    let fetch: @Sendable (Page) async throws -> ResourceList<Element>

    init(pageSize: Int, fetch: @escaping @Sendable (Page) async throws -> ResourceList<Element>) {
        self.pageSize = pageSize
        self.fetch = fetch
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(pageSize: pageSize, fetch: fetch)
    }

    /// Iterates the records, page by page.
    public struct Iterator: AsyncIteratorProtocol {
        let pageSize: Int
        let fetch: @Sendable (Page) async throws -> ResourceList<Element>
        var buffer: [Element] = []
        var position = 0
        var offset = 0
        var finished = false

        init(pageSize: Int, fetch: @escaping @Sendable (Page) async throws -> ResourceList<Element>) {
            self.pageSize = pageSize
            self.fetch = fetch
        }

        public mutating func next() async throws -> Element? {
            while position == buffer.count {
                if finished { return nil }
                let page = try await fetch(Page(limit: pageSize, offset: offset))
                buffer = page.items
                position = 0
                offset += page.count
                let limit = page.meta.limit ?? pageSize
                if page.isEmpty || page.count < limit || page.meta.total.map({ offset >= $0 }) == true {
                    finished = true
                }
            }
            defer { position += 1 }
            return buffer[position]
        }
    }
}
