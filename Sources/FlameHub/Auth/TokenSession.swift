#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import HTTPTypes
import Synchronization

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
/// expires, with at most one token request in flight. Checked `Sendable`: every property is a
/// constant, and the token itself sits behind the ``SingleFlight``'s lock.
final class TokenSession: Sendable {
    struct Tokens: Sendable {
        var access: String
        var refresh: String?
        var renewAt: ContinuousClock.Instant
    }

    let tokenURL: String
    private let login: [(String, String)]
    private let transport: (any HTTPTransport)?
    /// The password grant's second factor, asked for each log-in (``PasswordAuth``).
    private let oneTimeCode: (@Sendable () async throws -> SecretString)?
    private let cache = SingleFlight<Tokens>()
    private let clock: @Sendable () -> ContinuousClock.Instant

    init(
        baseURL: String, login: [(String, String)], transport: (any HTTPTransport)?,
        oneTimeCode: (@Sendable () async throws -> SecretString)? = nil,
        clock: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        tokenURL = HubURL.join(baseURL, "token")
        self.login = login
        self.transport = transport
        self.oneTimeCode = oneTimeCode
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
        guard let oneTimeCode else {
            do {
                return try await request(login, transport)
            } catch let error as HubAPIError where SecondFactorRequiredError.matches(error) {
                throw SecondFactorRequiredError(error)
            }
        }
        return try await request(login + [("otp", try await oneTimeCode().revealed)], transport)
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

extension TokenSession: CustomReflectable {
    /// `dump()` and reflection show the token URL only: the login fields hold the secret, the
    /// cache the tokens.
    var customMirror: Mirror { Mirror(self, children: ["tokenURL": tokenURL]) }
}
