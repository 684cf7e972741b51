import FlameHub
import FlameHubTesting
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

/// User authenticators on the mock: paths with `@me` or a user id, bodies, the beta.56 and
/// beta.63 answers, and the enrolment's one-time material kept out of descriptions.
@Suite("authup user authenticators: paths, bodies, answers, secrets")
struct AuthAuthenticatorTests {
    static let device = "0b6c2a4e-58f1-4c1e-9d3a-7f2e1b0c9d84"
    static let seed = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    static let record = """
        {"id":"\(device)","kind":"totp","name":"phone","secret":null,\
        "parameters":"{\\"algorithm\\":\\"SHA1\\",\\"digits\\":6,\\"period\\":30}","codes":null,\
        "confirmed":false,"lastUsedAt":null,"userId":"\(Fixture.userID)","realmId":"\(Fixture.realmID)",\
        "createdAt":"2026-05-12T09:44:08Z","updatedAt":"2026-05-12T09:44:08Z"}
        """

    @Test func enrolmentSendsKindAndNameAndKeepsTheSeedSecret() async throws {
        let uri = "otpauth://totp/authup:admin?issuer=authup&secret=\(Self.seed)&algorithm=SHA1&digits=6&period=30"
        let mock = MockTransport { _ in
            .json(
                201,
                #"{"data":\#(Self.record),"meta":{"secret":"\#(Self.seed)","uri":"\#(uri)","qr":"data:image/png;base64,AAAA"}}"#
            )
        }
        let auth = Fixture.authClient(mock, auth: "tok")
        let enrollment = try await auth.enrollAuthenticator(CreateUserAuthenticator(kind: .totp, name: "phone"))
        #expect(mock.requests[0].line == "POST /auth/users/@me/authenticators")
        #expect(mock.requests[0].json == ["kind": .string("totp"), "name": .string("phone")])
        #expect(enrollment.authenticator.kind == .totp && !enrollment.authenticator.confirmed)
        #expect(enrollment.authenticator.parameters?.contains("SHA1") == true)
        #expect(enrollment.secret?.revealed == Self.seed && enrollment.uri?.revealed == uri)
        #expect(enrollment.qrCode != nil && enrollment.recoveryCodes == nil)
        for text in [
            String(describing: enrollment), String(reflecting: enrollment), "\(enrollment)",
            String(describing: enrollment.secret as Any), String(describing: enrollment.uri as Any),
        ] {
            #expect(!text.contains(Self.seed) && !text.contains("otpauth"), "\(text)")
        }
        var dumped = ""
        dump(enrollment, to: &dumped)
        #expect(!dumped.contains(Self.seed), "\(dumped)")
    }

    @Test func recoveryCodesAreSecretsToo() async throws {
        let recovery = Self.record.replacing(#""kind":"totp""#, with: #""kind":"recovery""#)
        let mock = MockTransport { _ in
            .json(201, #"{"data":\#(recovery),"meta":{"codes":["2345a-bcdef","ghjkm-npqrs"]}}"#)
        }
        let auth = Fixture.authClient(mock, auth: "tok")
        let user = try UserReference(Fixture.userID)
        let enrollment = try await auth.enrollAuthenticator(CreateUserAuthenticator(kind: .recovery), for: user)
        #expect(mock.requests[0].line == "POST /auth/users/\(Fixture.userID)/authenticators")
        #expect(mock.requests[0].json == ["kind": .string("recovery")])
        #expect(enrollment.recoveryCodes?.map(\.revealed) == ["2345a-bcdef", "ghjkm-npqrs"])
        #expect(!"\(enrollment.recoveryCodes ?? [])".contains("2345a"))
        #expect(throws: HubClientError.self) { _ = try UserReference("not-a-uuid") }
    }

    @Test(arguments: [HubDialect.auth(version: "1.0.0-beta.56"), .auth(version: "1.0.0-beta.63")])
    func listGetConfirmDeleteOnBothAnswerShapes(dialect: HubDialect) async throws {
        // beta.56 answers get and confirm with the bare record, beta.63 with `{data, meta}`.
        let single = dialect.generation == .current ? Fixture.enveloped(Self.record) : Self.record
        let mock = MockTransport { request in
            switch (request.request.method, request.target) {
            case (.get, let path) where path.contains("authenticators?"):
                .json(200, Fixture.list([Self.record]))
            case (.get, let path) where path.contains("00000000-"):
                .json(404, #"{"code":"entity_not_found","message":"Entity not found."}"#)
            case (.delete, _): .json(202, single)
            default: .json(200, single.replacing(#""confirmed":false"#, with: #""confirmed":true"#))
            }
        }
        let auth = Fixture.authClient(mock, dialect: dialect, auth: "tok")
        let listed = try await auth.getAuthenticators(filter: ["kind": .equals("totp")], page: Page(limit: 10))
        #expect(listed.map { $0.id.uuidString.lowercased() } == [Self.device])
        let device = try #require(try await auth.getAuthenticator(Self.device))
        #expect(device.userId.uuidString.lowercased() == Fixture.userID)
        #expect(try await auth.getAuthenticator("00000000-0000-4000-8000-000000000000") == nil)
        let confirmed = try await auth.confirmAuthenticator(device, code: "123456")
        #expect(confirmed.confirmed)
        try await auth.deleteAuthenticator(device, of: UserReference.id(device.userId))
        let lines = mock.requests.map { $0.line.removingPercentEncodingForTest }
        #expect(
            lines == [
                "GET /auth/users/@me/authenticators?page[limit]=10&page[offset]=0&filter[kind]=totp",
                "GET /auth/users/@me/authenticators/\(Self.device)",
                "GET /auth/users/@me/authenticators/00000000-0000-4000-8000-000000000000",
                "POST /auth/users/@me/authenticators/\(Self.device)/confirm",
                "DELETE /auth/users/\(Fixture.userID)/authenticators/\(Self.device)",
            ])
        #expect(mock.requests[3].json == ["code": .string("123456")])
    }

    @Test func legacyServersHaveNoAuthenticators() async throws {
        let mock = MockTransport { _ in .json(200, Fixture.list([])) }
        let legacy = Fixture.authClient(mock, dialect: .auth(version: "1.0.0-beta.26"), auth: "tok")
        await #expect(throws: HubClientError.self) { _ = try await legacy.getAuthenticators() }
        await #expect(throws: HubClientError.self) {
            _ = try await legacy.enrollAuthenticator(CreateUserAuthenticator(kind: .totp))
        }
        #expect(mock.requests.isEmpty)
    }

    @Test func aWrongCodeIsAnAPIErrorWithoutTheCode() async throws {
        let mock = MockTransport { _ in
            .json(400, #"{"code":"invalid_credentials","message":"Credentials are invalid.","name":"AuthupError"}"#)
        }
        let auth = Fixture.authClient(mock, auth: "tok")
        let error = await #expect(throws: HubAPIError.self) {
            try await auth.confirmAuthenticator(Self.device, code: "987654")
        }
        #expect(error?.status == 400 && error?.code == "invalid_credentials")
        #expect(!"\(String(describing: error))".contains("987654"))
        #expect(!"\(ConfirmUserAuthenticator(code: "987654"))".contains("987654"))
    }

    @Test func unknownKindsDecodeAsThemselves() throws {
        let kind = UserAuthenticatorKind(rawValue: "passkey-v2")
        #expect(kind.rawValue == "passkey-v2" && kind != .webauthn)
        #expect(
            [UserAuthenticatorKind.totp, .recovery, .email, .webauthn].map(\.rawValue) == [
                "totp", "recovery", "email", "webauthn",
            ])
    }
}
