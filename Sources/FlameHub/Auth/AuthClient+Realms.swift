extension AuthClient {
    /// This client with its resources below `/realms/:realm/` (authup ≥ 1.0.0-beta.53), e.g.
    /// `try await auth.inRealm("my-realm").users.list()` for `GET /realms/my-realm/users`.
    ///
    /// authup serves there, as of beta.63: clients, consents, events, identity providers and
    /// their accounts, keys, permissions, policies, sessions, trust anchors and users; the other
    /// resources answer 404 below a realm. Authentication, transport and dialect are this
    /// client's.
    ///
    /// - Parameter realm: the realm's id or name.
    /// - Throws: ``HubClientError`` (``HubClientError/Code/unsupportedByServer``) on servers
    ///   without realm-scoped routes.
    public func inRealm(_ realm: String) async throws -> AuthClient {
        let dialect = try await context.dialect(
            for: "realm-scoped routes", in: AuthResources.generations(\.hasAuthupSessions))
        let base = HubURL.join(context.baseURL, "realms/\(Self.segment(realm))/")
        return AuthClient(
            context: HubContext(
                baseURL: base, service: .auth, auth: context.auth, transport: context.transport, dialect: dialect))
    }
}
