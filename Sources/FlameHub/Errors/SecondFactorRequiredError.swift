/// authup wants a second factor for the password grant (`mfa_required`: the user holds a
/// confirmed authenticator) and the ``PasswordAuth`` has no one-time-code provider to give it.
///
/// Log in with ``PasswordAuth/init(username:password:baseURL:realmId:transport:oneTimeCode:)``
/// and a `oneTimeCode` closure that returns the current TOTP code (or an unused recovery code).
public struct SecondFactorRequiredError: Error, Sendable, CustomStringConvertible {
    /// The kinds of the user's confirmed devices, as the server listed them (`kinds`).
    public var kinds: [UserAuthenticatorKind]
    /// The token endpoint's answer.
    public var response: HubAPIError

    /// Wraps the token endpoint's `mfa_required` answer.
    public init(_ response: HubAPIError) {
        self.response = response
        if case .array(let values)? = response.errorResponse?.extra["kinds"] {
            kinds = values.compactMap(\.stringValue).map(UserAuthenticatorKind.init(rawValue:))
        } else {
            kinds = []
        }
    }

    /// Whether `error` is authup's answer that a second factor is missing or wrong.
    static func matches(_ error: HubAPIError) -> Bool {
        error.code == "mfa_required" || error.errorResponse?.extra["error"]?.stringValue == "mfa_required"
    }

    public var description: String {
        let devices = kinds.isEmpty ? "" : " (the user's devices: \(kinds.map(\.rawValue).joined(separator: ", ")))"
        return "the server requires a one-time code (second factor) for this log-in\(devices); "
            + "give PasswordAuth a oneTimeCode provider"
    }
}
