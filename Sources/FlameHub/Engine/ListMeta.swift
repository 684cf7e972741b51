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
