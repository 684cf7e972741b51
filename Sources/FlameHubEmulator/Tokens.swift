/// State of one issued access or refresh token.
struct TokenRecord: Sendable {
    enum Use: String, Sendable { case access = "access_token", refresh = "refresh_token" }

    var jti: String
    var use: Use
    var subjectKind: IdentityKind
    var subjectId: String
    var realmId: String
    var realmName: String
    var clientId: String?
    var issuedAt: Double
    var expiresAt: Double
    /// Session family: every token descending from one login shares it (reuse detection
    /// revokes the whole family).
    var family: String
    var revoked = false
    /// Refresh tokens are single use.
    var consumed = false
    /// The JWT claims, returned by introspection.
    var claims: JSONObject
}

/// All issued tokens, keyed by the token string. Tokens are JWT-shaped (`HS256` with a
/// per-instance key) so clients can decode `exp`, but validity is decided by this store, which
/// is what makes revocation and reuse detection exact.
struct TokenStore: Sendable {
    var tokens: [String: TokenRecord] = [:]
    var signingKey: [UInt8] = (0..<32).map { _ in UInt8.random(in: 0...255) }
    let keyId = Support.uuid()

    /// Signs `claims` into a compact JWT.
    func sign(_ claims: JSONObject) -> String {
        let header: JSONValue = ["alg": "HS256", "typ": "JWT", "kid": .string(keyId)]
        let input =
            Support.base64URL(Array(header.serialized().utf8)) + "."
            + Support.base64URL(Array(JSONValue.object(claims).serialized().utf8))
        return input + "." + Support.base64URL(SHA256.hmac(key: signingKey, message: Array(input.utf8)))
    }

    /// Looks `token` up and checks it is usable for `use` at `now`.
    func verify(_ token: String, use: TokenRecord.Use, now: Double = Support.now()) -> Result<
        TokenRecord, EmulatorError.TokenProblem
    > {
        guard let record = tokens[token], record.use == use else { return .failure(.invalid) }
        if record.revoked { return .failure(.inactive) }
        if record.expiresAt <= now { return .failure(.expired) }
        return .success(record)
    }

    /// Revokes every token of a session family.
    mutating func revokeFamily(_ family: String) {
        for (key, record) in tokens where record.family == family {
            tokens[key]?.revoked = true
        }
    }

    /// Drops long-expired tokens so a long test run does not grow without bound.
    mutating func prune(now: Double = Support.now()) {
        tokens = tokens.filter { $0.value.expiresAt > now - 3600 }
    }
}
