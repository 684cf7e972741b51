#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import HTTPTypes

/// The generic engine for one resource of one client: `client.realms.find(...)`.
///
/// All methods of all resources are these few generic ones; which exist for a resource depends
/// on its descriptor's protocols.
public struct Resource<Descriptor: ResourceDescriptor>: Sendable {
    /// The record type.
    public typealias Model = Descriptor.Model

    /// The client's context.
    public let context: HubContext

    /// The resource of the client with `context`.
    public init(context: HubContext) {
        self.context = context
    }

    func dialect(for operation: ResourceOperation) async throws -> HubDialect {
        let dialect = try await context.dialect()
        guard Descriptor.generations(for: operation).contains(dialect.generation) else {
            let version = dialect.version.map { " \($0)" } ?? ""
            throw HubClientError(
                .unsupportedByServer,
                "\(operation) of \(Descriptor.path) does not exist on \(dialect.generation) servers\(version)")
        }
        return dialect
    }

    func recordPath(_ id: some ResourceIdentifier) throws -> String {
        "\(Descriptor.path)/\(try id.resourceID().lowercasedString)"
    }

    func record(_ bytes: [UInt8], request: @autoclosure () -> String) throws -> Model {
        try HubCoding.decode(RecordBody<Model>.self, from: bytes, request: request()).record
    }

    func requestLine(_ method: HTTPRequest.Method, _ path: String, _ query: String) -> String {
        let url = HubURL.join(context.baseURL, path) + (query.isEmpty ? "" : "?" + query)
        return "\(method.rawValue) \(Redaction.redactQuery(url))"
    }

    /// Sends `payload`, encoded for the server's generation, and decodes the record it answers.
    func write(
        _ method: HTTPRequest.Method, _ path: String, _ payload: some Encodable, as operation: ResourceOperation
    ) async throws -> Model {
        let dialect = try await dialect(for: operation)
        let body = try context.encode(payload, dialect: dialect)
        let (_, bytes) = try await context.send(method, path: path, body: body)
        return try record(bytes, request: requestLine(method, path, ""))
    }
}

extension Resource where Descriptor: ListableResource {
    /// The first page of records (50), with every includable relation.
    public func list(fields: [String] = []) async throws -> ResourceList<Model> {
        try await find(fields: fields)
    }

    /// The records matching `filter`, ordered by `sort`, from `page` (default: the first 50).
    ///
    /// ```swift
    /// let nodes = try await core.nodes.find(filter: ["name": .startsWith("my-node")],
    ///                                       sort: Sort(by: "createdAt", order: .descending),
    ///                                       page: Page(limit: 25))
    /// print(nodes.count, nodes.meta.total ?? 0)
    /// ```
    /// - Parameters:
    ///   - filter: conditions on fields, AND-ed.
    ///   - sort: the order; nil leaves it to the server.
    ///   - page: limit and offset.
    ///   - fields: optional fields to add (`["secret"]` sends `fields=%2Bsecret`).
    public func find(
        filter: Filter = [:], sort: Sort? = nil, page: Page = Page(), fields: [String] = []
    ) async throws -> ResourceList<Model> {
        let dialect = try await dialect(for: .list)
        let query = try ResourceQuery(
            filter: filter, sort: sort, page: page, fields: fields, include: Model.includableRelations
        ).render(for: dialect)
        let (_, bytes) = try await context.send(.get, path: Descriptor.path, query: query)
        return try HubCoding.decode(
            ResourceList<Model>.self, from: bytes, request: requestLine(.get, Descriptor.path, query))
    }

    /// Every record matching `filter`, fetched lazily page by page with the largest page size.
    ///
    /// ```swift
    /// for try await node in core.nodes.findAll(filter: ["online": true]) { … }
    /// ```
    public func findAll(filter: Filter = [:], sort: Sort? = nil, fields: [String] = []) -> ResourcePages<Model> {
        ResourcePages(pageSize: Page.defaultLimit) { page in
            try await find(filter: filter, sort: sort, page: page, fields: fields)
        }
    }
}

extension Resource where Descriptor: GettableResource {
    /// The record with `id`, or nil when the server answers 404.
    ///
    /// - Parameters:
    ///   - id: a UUID, a UUID string or a model; a malformed string throws before sending.
    ///   - fields: optional fields to add.
    public func get(_ id: some ResourceIdentifier, fields: [String] = []) async throws -> Model? {
        let path = try recordPath(id)
        let dialect = try await dialect(for: .get)
        let query = try ResourceQuery(fields: fields, include: Model.includableRelations).render(for: dialect)
        do {
            let (_, bytes) = try await context.send(.get, path: path, query: query)
            return try record(bytes, request: requestLine(.get, path, query))
        } catch let error as HubAPIError where error.status == 404 {
            return nil
        }
    }
}

extension Resource where Descriptor: CreatableResource {
    /// Creates a record from `payload` and returns it as the server stored it.
    @discardableResult
    public func create(_ payload: Descriptor.Create) async throws -> Model {
        try await write(.post, Descriptor.path, payload, as: .create)
    }
}

extension Resource where Descriptor: UpdatableResource {
    /// Changes the fields set in `payload` of the record with `id` and returns the result.
    ///
    /// - Throws: ``HubAPIError`` (404) when there is no such record.
    @discardableResult
    public func update(_ id: some ResourceIdentifier, _ payload: Descriptor.Update) async throws -> Model {
        try await write(.post, try recordPath(id), payload, as: .update)
    }
}

extension Resource where Descriptor: DeletableResource {
    /// Deletes the record with `id`.
    ///
    /// - Throws: ``HubAPIError`` (404) when there is no such record.
    public func delete(_ id: some ResourceIdentifier) async throws {
        let path = try recordPath(id)
        _ = try await dialect(for: .delete)
        _ = try await context.send(.delete, path: path)
    }
}

extension Resource where Descriptor: ReplaceableResource {
    /// Creates the record with `id`, or replaces the given fields of the existing one
    /// (`PUT /<path>/:id`). authup before beta.62 creates a record with a *new* id when `id` is
    /// unknown; beta.62 answers 404.
    @discardableResult
    public func replace(_ id: some ResourceIdentifier, _ payload: Descriptor.Create) async throws -> Model {
        try await write(.put, try recordPath(id), payload, as: .replace)
    }
}

extension Resource where Descriptor: SelfReadableResource {
    /// The caller's own record (`GET /<path>/@me`), e.g. the logged-in user.
    public func me(fields: [String] = []) async throws -> Model {
        let path = "\(Descriptor.path)/@me"
        let dialect = try await dialect(for: .me)
        let query = try ResourceQuery(fields: fields, include: Model.includableRelations).render(for: dialect)
        let (_, bytes) = try await context.send(.get, path: path, query: query)
        return try record(bytes, request: requestLine(.get, path, query))
    }
}
