#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import HTTPTypes

/// The token codes with which authup before 1.0.0-beta.63 answers a dead token (400; beta.63
/// answers them with 401, and introspection and revocation with success).
let deadTokenCodes: Set<String> = ["invalid_token", "expired_token", "inactive_token"]

extension AuthClient {
    /// Asks authup whether `token` is usable (`POST /token/introspect`, RFC 7662) and whose it is.
    ///
    /// A dead token gives an inactive introspection on every release: beta.63 answers
    /// `{active: false}`, older releases 400 with a token code (kept as
    /// ``TokenIntrospection/inactiveReason``). Sent without the client's own bearer token, which
    /// authup does not require, so that a dead `token` is never taken for a dead own token.
    ///
    /// ```swift
    /// let info = try await auth.introspect(incomingToken)
    /// guard info.active, info.permissions.contains(where: { $0.name == "analysis_update" }) else { … }
    /// ```
    public func introspect(_ token: String) async throws -> TokenIntrospection {
        let anonymous = context.with(auth: nil)
        let dialect = try await anonymous.dialect()
        do {
            let bytes = try await anonymous.call(.post, "token/introspect", body: ["token": token], dialect: dialect)
            let claims = try anonymous.decode([String: JSONValue].self, bytes, .post, "token/introspect")
            return TokenIntrospection(claims: claims)
        } catch let error as HubAPIError where [400, 401].contains(error.status) && Self.isDeadTokenError(error) {
            return .inactive(reason: error.code)
        }
    }

    /// Revokes `token` (`POST /token/revoke`, RFC 7009): an access token alone, a refresh token
    /// with its whole session.
    ///
    /// Succeeds for tokens that are already dead, as RFC 7009 §2.2 asks and beta.63 answers;
    /// older releases' 400 with a token code is taken for that success.
    public func revoke(_ token: String) async throws {
        let anonymous = context.with(auth: nil)
        let dialect = try await anonymous.dialect()
        do {
            _ = try await anonymous.call(.post, "token/revoke", body: ["token": token], dialect: dialect)
        } catch let error as HubAPIError where [400, 401].contains(error.status) && Self.isDeadTokenError(error) {
            return
        }
    }

    /// The caller's own user with its `email` (OpenID `userinfo`): `GET /userinfo` on current
    /// servers (authup beta.57+), `GET /users/@me` on older ones, which have no userinfo endpoint.
    public func userInfo() async throws -> User {
        let dialect = try await context.dialect()
        switch dialect.generation {
        // `/userinfo` arrives with authup beta.57; earlier releases answer the same from `users/@me`.
        case .legacy, .transitional:
            return try await users.me(fields: ["email"])
        case .current:
            let bytes = try await context.call(.get, "userinfo", dialect: dialect)
            return try context.decode(RecordBody<User>.self, bytes, .get, "userinfo").record
        }
    }

    /// The public keys that sign tokens (`GET /jwks`, or `GET /realms/:realm/jwks`).
    ///
    /// - Parameter realm: a realm id or name; nil for the keys of the whole instance.
    public func jwks(realm: String? = nil) async throws -> JSONWebKeySet {
        let path = realm.map { "realms/\(Self.segment($0))/jwks" } ?? "jwks"
        return try await document(JSONWebKeySet.self, path)
    }

    /// One public key by its `kid` (`GET /jwks/:id`, or `GET /realms/:realm/jwks/:id`); nil when
    /// authup answers 404 (`jwk_not_found`).
    public func jwk(id: String, realm: String? = nil) async throws -> JSONWebKey? {
        let path = (realm.map { "realms/\(Self.segment($0))/jwks" } ?? "jwks") + "/" + Self.segment(id)
        do {
            return try await document(JSONWebKey.self, path)
        } catch let error as HubAPIError where error.status == 404 {
            return nil
        }
    }

    /// The OpenID discovery document (`GET /.well-known/openid-configuration`, or a realm's
    /// `GET /realms/:realm/.well-known/openid-configuration`).
    public func openIDConfiguration(realm: String? = nil) async throws -> OpenIDConfiguration {
        let path = (realm.map { "realms/\(Self.segment($0))/" } ?? "") + ".well-known/openid-configuration"
        return try await document(OpenIDConfiguration.self, path)
    }

    /// A verifier of Hub-issued tokens against this instance's published keys (fetched on first
    /// use, refetched when a token names an unknown key). See ``HubTokenVerifier``.
    public func tokenVerifier(realm: String? = nil, issuer: String? = nil) -> HubTokenVerifier {
        HubTokenVerifier(keys: { try await jwks(realm: realm) }, issuer: issuer)
    }

    /// A public OAuth2/OpenID document, fetched without the bearer (authup serves these to anyone).
    private func document<T: Decodable>(_ type: T.Type, _ path: String) async throws -> T {
        let anonymous = context.with(auth: nil)
        let dialect = try await anonymous.dialect()
        let bytes = try await anonymous.call(.get, path, dialect: dialect)
        return try anonymous.decode(T.self, bytes, .get, path)
    }

    static func isDeadTokenError(_ error: HubAPIError) -> Bool {
        error.code.map(deadTokenCodes.contains) ?? false
    }

    static func segment(_ value: String) -> String { PercentEncoding.encode(value) }
}
