#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Why ``HubTokenVerifier`` refused a token. Messages never contain the token.
public struct TokenVerificationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of refusal.
    public enum Reason: String, Sendable, Hashable {
        /// Not three base64url parts with JSON header and claims.
        case malformed
        /// The header's `alg` is not one the verifier checks (it checks `RS256`, authup's default).
        case unsupportedAlgorithm
        /// No published key matches the header's `kid` (or the key is not a usable RSA key).
        case unknownKey
        /// The signature does not match.
        case badSignature
        /// `exp` has passed (beyond the leeway).
        case expired
        /// `nbf` lies ahead (beyond the leeway).
        case notYetValid
        /// `iss` differs from the expected issuer.
        case wrongIssuer
        /// A refresh token (authup signs both kinds with the same key; only access tokens are bearers).
        case notAnAccessToken
    }

    public var reason: Reason
    public var message: String

    public var description: String { "\(reason.rawValue): \(message)" }
}

/// A token whose signature and times were checked locally.
public struct VerifiedToken: Sendable, Hashable {
    /// The header's `alg`.
    public var algorithm: String
    /// The header's `kid`.
    public var keyId: String?
    /// The claims (`sub`, `sub_kind`, `realm_id`, `realm_name`, `client_id`, `scope`, `exp`, …).
    public var claims: [String: JSONValue]

    /// `sub`.
    public var subject: String? { claims["sub"]?.stringValue }
    /// `sub_kind`: `user`, `client` or `robot`.
    public var subjectKind: String? { claims["sub_kind"]?.stringValue }
    /// `realm_id`.
    public var realmId: String? { claims["realm_id"]?.stringValue }
    /// `realm_name`.
    public var realmName: String? { claims["realm_name"]?.stringValue }
    /// `client_id`.
    public var clientId: String? { claims["client_id"]?.stringValue }
    /// `exp`.
    public var expiresAt: Date? { TokenIntrospection.date(claims["exp"]) }
}

/// Verifies Hub-issued access tokens locally, against the keys authup publishes (`GET /jwks`):
/// for a service that receives Hub tokens and should not ask authup about every request.
///
/// Checks the RS256 signature (authup's default key type; written in Swift, as the library takes
/// no crypto dependency), `exp` and `nbf` with a leeway, the issuer when one is given, and that
/// the token is an access token. A revoked token stays valid here until it expires: use
/// ``AuthClient/introspect(_:)`` where revocation must be seen at once.
///
/// ```swift
/// let verifier = auth.tokenVerifier()
/// let token = try await verifier.verify(bearer)
/// print(token.subject ?? "-", token.subjectKind ?? "-")
/// ```
public final class HubTokenVerifier: Sendable {
    struct Keys: Sendable {
        var keys: [(id: String?, key: RSAPublicKey)]
        var fetchedAt: ContinuousClock.Instant
    }

    private let fetch: @Sendable () async throws -> JSONWebKeySet
    private let cache = SingleFlight<Keys>()
    private let issuer: String?
    private let leeway: Double

    /// A verifier against a fixed key set (no fetching).
    public convenience init(keys: JSONWebKeySet, issuer: String? = nil, leeway: Duration = .seconds(30)) {
        self.init(keys: { keys }, issuer: issuer, leeway: leeway)
    }

    /// A verifier that fetches its keys with `keys` (on first use, after 10 minutes, and when a
    /// token names an unknown key — at most every 30 seconds, so forged `kid`s cannot make it
    /// hammer the server).
    public init(
        keys: @escaping @Sendable () async throws -> JSONWebKeySet, issuer: String? = nil,
        leeway: Duration = .seconds(30)
    ) {
        fetch = keys
        self.issuer = issuer
        self.leeway = Double(leeway.components.seconds) + Double(leeway.components.attoseconds) / 1e18
    }

