/// Paging facts of a list response (the Python client's `meta=True` value).
public struct ListMeta: Sendable, Hashable, Codable {
    /// Records matching the query, over all pages (absent on some log endpoints).
    public var total: Int?
    /// The page size the server applied.
    public var limit: Int?
    /// The offset the server applied.
    public var offset: Int?
    /// The endpoint's query vocabulary (`meta.schema`, Hub 0.13+ and authup 1.0.0-beta.57+;
    /// `nil` from older releases and from endpoints that describe nothing).
    public var schema: QuerySchema?

    /// Creates paging facts.
    public init(total: Int? = nil, limit: Int? = nil, offset: Int? = nil, schema: QuerySchema? = nil) {
        self.total = total
        self.limit = limit
        self.offset = offset
        self.schema = schema
    }

    private enum CodingKeys: String, CodingKey {
        case total, limit, offset, schema
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        total = try container.decodeIfPresent(Int.self, forKey: .total)
        limit = try container.decodeIfPresent(Int.self, forKey: .limit)
        offset = try container.decodeIfPresent(Int.self, forKey: .offset)
        // The description is advisory: a shape this SDK does not know must not fail the page.
        schema = (try? container.decodeIfPresent(QuerySchema.self, forKey: .schema)) ?? nil
    }
}

/// What a list or record endpoint accepts in `fields`, `filter`, `include`, `sort` and `page`:
/// the `meta.schema` a Hub (0.13+) or authup (1.0.0-beta.57+) response describes itself with.
///
/// It is the server's static upper bound, not an actor-aware view: a name in
/// ``Fields-swift.struct/allowed`` may still be stripped for the caller. `nil` properties mean
/// "not declared" (the server's fallback applies); an empty array means "nothing allowed".
/// Record reads describe only ``fields-swift.property`` and ``relations-swift.property``.
///
/// ```swift
/// let nodes = try await core.nodes.list()
/// if nodes.meta.schema?.filters?.allowed?.contains("online") == true { … }
/// ```
public struct QuerySchema: Sendable, Hashable, Codable {
    /// The `fields` vocabulary.
    public struct Fields: Sendable, Hashable, Codable {
        /// Returned when the request names no fields.
        public var defaults: [String]?
        /// Accepted by `fields=` (including `+name` optional fields).
        public var allowed: [String]?

        /// Creates a fields description.
        public init(defaults: [String]? = nil, allowed: [String]? = nil) {
            self.defaults = defaults
            self.allowed = allowed
        }

        private enum CodingKeys: String, CodingKey {
            case defaults = "default"
            case allowed
        }
    }

    /// The `filter` vocabulary.
    public struct Filters: Sendable, Hashable, Codable {
        /// Filterable keys.
        public var allowed: [String]?
        /// Case sensitivity of comparisons (Hub 0.14 / rapiq 2.1+; `null` = server default).
        public var caseSensitive: JSONValue?
        /// Whether only indexed keys may be filtered (Hub 0.14 / rapiq 2.1+).
        public var indexed: Bool?

        /// Creates a filters description.
        public init(allowed: [String]? = nil, caseSensitive: JSONValue? = nil, indexed: Bool? = nil) {
            self.allowed = allowed
            self.caseSensitive = caseSensitive
            self.indexed = indexed
        }
    }

    /// The `page` vocabulary.
    public struct Pagination: Sendable, Hashable, Codable {
        /// The largest `page[limit]` honoured (50 on every Hub endpoint).
        public var maxLimit: Int?

        /// Creates a pagination description.
        public init(maxLimit: Int? = nil) { self.maxLimit = maxLimit }
    }

    /// The `include` vocabulary.
    public struct Relations: Sendable, Hashable, Codable {
        /// Includable relation names.
        public var allowed: [String]?
        /// The schema name governing each relation (its own endpoints describe it).
        public var schemas: [String: String]?

        /// Creates a relations description.
        public init(allowed: [String]? = nil, schemas: [String: String]? = nil) {
            self.allowed = allowed
            self.schemas = schemas
        }
    }

    /// The `sort` vocabulary.
    public struct Sorts: Sendable, Hashable, Codable {
        /// Sortable keys.
        public var allowed: [String]?
        /// Order applied when the request has none: key → `ASC` or `DESC`.
        public var defaults: [String: String]?
        /// Whether only indexed keys may be sorted (Hub 0.14 / rapiq 2.1+).
        public var indexed: Bool?

        /// Creates a sorts description.
        public init(allowed: [String]? = nil, defaults: [String: String]? = nil, indexed: Bool? = nil) {
            self.allowed = allowed
            self.defaults = defaults
            self.indexed = indexed
        }

        private enum CodingKeys: String, CodingKey {
            case allowed
            case defaults = "default"
            case indexed
        }
    }

    /// The schema's name (`node`, `registryProject`, `realm`).
    public var name: String?
    /// Whether unknown query keys are rejected rather than dropped.
    public var strict: Bool?
    /// Index declarations (Hub 0.14 / rapiq 2.1+; `nil` when none are declared).
    public var indexes: JSONValue?
    /// `fields`.
    public var fields: Fields?
    /// `filter` (collections only).
    public var filters: Filters?
    /// `page` (collections only).
    public var pagination: Pagination?
    /// `include`.
    public var relations: Relations?
    /// `sort` (collections only); Hub 0.13 names this block `sort`, 0.14 `sorts`.
    public var sorts: Sorts?

    /// Creates a description.
    public init(
        name: String? = nil, strict: Bool? = nil, indexes: JSONValue? = nil, fields: Fields? = nil,
        filters: Filters? = nil, pagination: Pagination? = nil, relations: Relations? = nil, sorts: Sorts? = nil
    ) {
        self.name = name
        self.strict = strict
        self.indexes = indexes
        self.fields = fields
        self.filters = filters
        self.pagination = pagination
        self.relations = relations
        self.sorts = sorts
    }

    private enum CodingKeys: String, CodingKey {
        case name, strict, indexes, fields, filters, pagination, relations, sorts, sort
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        strict = try container.decodeIfPresent(Bool.self, forKey: .strict)
        indexes = try container.decodeIfPresent(JSONValue.self, forKey: .indexes)
        fields = try container.decodeIfPresent(Fields.self, forKey: .fields)
        filters = try container.decodeIfPresent(Filters.self, forKey: .filters)
        pagination = try container.decodeIfPresent(Pagination.self, forKey: .pagination)
        relations = try container.decodeIfPresent(Relations.self, forKey: .relations)
        // rapiq 2.1 (Hub 0.14) renamed `sort` to `sorts` without an alias.
        sorts =
            try container.decodeIfPresent(Sorts.self, forKey: .sorts)
            ?? container.decodeIfPresent(Sorts.self, forKey: .sort)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(name, forKey: .name)
        try container.encodeIfPresent(strict, forKey: .strict)
        try container.encodeIfPresent(indexes, forKey: .indexes)
        try container.encodeIfPresent(fields, forKey: .fields)
        try container.encodeIfPresent(filters, forKey: .filters)
        try container.encodeIfPresent(pagination, forKey: .pagination)
        try container.encodeIfPresent(relations, forKey: .relations)
        try container.encodeIfPresent(sorts, forKey: .sorts)
    }
}
