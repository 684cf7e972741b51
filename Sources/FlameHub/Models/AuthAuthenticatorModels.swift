#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// A user's second-factor devices (`/users/:id/authenticators`, authup ≥ 1.0.0-beta.53), after
// core-kit `domains/user-authenticator/{constants,entity,validator}.ts` and core-http-kit
// `domains/entities/user-authenticator/types.ts` at v1.0.0-beta.63.

/// The kind of a second-factor device (`kind`).
public struct UserAuthenticatorKind: HubStringEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `totp`: an authenticator app (RFC 6238); enrolled unconfirmed, confirmed with a code.
    public static let totp = Self(rawValue: "totp")
    /// `recovery`: a set of single-use recovery codes; confirmed at enrolment.
    public static let recovery = Self(rawValue: "recovery")
    /// `email`: a code mailed to the user; needs a mail transport on the server.
    public static let email = Self(rawValue: "email")
    /// `webauthn`: a passkey or security key; confirmed with a browser's registration response.
    public static let webauthn = Self(rawValue: "webauthn")
}

/// A second-factor device of a user.
///
/// authup never returns a device's seed or recovery-code hashes (`secret` and `codes` are
/// nulled on every read), so this model has no such fields; the one-time material comes once,
/// in ``AuthenticatorEnrollment``.
public struct UserAuthenticator: HubModel {
    public var id: UUID
    public var kind: UserAuthenticatorKind
    /// A free-form label ("iPhone"), 1–128 characters.
    public var name: String?
    /// Kind-specific public parameters as authup stores them (a JSON text; TOTP:
    /// `algorithm`, `digits`, `period`).
    public var parameters: String?
    /// Whether the device satisfies a challenge: a TOTP device only after
    /// ``AuthClient/confirmAuthenticator(_:code:of:)``.
    public var confirmed: Bool
    /// The last successful verification.
    public var lastUsedAt: Date?
    public var userId: UUID
    public var realmId: UUID?
    public var createdAt: Date?
    public var updatedAt: Date?
}

/// The answer of enrolling a device: the new device and the material authup shows only this
/// once. Every field but ``authenticator`` is a secret: none appears in descriptions or logs.
public struct AuthenticatorEnrollment: Sendable, Hashable, Decodable {
    /// The enrolled device (unconfirmed for TOTP and WebAuthn).
    public var authenticator: UserAuthenticator
    /// TOTP: the base32 seed.
    public var secret: SecretString?
    /// TOTP: the `otpauth://totp/…` provisioning URI (it contains the seed).
    public var uri: SecretString?
    /// TOTP: the provisioning URI as a PNG data URI (a QR code of the seed).
    public var qrCode: SecretString?
    /// Recovery: the single-use codes (`xxxxx-xxxxx`).
    public var recoveryCodes: [SecretString]?
    /// WebAuthn: the registration options for the browser's `navigator.credentials.create()`.
    public var webauthnOptions: [String: JSONValue]?

    private enum Keys: String, CodingKey { case data, meta }
    private enum MetaKeys: String, CodingKey { case secret, uri, qr, codes, webauthn }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        authenticator = try container.decode(UserAuthenticator.self, forKey: .data)
        guard container.contains(.meta), try !container.decodeNil(forKey: .meta) else { return }
        let meta = try container.nestedContainer(keyedBy: MetaKeys.self, forKey: .meta)
        secret = try meta.decodeIfPresent(SecretString.self, forKey: .secret)
        uri = try meta.decodeIfPresent(SecretString.self, forKey: .uri)
        qrCode = try meta.decodeIfPresent(SecretString.self, forKey: .qr)
        recoveryCodes = try meta.decodeIfPresent([SecretString].self, forKey: .codes)
        webauthnOptions = try meta.decodeIfPresent([String: JSONValue].self, forKey: .webauthn)
    }
}

extension AuthenticatorEnrollment: CustomStringConvertible {
    /// The device only: the one-time material never shows.
    public var description: String {
        "AuthenticatorEnrollment(\(authenticator.kind) \(authenticator.id.lowercasedString))"
    }
}

/// Whose devices a call addresses: the caller's own (`@me`) or a user's by id (which needs
/// `user_authenticator_*` permissions for anyone else's).
public enum UserReference: Sendable, Hashable {
    /// `@me`: the user behind the token (a client token is refused with 400).
    case currentUser
    /// The user with this id.
    case id(UUID)

    /// The user `user` (a ``User``, a UUID or its string).
    ///
    /// - Throws: ``HubClientError`` for a string that is not a UUID.
    public init(_ user: some ResourceIdentifier) throws {
        self = .id(try user.resourceID())
    }

    var pathSegment: String {
        switch self {
        case .currentUser: "@me"
        case .id(let id): id.lowercasedString
        }
    }
}

/// The body of `POST /users/:id/authenticators`. The user comes from the route (authup ignores
/// a `userId` in the body).
public struct CreateUserAuthenticator: Encodable, Sendable, Hashable {
    public var kind: UserAuthenticatorKind
    /// A label for the device, 1–128 characters.
    public var name: String?

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

/// The body of `POST /users/:id/authenticators/:deviceId/confirm`: a current TOTP code (or, for
/// WebAuthn, the browser's registration response as JSON text).
public struct ConfirmUserAuthenticator: Encodable, Sendable, Hashable {
    public var code: SecretString

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}
