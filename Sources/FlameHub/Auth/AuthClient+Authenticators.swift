#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// Hand-written: the engine's resources live at `/<path>/:id`, these below a user
// (`controllers/entities/user-authenticator/module.ts` at v1.0.0-beta.63 and beta.56; beta.56
// answers get, confirm and delete with the bare record, beta.63 in `{data, meta}`).
extension AuthClient {
    /// The second-factor devices of `user` (`GET /users/:id/authenticators`, authup ≥
    /// 1.0.0-beta.53): the caller's own by default; anyone else's needs `user_authenticator_read`.
    ///
    /// - Parameters:
    ///   - user: whose devices; ``UserReference/currentUser`` sends `@me`.
    ///   - filter: conditions on `id`, `kind`, `confirmed` or `lastUsedAt`.
    ///   - page: at most 50 per page (authup's limit).
    public func getAuthenticators(
        of user: UserReference = .currentUser, filter: Filter = [:], page: Page? = nil
    ) async throws -> ResourceList<UserAuthenticator> {
        let dialect = try await context.dialect(for: "user authenticators", in: Self.authenticatorGenerations)
        let path = "users/\(user.pathSegment)/authenticators"
        let query = try ResourceQuery(filter: filter, page: page).render(for: dialect)
        let bytes = try await context.call(.get, path, query: query, dialect: dialect)
        return try context.decode(ResourceList<UserAuthenticator>.self, bytes, .get, path)
    }

    /// The device `device` of `user` (`GET /users/:id/authenticators/:deviceId`), `nil` when
    /// authup answers 404 — as it does for another user's device on the `@me` route.
    public func getAuthenticator(_ device: some ResourceIdentifier, of user: UserReference = .currentUser)
        async throws -> UserAuthenticator?
    {
        let id = try device.resourceID().lowercasedString
        let dialect = try await context.dialect(for: "user authenticators", in: Self.authenticatorGenerations)
        let path = "users/\(user.pathSegment)/authenticators/\(id)"
        do {
            let bytes = try await context.call(.get, path, dialect: dialect)
            return try context.decode(RecordBody<UserAuthenticator>.self, bytes, .get, path).record
        } catch let error as HubAPIError where error.status == 404 {
            return nil
        }
    }

    /// Enrols a device for `user` (`POST /users/:id/authenticators`, 201) and returns it with
    /// the material authup shows only this once: a TOTP seed and `otpauth://` URI (the device
    /// stays unconfirmed until ``confirmAuthenticator(_:code:of:)``), or ten recovery codes.
    ///
    /// authup lets only the owner enrol TOTP, recovery and WebAuthn devices (400 otherwise), and
    /// refuses every enrolment with 400 `mfa_not_configurable` unless the server runs with
    /// `MFA_ENABLED=true`.
    public func enrollAuthenticator(_ body: CreateUserAuthenticator, for user: UserReference = .currentUser)
        async throws -> AuthenticatorEnrollment
    {
        let dialect = try await context.dialect(for: "user authenticators", in: Self.authenticatorGenerations)
        let path = "users/\(user.pathSegment)/authenticators"
        let bytes = try await context.call(.post, path, body: body, dialect: dialect)
        return try context.decode(AuthenticatorEnrollment.self, bytes, .post, path)
    }

    /// Confirms an enrolled TOTP device with a current code
    /// (`POST /users/:id/authenticators/:deviceId/confirm`); returns the confirmed device.
    ///
    /// A wrong code is 400 `invalid_credentials`, and each failure locks further attempts
    /// for 1, 2, 4 … up to 300 seconds (429 `mfa_attempt_throttled`). An already confirmed
    /// device is returned as it is, whatever the code.
    @discardableResult
    public func confirmAuthenticator(
        _ device: some ResourceIdentifier, code: SecretString, of user: UserReference = .currentUser
    ) async throws -> UserAuthenticator {
        let id = try device.resourceID().lowercasedString
        let dialect = try await context.dialect(for: "user authenticators", in: Self.authenticatorGenerations)
        let path = "users/\(user.pathSegment)/authenticators/\(id)/confirm"
        let bytes = try await context.call(.post, path, body: ConfirmUserAuthenticator(code: code), dialect: dialect)
        return try context.decode(RecordBody<UserAuthenticator>.self, bytes, .post, path).record
    }

    /// Removes the device `device` of `user` (`DELETE /users/:id/authenticators/:deviceId`, 202);
    /// this is how an administrator resets another user's second factor.
    public func deleteAuthenticator(_ device: some ResourceIdentifier, of user: UserReference = .currentUser)
        async throws
    {
        let id = try device.resourceID().lowercasedString
        let dialect = try await context.dialect(for: "user authenticators", in: Self.authenticatorGenerations)
        _ = try await context.call(.delete, "users/\(user.pathSegment)/authenticators/\(id)", dialect: dialect)
    }

    /// The generations whose authup serves user authenticators.
    static var authenticatorGenerations: Set<HubGeneration> {
        AuthResources.generations(\.hasUserAuthenticators)
    }
}

extension HubGeneration {
    /// Whether the generation's authup (≥ 1.0.0-beta.53: `core/entities/user-authenticator`
    /// first there) serves user authenticators.
    var hasUserAuthenticators: Bool {
        switch self {
        case .legacy: false
        case .transitional, .current: true
        }
    }
}
