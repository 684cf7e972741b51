import HTTPTypes

/// Supplies the bearer token of a client's requests.
///
/// Ready-made: ``PasswordAuth`` (users), ``RobotAuth`` (legacy Hubs), ``ClientAuth`` (current
/// Hubs), ``StaticAuth`` and a plain token `String`. Give one to a client at creation, or per call
/// with ``HubClient/withAuth(_:)``. Descriptions never show secrets.
public protocol HubAuthentication: Sendable, CustomStringConvertible {
    /// The access token to send as `Authorization: Bearer …`; may call a token endpoint through
    /// `transport` (the calling client's transport, unless the authentication has its own).
    func accessToken(using transport: any HTTPTransport) async throws -> String

    /// Tells the authentication that the server rejected `token` (HTTP 401). Returns whether
    /// asking ``accessToken(using:)`` again can yield a different token (then the request is
    /// replayed once).
    func tokenRejected(_ token: String) async -> Bool
}

/// A plain string is a fixed bearer token.
extension String: HubAuthentication {
    public func accessToken(using transport: any HTTPTransport) async throws -> String { self }

    public func tokenRejected(_ token: String) async -> Bool { false }
}
