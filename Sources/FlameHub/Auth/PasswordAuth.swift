/// Logs in a user with the password grant, renews the token with the `refresh_token` grant
/// shortly before it expires, and logs in afresh when the refresh fails.
///
/// ```swift
/// let auth = PasswordAuth(username: "admin", password: "start123", baseURL: "http://localhost:3000/auth/")
/// let core = CoreClient(baseURL: "http://localhost:3000/core/", auth: auth)
/// ```
public final class PasswordAuth: GrantAuthentication, SessionGrant {
    /// The user name (or user id).
    public let username: String
    let session: TokenSession

    /// Authenticates as `username` at the authup instance at `baseURL`.
    ///
    /// - Parameters:
    ///   - username: the user's name.
    ///   - password: the user's password (kept out of descriptions and logs).
    ///   - baseURL: the auth service's base URL.
    ///   - realmId: restricts the user lookup to a realm (id or name); optional.
    ///   - transport: the transport for token requests; by default the calling client's.
    ///   - oneTimeCode: for a user with a confirmed second factor (authup ≥ beta.53 with MFA
    ///     enabled): returns the current TOTP code or an unused recovery code, sent as `otp`.
    ///     Called for each password grant (a TOTP code lasts one 30 s step), not for refreshes.
    ///     Without it such a log-in throws ``SecondFactorRequiredError``.
    ///
    /// ```swift
    /// let auth = PasswordAuth(username: "alice", password: password, baseURL: authURL) {
    ///     SecretString(try await authenticatorApp.currentCode())
    /// }
    /// ```
    public init(
        username: String, password: String, baseURL: String = AuthClient.defaultBaseURL, realmId: String? = nil,
        transport: (any HTTPTransport)? = nil, oneTimeCode: (@Sendable () async throws -> SecretString)? = nil
    ) {
        self.username = username
        var fields = [("grant_type", "password"), ("username", username), ("password", password)]
        if let realmId { fields.append(("realm_id", realmId)) }
        session = TokenSession(baseURL: baseURL, login: fields, transport: transport, oneTimeCode: oneTimeCode)
    }

    public var description: String {
        "PasswordAuth(username: \(username), password: \(Redaction.placeholder), token URL: \(session.tokenURL))"
    }
}
