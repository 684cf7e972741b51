import Crypto
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import _CryptoExtras
import Synchronization

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
    var claims: EmulatorJSONObject
}

/// All issued tokens, keyed by the token string. Tokens are JWTs signed with RS256 under
/// ``TokenSigner/shared``, whose public key the JWKS endpoints publish, as authup does; validity
/// is still decided by this store, which is what makes revocation and reuse detection exact.
struct TokenStore: Sendable {
    var tokens: [String: TokenRecord] = [:]

    /// Signs `claims` into a compact JWT.
    func sign(_ claims: EmulatorJSONObject) throws -> String {
        try TokenSigner.shared().sign(claims)
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

    /// Revokes the one token whose `jti` is `jti` (a deleted session token).
    mutating func revokeToken(jti: String) {
        for (key, record) in tokens where record.jti == jti {
            tokens[key]?.revoked = true
        }
    }

    /// The session family of the access token `jti`.
    func family(ofAccess jti: String) -> String? {
        tokens.values.first { $0.jti == jti && $0.use == .access }?.family
    }

    /// Drops long-expired tokens so a long test run does not grow without bound.
    mutating func prune(now: Double = Support.now()) {
        tokens = tokens.filter { $0.value.expiresAt > now - 3600 }
    }
}

/// The RS256 key that signs tokens, and its public half as a JSON Web Key.
///
/// One key per process: generating a 2048-bit RSA key takes a noticeable moment, and emulators
/// started by one test run need not each pay it. Like authup's key, it is made on first use.
struct TokenSigner: Sendable {
    let privateKey: _RSA.Signing.PrivateKey
    /// The key's id (`kid`), a UUID as authup's (the key row's id, `workflows/jwks/module.ts` at
    /// v1.0.0-beta.63): made from the key's RFC 7638 thumbprint, so it names the key it describes.
    let keyId: String
    /// The public key as a JWK (`kty`, `kid`, `alg`, `use`, `n`, `e`).
    let publicJWK: EmulatorJSON

    private static let cached = Mutex<Result<TokenSigner, EmulatorError>?>(nil)

    /// The process's signer, made on first use.
    static func shared() throws -> TokenSigner {
        try cached.withLock { cached in
            if let cached { return try cached.get() }
            let made = Result { try TokenSigner() }.mapError { error in
                EmulatorError(
                    .explicit(status: 500, code: "signing_key", message: "cannot make the signing key: \(error)"))
            }
            cached = made
            return try made.get()
        }
    }

    private init() throws {
        privateKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let primitives = try privateKey.publicKey.getKeyPrimitives()
        let modulus = Support.base64URL(Array(primitives.modulus))
        let exponent = Support.base64URL(Array(primitives.publicExponent))
        // RFC 7638: the SHA-256 of the required members in lexicographic order, no whitespace.
        let canonical = #"{"e":"\#(exponent)","kty":"RSA","n":"\#(modulus)"}"#
        keyId = Self.uuid(Array(SHA256.hash(data: Array(canonical.utf8))))
        publicJWK = [
            "kty": "RSA", "kid": .string(keyId), "alg": "RS256", "use": "sig", "n": .string(modulus),
            "e": .string(exponent),
        ]
    }

    /// A version-4-shaped UUID string from the first 16 bytes of `digest`.
    private static func uuid(_ digest: [UInt8]) -> String {
        var bytes = Array(digest.prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { byte in
            let text = String(byte, radix: 16)
            return text.count == 1 ? "0" + text : text
        }.joined()
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(hex.dropFirst(range.lowerBound).prefix(range.count))
        }
        return parts.joined(separator: "-")
    }

    /// Signs `claims` into a compact JWT (RS256, with this key's `kid`).
    func sign(_ claims: EmulatorJSONObject) throws -> String {
        let header: EmulatorJSON = ["alg": "RS256", "typ": "JWT", "kid": .string(keyId)]
        let input =
            Support.base64URL(Array(header.serialized().utf8)) + "."
            + Support.base64URL(Array(EmulatorJSON.object(claims).serialized().utf8))
        let signature = try privateKey.signature(for: Array(input.utf8), padding: .insecurePKCS1v1_5)
        return input + "." + Support.base64URL(Array(signature.rawRepresentation))
    }
}
