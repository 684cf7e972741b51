import HTTPTypes

/// Sets `User-Agent` on requests that have none.
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
        if request.headerFields[.userAgent] == nil { request.headerFields[.userAgent] = userAgent }
        return try await next(request, body)
    }
}
