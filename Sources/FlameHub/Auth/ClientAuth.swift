/// Logs in an OAuth2 client with the `client_credentials` grant (current Hubs), again shortly
/// before the token expires.
public final class ClientAuth: GrantAuthentication, SessionGrant {
    /// The client's id (or name on current authup).
    public let clientId: String
    let session: TokenSession

    /// Authenticates as client `clientId` with `secret` at the authup instance at `baseURL`.
    public init(
        clientId: String, secret: String, baseURL: String = AuthClient.defaultBaseURL,
        transport: (any HTTPTransport)? = nil
    ) {
        self.clientId = clientId
        session = TokenSession(
            baseURL: baseURL,
            login: [("grant_type", "client_credentials"), ("client_id", clientId), ("client_secret", secret)],
            transport: transport)
    }

    public var description: String {
        "ClientAuth(clientId: \(clientId), secret: \(Redaction.placeholder), token URL: \(session.tokenURL))"
    }
}
