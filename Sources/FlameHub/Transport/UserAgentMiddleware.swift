import HTTPTypes

/// Sets `User-Agent` on requests that have none; one with a line break or NUL is refused
/// (``TransportError/Code/invalidRequest``) before the request goes on.
public struct UserAgentMiddleware: HTTPMiddleware {
    /// The value sent.
    public var userAgent: String

    /// Sends `userAgent` unless a request sets its own.
    public init(userAgent: String = FlameHubVersion.userAgent) {
        self.userAgent = userAgent
    }

    public func intercept(
        _ request: HTTPRequest,
        body: RequestBody?,
        next: @Sendable (HTTPRequest, RequestBody?) async throws -> (HTTPResponse, ResponseBody)
    ) async throws -> (HTTPResponse, ResponseBody) {
        var request = request
        if request.headerFields[.userAgent] == nil {
            // `HTTPField` would turn a line break into a space; refuse it instead.
            try HeaderText.check(userAgent, "the User-Agent", url: request.urlString)
            request.headerFields[.userAgent] = userAgent
        }
        return try await next(request, body)
    }
}
