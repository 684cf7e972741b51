#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import HTTPTypes
import Synchronization

/// The grant-based authentications (``PasswordAuth``, ``RobotAuth``, ``ClientAuth``): one cached
/// token, renewed shortly before it expires, with at most one token request in flight. Share an
/// instance between clients to share its token.
public class GrantAuthentication: HubAuthentication, @unchecked Sendable {
    // Immutable after init; the token cache synchronises itself.
    let session: TokenSession
    private let shown: String

    init(session: TokenSession, description: String) {
        self.session = session
        shown = description
    }

    public func accessToken(using transport: any HTTPTransport) async throws -> String {
        try await session.accessToken(using: transport)
    }

    public func tokenRejected(_ token: String) async -> Bool { session.invalidate(token) }

    public var description: String { shown }
}

/// Logs in a user with the password grant, renews the token with the `refresh_token` grant
/// shortly before it expires, and logs in afresh when the refresh fails.
///
/// ```swift
/// let auth = PasswordAuth(username: "admin", password: "start123", baseURL: "http://localhost:3000/auth/")
/// let core = CoreClient(baseURL: "http://localhost:3000/core/", auth: auth)
/// ```
public final class PasswordAuth: GrantAuthentication, @unchecked Sendable {
    /// The user name (or user id).
    public let username: String

    /// Authenticates as `username` at the authup instance at `baseURL`.
    ///
    /// - Parameters:
    ///   - realmId: restricts the user lookup to a realm (id or name); optional.
    ///   - transport: the transport for token requests; by default the calling client's.
    public init(
        username: String, password: String, baseURL: String = AuthClient.defaultBaseURL, realmId: String? = nil,
        transport: (any HTTPTransport)? = nil
    ) {
        self.username = username
        var fields = [("grant_type", "password"), ("username", username), ("password", password)]
        if let realmId { fields.append(("realm_id", realmId)) }
        let session = TokenSession(baseURL: baseURL, login: fields, transport: transport)
        super.init(
            session: session,
            description:
                "PasswordAuth(username: \(username), password: \(Redaction.placeholder), token URL: \(session.tokenURL))"
        )
    }
}

/// Logs in a robot with the `robot_credentials` grant (legacy Hubs, authup < 1.0.0-beta.54),
/// again shortly before the token expires (robots get no refresh token).
public final class RobotAuth: GrantAuthentication, @unchecked Sendable {
    /// The robot's id (or name).
    public let robotId: String

    /// Authenticates as robot `robotId` with `secret` at the authup instance at `baseURL`.
    public init(
        robotId: String, secret: String, baseURL: String = AuthClient.defaultBaseURL,
        transport: (any HTTPTransport)? = nil
    ) {
        self.robotId = robotId
        let session = TokenSession(
            baseURL: baseURL, login: [("grant_type", "robot_credentials"), ("id", robotId), ("secret", secret)],
            transport: transport)
        super.init(
            session: session,
            description:
                "RobotAuth(robotId: \(robotId), secret: \(Redaction.placeholder), token URL: \(session.tokenURL))")
    }
}

/// Logs in an OAuth2 client with the `client_credentials` grant (current Hubs), again shortly
/// before the token expires.
public final class ClientAuth: GrantAuthentication, @unchecked Sendable {
    /// The client's id (or name on current authup).
    public let clientId: String

    /// Authenticates as client `clientId` with `secret` at the authup instance at `baseURL`.
    public init(
        clientId: String, secret: String, baseURL: String = AuthClient.defaultBaseURL,
        transport: (any HTTPTransport)? = nil
    ) {
        self.clientId = clientId
        let session = TokenSession(
            baseURL: baseURL,
            login: [("grant_type", "client_credentials"), ("client_id", clientId), ("client_secret", secret)],
            transport: transport)
        super.init(
            session: session,
            description:
                "ClientAuth(clientId: \(clientId), secret: \(Redaction.placeholder), token URL: \(session.tokenURL))")
    }
}

/// A token endpoint's answer (OAuth2 names, snake_case in every generation).
struct TokenResponse: Decodable, Sendable {
    var accessToken: String
    var expiresIn: Double?
    var refreshToken: String?

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case expiresIn = "expires_in"
        case refreshToken = "refresh_token"
    }
}

/// The token cache behind the grant-based authentications: one token, renewed shortly before it
/// expires, with at most one token request in flight.
final class TokenSession: Sendable {
    struct Tokens: Sendable {
        var access: String
        var refresh: String?
        var renewAt: ContinuousClock.Instant
    }

    let tokenURL: String
    private let login: [(String, String)]
    private let transport: (any HTTPTransport)?
    private let cache = SingleFlight<Tokens>()
    private let clock: @Sendable () -> ContinuousClock.Instant

    init(
        baseURL: String, login: [(String, String)], transport: (any HTTPTransport)?,
        clock: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        tokenURL = HubURL.join(baseURL, "token")
        self.login = login
        self.transport = transport
        self.clock = clock
    }

    /// How long before expiry a token is renewed: a tenth of its lifetime, at most 30 s.
    static func renewalMargin(lifetime: Duration) -> Duration {
        min(.seconds(30), lifetime / 10)
    }

    func accessToken(using fallback: any HTTPTransport) async throws -> String {
        let transport = self.transport ?? fallback
        let clock = self.clock
        let tokens = try await cache.value(isFresh: { clock() < $0.renewAt }) { stale in
            try await self.obtain(previous: stale, transport: transport)
        }
        return tokens.access
    }

    /// Forgets `token` if it is the cached one; the refresh token is kept for the renewal.
    func invalidate(_ token: String) -> Bool {
        cache.modify { tokens in
            if tokens?.access == token { tokens?.renewAt = clock() }
            return true
        }
    }

    private func obtain(previous: Tokens?, transport: any HTTPTransport) async throws -> Tokens {
        if let refresh = previous?.refresh {
            do {
                return try await request([("grant_type", "refresh_token"), ("refresh_token", refresh)], transport)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                // The refresh token expired or was revoked: log in afresh.
            }
        }
        return try await request(login, transport)
    }

    private func request(_ fields: [(String, String)], _ transport: any HTTPTransport) async throws -> Tokens {
        var object: [String: String] = [:]
        for (key, value) in fields { object[key] = value }
        let body = try JSONEncoder().encode(object)
        var request = try HTTPRequest(method: .post, url: tokenURL)
        request.headerFields[.contentType] = "application/json"
        request.headerFields[.accept] = "application/json"
        let started = clock()
        let (response, responseBody) = try await transport.send(request, body: .bytes(Array(body)))
        let bytes = try await responseBody.collect(upTo: 1 << 20)
        let line = "POST \(Redaction.redactQuery(tokenURL))"
        guard response.status.code == 200 || response.status.code == 201 else {
            throw HubAPIError(status: response.status.code, headers: response.headerFields, body: bytes, request: line)
        }
        let token: TokenResponse
        do {
            token = try JSONDecoder().decode(TokenResponse.self, from: Data(bytes))
        } catch {
            throw HubClientError(.invalidTokenResponse, "the token endpoint's answer has no access_token (\(line))")
        }
        let lifetime = Duration.milliseconds(Int64(((token.expiresIn ?? 3600) * 1000).rounded()))
        return Tokens(
            access: token.accessToken, refresh: token.refreshToken,
            renewAt: started + lifetime - Self.renewalMargin(lifetime: lifetime))
    }
}
