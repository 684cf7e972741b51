import FlameHub
import FlameHubTesting
import Testing

@Suite("Authentication: the password grant's second factor (authup's otp)")
struct PasswordSecondFactorTests {
    typealias Server = AuthFlowTests.Server

    static let mfaRequired =
        #"{"code":"mfa_required","message":"Complete a second-factor challenge to continue.","error":"mfa_required","kinds":["totp","recovery"]}"#

    /// A provider handing out `codes` in order, counting its calls.
    static func provider(_ codes: [String], calls: Counter) -> @Sendable () async throws -> SecretString {
        { SecretString(codes[min(calls.increment(), codes.count) - 1]) }
    }

    /// Each password grant asks the provider afresh (a TOTP code lasts one step); a refresh
    /// needs no code.
    @Test func everyPasswordGrantCarriesAFreshCode() async throws {
        let server = Server(tokens: [
            .json(200, Fixture.token("A", expiresIn: 0, refresh: nil)),
            .json(200, Fixture.token("B", expiresIn: 0, refresh: "refresh-2")), .json(200, Fixture.token("C")),
        ])
        let calls = Counter()
        let auth = PasswordAuth(
            username: "admin", password: "start123", baseURL: Fixture.base,
            oneTimeCode: Self.provider(["111111", "222222", "333333"], calls: calls))
        let client = Fixture.authClient(server.mock, auth: auth)
        for _ in 0..<3 { _ = try await client.realms.list() }
        #expect(calls.count == 2)
        #expect(
            server.tokenBodies == [
                [
                    "grant_type": .string("password"), "username": .string("admin"), "password": .string("start123"),
                    "otp": .string("111111"),
                ],
                [
                    "grant_type": .string("password"), "username": .string("admin"), "password": .string("start123"),
                    "otp": .string("222222"),
                ],
                ["grant_type": .string("refresh_token"), "refresh_token": .string("refresh-2")],
            ])
        #expect(server.resourceBearers == ["A", "B", "C"])
        #expect(!"\(auth)".contains("111111") && "\(auth)".hasPrefix("PasswordAuth(username: admin"))
    }

    /// Without a provider, authup's `mfa_required` becomes a typed error naming the devices.
    @Test func mfaRequiredWithoutAProviderIsTyped() async throws {
        let server = Server(tokens: [.json(400, Self.mfaRequired)])
        let auth = PasswordAuth(username: "admin", password: "start123-secret", baseURL: Fixture.base)
        let client = Fixture.authClient(server.mock, auth: auth)
        let error = await #expect(throws: SecondFactorRequiredError.self) { _ = try await client.realms.list() }
        #expect(error?.kinds == [.totp, .recovery])
        #expect(error?.response.status == 400 && error?.response.code == "mfa_required")
        let text = "\(error.map { "\($0)" } ?? "")"
        #expect(text.contains("one-time code") && text.contains("totp, recovery") && text.contains("oneTimeCode"))
        #expect(!text.contains("start123-secret"))
        #expect(server.tokenBodies.first?["otp"] == nil)
    }

    /// A wrong code stays the server's answer (the provider was there; the code was refused),
    /// and a provider's own error reaches the caller without a token request.
    @Test func aRefusedCodeOrAFailingProviderIsNotRetyped() async throws {
        let server = Server(tokens: [
            .json(
                400,
                #"{"code":"mfa_required","message":"The provided second factor is not valid.","error":"mfa_required","kinds":["totp"]}"#
            )
        ])
        let calls = Counter()
        let auth = PasswordAuth(
            username: "admin", password: "start123", baseURL: Fixture.base,
            oneTimeCode: Self.provider(["000000"], calls: calls))
        let refused = await #expect(throws: HubAPIError.self) {
            _ = try await Fixture.authClient(server.mock, auth: auth).realms.list()
        }
        #expect(refused?.code == "mfa_required" && refused?.message == "The provided second factor is not valid.")
        #expect(calls.count == 1)

        struct NoCode: Error {}
        let failing = Server(tokens: [.json(200, Fixture.token("A"))])
        let broken = PasswordAuth(username: "admin", password: "start123", baseURL: Fixture.base) { throw NoCode() }
        await #expect(throws: NoCode.self) {
            _ = try await Fixture.authClient(failing.mock, auth: broken).realms.list()
        }
        #expect(failing.tokenRequests.count == 0)
    }

    /// Other 400s of the token endpoint stay ``HubAPIError``.
    @Test func otherLoginFailuresStayAPIErrors() async throws {
        let server = Server(tokens: [
            .json(400, #"{"code":"invalid_grant","message":"The credentials are invalid.","error":"invalid_grant"}"#)
        ])
        let auth = PasswordAuth(username: "admin", password: "wrong", baseURL: Fixture.base)
        let error = await #expect(throws: HubAPIError.self) {
            _ = try await Fixture.authClient(server.mock, auth: auth).realms.list()
        }
        #expect(error?.code == "invalid_grant")
    }
}
