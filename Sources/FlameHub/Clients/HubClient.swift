/// What ``AuthClient``, ``CoreClient``, ``StorageClient``, ``MessengerClient`` and ``TelemetryClient`` have in common: a
/// ``HubContext`` (base URL, transport, authentication, dialect) and resources declared on the
/// generic engine.
public protocol HubClient: Sendable {
    /// The service the client talks to.
    static var service: HubService { get }
    /// The public instance's base URL.
    static var defaultBaseURL: String { get }
    /// Base URL, transport, authentication and dialect.
    var context: HubContext { get }
    /// A client sharing `context`.
    init(context: HubContext)
}

extension HubClient {
    /// A client without authentication.
    ///
    /// - Parameters:
    ///   - baseURL: the service's base URL (default: the public instance).
    ///   - transport: any ``HTTPTransport``, e.g. a ``CurlTransport`` with custom TLS/proxy
    ///     settings or a mock; default ``HubContext/defaultTransport``.
    ///   - dialect: the server's dialect; nil detects it once from `GET /`.
    public init(
        baseURL: String = Self.defaultBaseURL, transport: (any HTTPTransport)? = nil, dialect: HubDialect? = nil
    ) {
        self.init(
            context: HubContext(
                baseURL: baseURL, service: Self.service, auth: nil, transport: transport, dialect: dialect))
    }

    /// A client authenticating with `auth` (``PasswordAuth``, ``RobotAuth``, ``ClientAuth``,
    /// ``StaticAuth`` or a token string).
    ///
    /// ```swift
    /// let auth = PasswordAuth(username: "admin", password: "start123", baseURL: "http://localhost:3000/auth/")
    /// let core = CoreClient(baseURL: "http://localhost:3000/core/", auth: auth)
    /// ```
    public init(
        baseURL: String = Self.defaultBaseURL, auth: some HubAuthentication, transport: (any HTTPTransport)? = nil,
        dialect: HubDialect? = nil
    ) {
        self.init(
            context: HubContext(
                baseURL: baseURL, service: Self.service, auth: auth, transport: transport, dialect: dialect))
    }

    /// The same client with another authentication (transport and dialect are shared).
    public func withAuth(_ auth: some HubAuthentication) -> Self {
        Self(context: context.with(auth: auth))
    }

    /// The generic engine for resource `descriptor` of this client.
    public func resource<Descriptor: ResourceDescriptor>(_ descriptor: Descriptor.Type = Descriptor.self)
        -> Resource<Descriptor>
    {
        Resource(context: context)
    }

    /// The server's dialect (detected on first use unless given).
    public func dialect() async throws -> HubDialect {
        try await context.dialect()
    }
}
