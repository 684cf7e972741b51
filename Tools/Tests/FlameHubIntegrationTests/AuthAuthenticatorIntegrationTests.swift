import FlameHub
import FlameHubEmulator
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Synchronization
import Testing

/// A TOTP device's life through `CurlTransport` against the emulator: enrol, compute the code as
/// an authenticator app does, confirm, list, refuse a wrong code and another user, delete.
@Suite("authup user authenticators against the emulator")
struct AuthAuthenticatorIntegrationTests {
    func withHub(_ generation: HubGeneration, _ body: (HubEmulator, AuthClient) async throws -> Void) async throws {
        // An authup deployed with `MFA_ENABLED=true` (its default, and the Hub's, is off).
        let hub = try await HubEmulator.start(
            generation: generation,
            configuration: HubEmulator.Configuration(switches: HubEmulator.Switches(mfaEnabled: true)))
        do {
            let url = hub.authURL.absoluteString
            try await body(
                hub, AuthClient(baseURL: url, auth: PasswordAuth(username: "admin", password: "start123", baseURL: url))
            )
        } catch {
            await hub.stop()
            throw error
        }
        await hub.stop()
    }

    @Test(arguments: [HubGeneration.transitional, .current])
    func totpEnrolConfirmListDelete(generation: HubGeneration) async throws {
        try await withHub(generation) { hub, admin in
            let enrollment = try await admin.enrollAuthenticator(CreateUserAuthenticator(kind: .totp, name: "phone"))
            let device = enrollment.authenticator
            #expect(device.kind == .totp && device.name == "phone" && !device.confirmed)
            let seed = try #require(enrollment.secret.flatMap { TOTP.base32Decode($0.revealed) })
            #expect(enrollment.uri?.revealed.hasPrefix("otpauth://totp/") == true)
            #expect(!"\(enrollment)".contains(enrollment.secret?.revealed ?? "-"))

            let confirmed = try await admin.confirmAuthenticator(
                device, code: SecretString(TOTP.code(secret: seed, at: Date().timeIntervalSince1970)))
            #expect(confirmed.id == device.id && confirmed.confirmed)
            let listed = try await admin.getAuthenticators(filter: ["kind": .equals("totp")])
            #expect(listed.map(\.id) == [device.id] && listed.first?.confirmed == true)

            // Another user sees nothing of it.
            let me = try await admin.users.me()
            _ = try await admin.users.create(
                CreateUser(name: "mallory", email: "mallory@example.com", password: "mallory-secret-1"))
            let url = hub.authURL.absoluteString
            let mallory = AuthClient(
                baseURL: url, auth: PasswordAuth(username: "mallory", password: "mallory-secret-1", baseURL: url))
            #expect(try await mallory.getAuthenticators().isEmpty)
            #expect(try await mallory.getAuthenticator(device) == nil)
            let refused = await #expect(throws: HubAPIError.self) {
                _ = try await mallory.getAuthenticators(of: .id(me.id))
            }
            #expect(refused?.status == 403)
            await #expect(throws: HubAPIError.self) { try await mallory.deleteAuthenticator(device, of: .id(me.id)) }

            // A wrong code for a second device.
            let second = try await admin.enrollAuthenticator(CreateUserAuthenticator(kind: .totp))
            let secondSeed = try #require(second.secret.flatMap { TOTP.base32Decode($0.revealed) })
            let now = Date().timeIntervalSince1970
            let valid = Set([-30.0, 0, 30].map { TOTP.code(secret: secondSeed, at: now + $0) })
            let wrong = try #require(["000000", "111111", "222222", "333333"].first { !valid.contains($0) })
            let rejected = await #expect(throws: HubAPIError.self) {
                try await admin.confirmAuthenticator(second.authenticator, code: SecretString(wrong))
            }
            #expect(rejected?.status == 400 && rejected?.code == "invalid_credentials")
            #expect(try await admin.getAuthenticator(second.authenticator)?.confirmed == false)

            try await admin.deleteAuthenticator(device)
            #expect(try await admin.getAuthenticator(device) == nil)
            #expect(try await admin.getAuthenticators(of: try UserReference(me)).map(\.id) == [second.authenticator.id])
        }
    }

    /// With a confirmed TOTP device, `PasswordAuth` logs in through curl with a provider that
    /// computes the code as an authenticator app does; without one the log-in throws
    /// ``SecondFactorRequiredError`` naming the device kinds.
    @Test(arguments: [HubGeneration.transitional, .current])
    func passwordLogInWithASecondFactor(generation: HubGeneration) async throws {
        try await withHub(generation) { hub, admin in
            let enrollment = try await admin.enrollAuthenticator(CreateUserAuthenticator(kind: .totp))
            let seed = try #require(enrollment.secret.flatMap { TOTP.base32Decode($0.revealed) })
            _ = try await admin.confirmAuthenticator(
                enrollment.authenticator, code: SecretString(TOTP.code(secret: seed)))

            let url = hub.authURL.absoluteString
            let bare = AuthClient(
                baseURL: url, auth: PasswordAuth(username: "admin", password: "start123", baseURL: url))
            let refused = await #expect(throws: SecondFactorRequiredError.self) { _ = try await bare.users.me() }
            #expect(refused?.kinds == [.totp] && refused?.response.status == 400)

            let calls = Mutex(0)
            let withCode = AuthClient(
                baseURL: url,
                auth: PasswordAuth(username: "admin", password: "start123", baseURL: url) {
                    calls.withLock { $0 += 1 }
                    return SecretString(TOTP.code(secret: seed))
                })
            #expect(try await withCode.users.me().name == "admin")
            #expect(try await withCode.getAuthenticators().first?.lastUsedAt != nil)
            #expect(calls.withLock { $0 } == 1)
        }
    }

    @Test func recoveryCodesComeOnceAndConfirmed() async throws {
        try await withHub(.current) { _, admin in
            let enrollment = try await admin.enrollAuthenticator(CreateUserAuthenticator(kind: .recovery))
            #expect(enrollment.authenticator.confirmed && enrollment.recoveryCodes?.count == 10)
            #expect(enrollment.secret == nil && enrollment.uri == nil)
        }
    }

    @Test func legacyServersRefuseBeforeSending() async throws {
        try await withHub(.legacy) { _, admin in
            await #expect(throws: HubClientError.self) { _ = try await admin.getAuthenticators() }
        }
    }
}
