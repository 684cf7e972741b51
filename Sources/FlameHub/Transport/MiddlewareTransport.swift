import HTTPTypes

/// A transport wrapped by a chain of middlewares; itself a transport, so chains compose.
public struct MiddlewareTransport: HTTPTransport {
    /// The transport that finally sends the request.
    public var transport: any HTTPTransport
    /// The middlewares, outermost first.
    public var middlewares: [any HTTPMiddleware]

    /// Wraps `transport` so that every request passes through `middlewares`, outermost first.
    public init(transport: any HTTPTransport, middlewares: [any HTTPMiddleware]) {
        self.transport = transport
        self.middlewares = middlewares
    }

    public func send(_ request: HTTPRequest, body: RequestBody?) async throws -> (HTTPResponse, ResponseBody) {
        try await Self.run(request, body: body, middlewares: middlewares[...], transport: transport)
    }

    private static func run(
        _ request: HTTPRequest,
        body: RequestBody?,
        middlewares: ArraySlice<any HTTPMiddleware>,
        transport: any HTTPTransport
    ) async throws -> (HTTPResponse, ResponseBody) {
        guard let first = middlewares.first else {
            return try await transport.send(request, body: body)
        }
        let rest = middlewares.dropFirst()
        return try await first.intercept(request, body: body) { request, body in
            try await run(request, body: body, middlewares: rest, transport: transport)
        }
    }
}

extension HTTPTransport {
    /// This transport behind `middlewares` (outermost first).
    public func with(_ middlewares: [any HTTPMiddleware]) -> MiddlewareTransport {
        MiddlewareTransport(transport: self, middlewares: middlewares)
    }
}
