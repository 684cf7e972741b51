import FlameHub
import FlameHubEmulator
import Foundation
import Testing

/// `flamehub` logging in as a user with a confirmed TOTP device: without a one-time code it says
/// which setting gives one; with `FLAME_HUB_OTP` or `--otp-file` it logs in.
@Suite("flamehub and a user's second factor")
struct SecondFactorCLITests {
    @Test(arguments: ["transitional", "current"])
    func oneTimeCodeFromEnvironmentOrFile(generation: String) async throws {
        // An authup deployed with MFA_ENABLED=true (off by default, and in the Hub's deployment).
        let emulator = try await HubEmulator.start(
            generation: HubGeneration(rawValue: generation) ?? .current,
            configuration: HubEmulator.Configuration(
                adminPassword: CLIHub.password, switches: HubEmulator.Switches(mfaEnabled: true)))
        do {
            let hub = CLIHub(emulator: emulator, legacy: false)
            let authURL = emulator.authURL.absoluteString
            let admin = AuthClient(
                baseURL: authURL, auth: PasswordAuth(username: "admin", password: CLIHub.password, baseURL: authURL))
            let enrollment = try await admin.enrollAuthenticator(CreateUserAuthenticator(kind: .totp, name: "cli"))
            let seed = try #require(enrollment.secret.flatMap { TOTP.base32Decode($0.revealed) })
            func code(in seconds: Double) -> String {
                TOTP.code(secret: seed, at: Date().timeIntervalSince1970 + seconds)
            }
            _ = try await admin.confirmAuthenticator(enrollment.authenticator, code: SecretString(code(in: 0)))

            let refused = try await hub.run(["nodes", "list"])
            #expect(refused.status == 67, "\(refused)")
            #expect(refused.stderr.contains("second factor") && refused.stderr.contains("FLAME_HUB_OTP"), "\(refused)")
            #expect(refused.stderr.contains("totp"), "\(refused)")

            // authup takes a TOTP code only for a step after the last one used, and one step either
            // side of now: the first log-in uses this step's code, the second the next step's.
            let first = code(in: 0)
            let listed = try await hub.run(
                ["nodes", "list"], environment: hub.adminEnvironment.merging(["FLAME_HUB_OTP": first]) { $1 })
            #expect(listed.status == 0, "\(listed)")
            #expect(!listed.stderr.contains(first))

            let directory = try CLIRunner.temporaryDirectory()
            let file = directory.appendingPathComponent("otp")
            try Data((code(in: 30) + "\n").utf8).write(to: file)
            let fromFile = try await hub.run(["nodes", "list", "--otp-file", file.path])
            #expect(fromFile.status == 0, "\(fromFile)")

            let wrong = try await hub.run(
                ["nodes", "list"], environment: hub.adminEnvironment.merging(["FLAME_HUB_OTP": "000000"]) { $1 })
            #expect(wrong.status == 67, "\(wrong)")
            #expect(wrong.stderr.contains("authentication failed") && !wrong.stderr.contains("000000"), "\(wrong)")
        } catch {
            await emulator.stop()
            throw error
        }
        await emulator.stop()
    }
}
