import Crypto

/// Stand-in for authup's bcrypt secret and password hashes.
///
/// Real servers store `bcrypt(secret, cost 10)`. No package on hand does bcrypt, so the emulator
/// stores `$2y$10$` + a 22-character salt + the hex SHA-256 of salt and secret. What clients can
/// see is preserved: the value looks like a bcrypt hash, differs from the plaintext, is salted
/// (two hashes of one secret differ) and verifies the plaintext.
enum SecretHash {
    static let prefix = "$2y$10$"

    /// Hashes `secret` with a fresh salt.
    static func make(_ secret: String) -> String {
        let salt = Support.randomAlphanumeric(22)
        return prefix + salt + digest(salt: salt, secret: secret)
    }

    /// `true` when `hash` was made from `secret` by ``make(_:)``.
    static func verify(_ secret: String, hash: String) -> Bool {
        guard looksHashed(hash) else { return false }
        let body = hash.dropFirst(prefix.count)
        let salt = String(body.prefix(22))
        return body.dropFirst(22) == digest(salt: salt, secret: secret)[...]
    }

    /// `true` for values that look like a (stand-in) bcrypt hash; such values are stored
    /// unchanged, as authup does for hashed client secrets.
    static func looksHashed(_ value: String) -> Bool {
        value.hasPrefix("$2") && value.count > 29
    }

    private static func digest(salt: String, secret: String) -> String {
        Support.hex(SHA256.hash(data: Array((salt + secret).utf8)))
    }
}
