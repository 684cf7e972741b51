import HTTPTypes

extension HubContext {
    /// The server's dialect, after checking that its generation has `what`.
    ///
    /// - Throws: ``HubClientError`` (``HubClientError/Code/unsupportedByServer``) otherwise.
    func dialect(for what: String, in generations: Set<HubGeneration>) async throws -> HubDialect {
        let dialect = try await dialect()
        guard generations.contains(dialect.generation) else {
            let version = dialect.version.map { " \($0)" } ?? ""
            throw HubClientError(
                .unsupportedByServer, "\(what) does not exist on \(dialect.generation) servers\(version)")
        }
        return dialect
    }

    /// Sends `body` (encoded for `dialect`) and returns the successful answer's bytes.
    func call(
        _ method: HTTPRequest.Method, _ path: String, query: String = "", body: (any Encodable)? = nil,
        dialect: HubDialect
    ) async throws -> [UInt8] {
        let bytes = try body.map { try encode($0, dialect: dialect) }
        return try await send(method, path: path, query: query, body: bytes).1
    }

    /// Decodes an answer of `method path` as `T` (naming the request in errors).
    func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8], _ method: HTTPRequest.Method, _ path: String) throws
        -> T
    {
        try HubCoding.decode(T.self, from: bytes, request: "\(method.rawValue) \(HubURL.join(baseURL, path))")
    }
}
