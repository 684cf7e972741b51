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
            try await next(isolation: nil)
        }

        /// The next record, on the caller's actor (`for try await` calls this one): records of
        /// a page already fetched come without a hop to another executor and back, which cost
        /// more than the record itself for callers on the main actor.
        public mutating func next(isolation actor: isolated (any Actor)?) async throws -> Element? {
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
