import HTTPTypes

extension CoreClient {
    private func credentials<T: Decodable>(
        _ type: T.Type, _ path: String, _ method: HTTPRequest.Method, body: (any Encodable)? = nil
    ) async throws -> T {
        let dialect = try await context.dialect(for: "/\(path)", in: Self.withClients)
        let bytes = try await context.call(method, path, body: body, dialect: dialect)
        return try context.decode(T.self, bytes, method, path)
    }

    private struct SecretBody: Encodable {
        var secret: SecretString?
    }

    /// The OAuth2 client of node `id` (`GET /nodes/:id/client/credentials`, current generation).
    public func getNodeClientCredentials(_ id: some ResourceIdentifier) async throws -> ClientCredentials {
        try await credentials(ClientCredentials.self, try idPath("nodes", id, "client/credentials"), .get)
    }

    /// Sets a new secret for the client of node `id` — `secret`, or a random one the Hub generates
    /// when nil — and returns the credentials with the plaintext secret (current generation).
    public func rotateNodeClientCredentials(_ id: some ResourceIdentifier, secret: SecretString? = nil) async throws
        -> ClientCredentials
    {
        try await credentials(
            ClientCredentials.self, try idPath("nodes", id, "client/credentials"), .post,
            body: SecretBody(secret: secret))
    }

    /// The registry account node `id` pushes and pulls with (`GET /nodes/:id/registry/credentials`,
    /// current generation).
    public func getNodeRegistryCredentials(_ id: some ResourceIdentifier) async throws -> RegistryCredentials {
        try await credentials(RegistryCredentials.self, try idPath("nodes", id, "registry/credentials"), .get)
    }

    /// The OAuth2 client of analysis `id` (`GET /analyses/:id/client/credentials`, current generation).
    public func getAnalysisClientCredentials(_ id: some ResourceIdentifier) async throws -> ClientCredentials {
        try await credentials(ClientCredentials.self, try idPath("analyses", id, "client/credentials"), .get)
    }

    /// Sets a new secret for the client of analysis `id` (random when nil) and returns the
    /// credentials with the plaintext secret (current generation).
    public func rotateAnalysisClientCredentials(_ id: some ResourceIdentifier, secret: SecretString? = nil)
        async throws -> ClientCredentials
    {
        try await credentials(
            ClientCredentials.self, try idPath("analyses", id, "client/credentials"), .post,
            body: SecretBody(secret: secret))
    }
}
