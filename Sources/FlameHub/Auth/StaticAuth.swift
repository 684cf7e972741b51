/// A fixed bearer token (the Python client's `StaticAuth`).
public struct StaticAuth: HubAuthentication, Hashable {
    let token: String

    /// Sends `token` on every request.
    public init(_ token: String) {
        self.token = token
    }

    public func accessToken(using transport: any HTTPTransport) async throws -> String { token }

    public func tokenRejected(_ token: String) async -> Bool { false }

    public var description: String { "StaticAuth(token: \(Redaction.placeholder))" }
}

extension HubAuthentication where Self == StaticAuth {
    /// A fixed bearer token.
    public static func token(_ token: String) -> StaticAuth { StaticAuth(token) }
}