    /// The verified claims of `token`.
    ///
    /// - Throws: ``TokenVerificationError``, or the key fetch's error.
    public func verify(_ token: String, at now: Date = Date()) async throws -> VerifiedToken {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = Self.base64URL(parts[0]), let claimBytes = Self.base64URL(parts[1]),
            let signature = Self.base64URL(parts[2]),
            let header = try? HubCoding.decode([String: JSONValue].self, from: headerBytes, request: "JWT header"),
            let claims = try? HubCoding.decode([String: JSONValue].self, from: claimBytes, request: "JWT claims")
        else { throw Self.refusal(.malformed, "the token is not a signed JWT") }
        let algorithm = header["alg"]?.stringValue ?? ""
        guard algorithm == "RS256" else {
            throw Self.refusal(.unsupportedAlgorithm, "the token is signed with \(algorithm), not RS256")
        }
        let keyId = header["kid"]?.stringValue
        let key = try await self.key(id: keyId)
        let signedPart = token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count)
        guard key.verifiesSHA256(signature: signature, message: signedPart) else {
            throw Self.refusal(.badSignature, "the signature does not match key \(keyId ?? "-")")
        }

        let seconds = now.timeIntervalSince1970
        if case .number(let expiry)? = claims["exp"], expiry + leeway <= seconds {
            throw Self.refusal(.expired, "the token expired at \(Int(expiry))")
        }
        if case .number(let notBefore)? = claims["nbf"], notBefore - leeway > seconds {
            throw Self.refusal(.notYetValid, "the token is valid from \(Int(notBefore))")
        }
        if let issuer, claims["iss"]?.stringValue != issuer {
            throw Self.refusal(.wrongIssuer, "the token was issued by \(claims["iss"]?.stringValue ?? "nobody")")
        }
        if let kind = claims["kind"]?.stringValue, kind != "access_token" {
            throw Self.refusal(.notAnAccessToken, "the token is a \(kind)")
        }
        return VerifiedToken(algorithm: algorithm, keyId: keyId, claims: claims)
    }

    /// The key named `id` (or the only RSA key when the token names none), refetching once
    /// when it is not among the cached ones.
    private func key(id: String?) async throws -> RSAPublicKey {
        let fetch = self.fetch
        let produce: @Sendable (Keys?) async throws -> Keys = { _ in
            let set = try await fetch()
            let keys = set.keys.compactMap { jwk -> (id: String?, key: RSAPublicKey)? in
                guard jwk.kty == "RSA", jwk.use == nil || jwk.use == "sig", let n = jwk.n.flatMap(Self.base64URL),
                    let e = jwk.e.flatMap(Self.base64URL), let key = RSAPublicKey(modulus: n, exponent: e)
                else { return nil }
                return (jwk.kid, key)
            }
            return Keys(keys: keys, fetchedAt: ContinuousClock.now)
        }
        func find(_ keys: Keys) -> RSAPublicKey? {
            if let id { return keys.keys.first { $0.id == id }?.key }
            return keys.keys.count == 1 ? keys.keys[0].key : nil
        }
        let cached = try await cache.value(isFresh: { .now - $0.fetchedAt < .seconds(600) }, produce: produce)
        if let key = find(cached) { return key }
        if ContinuousClock.now - cached.fetchedAt >= .seconds(30) {
            cache.modify { $0?.fetchedAt = ContinuousClock.now - .seconds(3600) }
            let refreshed = try await cache.value(isFresh: { .now - $0.fetchedAt < .seconds(600) }, produce: produce)
            if let key = find(refreshed) { return key }
        }
        throw Self.refusal(.unknownKey, "no published RSA key has the id \(id ?? "(none)")")
    }

    private static func refusal(_ reason: TokenVerificationError.Reason, _ message: String) -> TokenVerificationError {
        TokenVerificationError(reason: reason, message: message)
    }

    /// Bytes of unpadded base64url text (RFC 4648 §5), nil when it is not.
    static func base64URL(_ text: some StringProtocol) -> [UInt8]? {
        guard !text.contains("=") else { return nil }
        var standard = String(text.map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 })
        while standard.utf8.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard).map { Array($0) }
    }
}
