/// The grant-based authentications (``PasswordAuth``, ``RobotAuth``, ``ClientAuth``): one cached
/// token, renewed shortly before it expires, with at most one token request in flight. Share an
/// instance between clients to share its token.
public protocol GrantAuthentication: HubAuthentication {}

/// A grant authentication whose token lives in a ``TokenSession``: the grants differ only in their
/// login fields and description, so the token handling is written once, here.
protocol SessionGrant: GrantAuthentication {
    /// The token cache; shared by everything that holds this authentication.
    var session: TokenSession { get }
}

extension SessionGrant {
    public func accessToken(using transport: any HTTPTransport) async throws -> String {
        try await session.accessToken(using: transport)
    }

    public func tokenRejected(_ token: String) async -> Bool { session.invalidate(token) }
}
