import FlameHub
import FlameHubEmulator
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

/// `/users/:id/authenticators` on the emulator: enrolment, RFC 6238 confirmation, `@me`, user
/// isolation and secrets never read back; plus the TOTP helper against the RFC's vectors.
@Suite struct AuthAuthenticatorRouteTests {
    static let modern: [HubGeneration] = [.transitional, .current]
    /// An authup deployed with `MFA_ENABLED=true`, which enrolment needs.
    static let mfa = HubEmulator.Configuration(switches: HubEmulator.Switches(mfaEnabled: true))

    /// A six-digit code that is none of the codes the window accepts now.
    static func wrongCode(for seed: [UInt8]) -> String? {
        let now = Date().timeIntervalSince1970
        let valid = Set([-30.0, 0, 30].map { TOTP.code(secret: seed, at: now + $0) })
        return ["000000", "111111", "222222", "333333"].first { !valid.contains($0) }
    }

    /// RFC 6238 appendix B: the seeds are "12345678901234567890" repeated to the hash's size.
    @Test func totpMatchesTheRFC6238Vectors() {
        let seed1 = Array("12345678901234567890".utf8)
        let seed256 = Array("12345678901234567890123456789012".utf8)
        let seed512 = Array("1234567890123456789012345678901234567890123456789012345678901234".utf8)
        let vectors: [(Double, String, String, String)] = [
            (59, "94287082", "46119246", "90693936"),
            (1_111_111_109, "07081804", "68084774", "25091201"),
            (1_111_111_111, "14050471", "67062674", "99943326"),
            (1_234_567_890, "89005924", "91819424", "93441116"),
            (2_000_000_000, "69279037", "90698825", "38618901"),
            (20_000_000_000, "65353130", "77737706", "47863826"),
        ]
        for (time, sha1, sha256, sha512) in vectors {
            #expect(TOTP.code(secret: seed1, at: time, digits: 8) == sha1, "SHA1 at \(time)")
            #expect(TOTP.code(secret: seed256, at: time, digits: 8, algorithm: .sha256) == sha256, "SHA256 at \(time)")
            #expect(TOTP.code(secret: seed512, at: time, digits: 8, algorithm: .sha512) == sha512, "SHA512 at \(time)")
        }
        // Six digits are the last six of the eight; one step either side is accepted, two are not.
        #expect(TOTP.code(secret: seed1, at: 59) == "287082")
        #expect(TOTP.validate("287082", secret: seed1, at: 59 + 30))
        #expect(TOTP.validate(" 287082 ", secret: seed1, at: 59 - 30))
        #expect(!TOTP.validate("287082", secret: seed1, at: 59 + 60))
        #expect(!TOTP.validate("287 082", secret: seed1, at: 59))
    }

    /// RFC 4648 §10.
    @Test func base32MatchesTheRFC4648Vectors() {
        let vectors = [
            ("", ""), ("f", "MY"), ("fo", "MZXQ"), ("foo", "MZXW6"), ("foob", "MZXW6YQ"), ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI"),
        ]
        for (plain, encoded) in vectors {
            #expect(TOTP.base32Encode(Array(plain.utf8)) == encoded)
            #expect(TOTP.base32Decode(encoded) == Array(plain.utf8))
            #expect(TOTP.base32Decode(encoded.lowercased() + "====") == Array(plain.utf8))
        }
        #expect(TOTP.base32Decode("MZ1W") == nil)
    }

    @Test(arguments: modern)
    func totpEnrolsUnconfirmedAndConfirmsWithACurrentCode(generation: HubGeneration) async throws {
        try await withHub(generation, configuration: Self.mfa) { hub in
            let admin = try await hub.adminToken()
            let enrolled = try await hub.post(
                "/auth/users/@me/authenticators", ["kind": "totp", "name": "phone"], token: admin)
            #expect(enrolled.status == 201, "\(enrolled.text)")
            let device = try #require(enrolled.json?["data"]?.objectValue)
            let id = try #require(device["id"]?.stringValue)
            #expect(device["confirmed"] == false && device["secret"] == .null && device["codes"] == .null)
            #expect(device["parameters"] == #"{"algorithm":"SHA1","digits":6,"period":30}"#)
            let secret = try #require(enrolled.json?["meta"]?["secret"]?.stringValue)
            #expect(secret.count == 32 && TOTP.base32Decode(secret)?.count == 20)
            #expect(
                enrolled.json?["meta"]?["uri"]
                    == .string(
                        "otpauth://totp/127.0.0.1:admin?issuer=127.0.0.1&secret=\(secret)&algorithm=SHA1&digits=6&period=30"
                    ))

            let missing = try await hub.post("/auth/users/@me/authenticators/\(id)/confirm", [:], token: admin)
            #expect(missing.status == 400 && missing.object["message"] == "A code must be provided.", "\(missing.text)")
            let seed = try #require(TOTP.base32Decode(secret))
            let confirmed = try await hub.post(
                "/auth/users/@self/authenticators/\(id)/confirm", ["code": .string(TOTP.code(secret: seed))],
                token: admin)
            #expect(confirmed.status == 200 && confirmed.record(generation)["confirmed"] == true, "\(confirmed.text)")
            // A confirmed device comes back as it is, whatever the code.
            let again = try await hub.post("/auth/users/@me/authenticators/\(id)/confirm", ["code": "x"], token: admin)
            #expect(again.status == 200 && again.record(generation)["confirmed"] == true)

            let listed = try await hub.get("/auth/users/@me/authenticators?filter[confirmed]=true", token: admin)
            #expect(listed.rows.map { $0["id"]?.stringValue } == [id], "\(listed.text)")
            #expect(!listed.text.contains(secret) && listed.object["meta"]?["total"] == 1)
            let read = try await hub.get("/auth/users/@me/authenticators/\(id)", token: admin)
            #expect(read.record(generation)["kind"] == "totp" && !read.text.contains(secret))

            // A second device, and a wrong code for it: authup's invalid_credentials.
            let other = try await hub.post("/auth/users/@me/authenticators", ["kind": "totp"], token: admin)
            let otherID = try #require(other.json?["data"]?["id"]?.stringValue)
            let otherSeed = try #require(other.json?["meta"]?["secret"]?.stringValue.flatMap(TOTP.base32Decode))
            let wrong = try #require(Self.wrongCode(for: otherSeed))
            let rejected = try await hub.post(
                "/auth/users/@me/authenticators/\(otherID)/confirm", ["code": .string(wrong)], token: admin)
            #expect(rejected.status == 400 && rejected.object["code"] == "invalid_credentials", "\(rejected.text)")

            let deleted = try await hub.send(.delete, "/auth/users/@me/authenticators/\(id)", token: admin)
            #expect(deleted.status == 202 && deleted.record(generation)["id"]?.stringValue == id)
            #expect(try await hub.get("/auth/users/@me/authenticators/\(id)", token: admin).status == 404)
            #expect(try await hub.get("/auth/users/@me/authenticators").status == 401)
        }
    }

    @Test(arguments: modern)
    func devicesStayWithTheirUser(generation: HubGeneration) async throws {
        try await withHub(generation, configuration: Self.mfa) { hub in
            let admin = try await hub.adminToken()
            let adminID = try #require(
                try await hub.get("/auth/users/@me", token: admin).record(generation)["id"]?.stringValue)
            let device = try await hub.post("/auth/users/@me/authenticators", ["kind": "totp"], token: admin)
            let deviceID = try #require(device.json?["data"]?["id"]?.stringValue)
            let created = try await hub.post(
                "/auth/users", ["name": "mallory", "password": "mallory-secret-1", "email": "m@example.com"],
                token: admin)
            let malloryID = try #require(created.record(generation)["id"]?.stringValue, "\(created.text)")
            let mallory = try #require(
                try await hub.login(username: "mallory", password: "mallory-secret-1")["access_token"]?.stringValue)

            #expect(try await hub.get("/auth/users/@me/authenticators", token: mallory).rows.isEmpty)
            // Another user's device is a 404 on one's own route, a 403 on the owner's.
            #expect(try await hub.get("/auth/users/@me/authenticators/\(deviceID)", token: mallory).status == 404)
            let foreign = try await hub.get("/auth/users/\(adminID)/authenticators", token: mallory)
            #expect(foreign.status == 403 && foreign.object["code"] == "permission_denied", "\(foreign.text)")
            #expect(
                try await hub.send(.delete, "/auth/users/\(adminID)/authenticators/\(deviceID)", token: mallory).status
                    == 403)
            #expect(
                try await hub.post(
                    "/auth/users/\(adminID)/authenticators/\(deviceID)/confirm", ["code": "1"], token: mallory
                )
                .status == 403)
            #expect(
                try await hub.post("/auth/users/\(adminID)/authenticators", ["kind": "totp"], token: mallory).status
                    == 403)

            // The admin reads anyone's devices but enrols no one else's factor but e-mail, which
            // needs a mail transport the emulator does not have.
            #expect(try await hub.get("/auth/users/\(malloryID)/authenticators", token: admin).status == 200)
            let planted = try await hub.post("/auth/users/\(malloryID)/authenticators", ["kind": "totp"], token: admin)
            #expect(
                planted.status == 400
                    && planted.object["message"] == "A totp authenticator can only be enrolled by the account owner.",
                "\(planted.text)")
            let mailed = try await hub.post("/auth/users/\(malloryID)/authenticators", ["kind": "email"], token: admin)
            #expect(mailed.status == 400 && mailed.object["code"] == "mfa_not_configurable", "\(mailed.text)")
            #expect(
                try await hub.send(.delete, "/auth/users/\(adminID)/authenticators/\(deviceID)", token: admin).status
                    == 202)

            let client = try await hub.post(
                "/auth/token", ["grant_type": "client_credentials", "client_id": "system", "client_secret": "start123"])
            let clientToken = try #require(client.object["access_token"]?.stringValue, "\(client.text)")
            let selfless = try await hub.get("/auth/users/@me/authenticators", token: clientToken)
            #expect(
                selfless.status == 400
                    && selfless.object["message"] == "The @me/@self token can only be used by a user identity.")
        }
    }

    @Test(arguments: modern)
    func recoveryAndWebAuthnEnrolAsAuthupDoes(generation: HubGeneration) async throws {
        try await withHub(generation, configuration: Self.mfa) { hub in
            let admin = try await hub.adminToken()
            let first = try await hub.post("/auth/users/@me/authenticators", ["kind": "recovery"], token: admin)
            #expect(first.status == 201 && first.json?["data"]?["confirmed"] == true, "\(first.text)")
            let codes = first.json?["meta"]?["codes"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(codes.count == 10)
            #expect(codes.allSatisfy { $0.wholeMatch(of: /[2-9a-hjkmnp-z]{5}-[2-9a-hjkmnp-z]{5}/) != nil }, "\(codes)")
            // One set per user, regenerated in place.
            let second = try await hub.post(
                "/auth/users/@me/authenticators", ["kind": "recovery", "name": "paper"], token: admin)
            #expect(second.json?["data"]?["id"] == first.json?["data"]?["id"])
            let listed = try await hub.get("/auth/users/@me/authenticators", token: admin)
            #expect(listed.rows.count == 1 && !codes.contains { listed.text.contains($0) })

            let webauthn = try await hub.post("/auth/users/@me/authenticators", ["kind": "webauthn"], token: admin)
            #expect(webauthn.status == 201 && webauthn.json?["meta"]?["webauthn"]?["challenge"]?.stringValue != nil)
            let webauthnID = try #require(webauthn.json?["data"]?["id"]?.stringValue)
            let malformed = try await hub.post(
                "/auth/users/@me/authenticators/\(webauthnID)/confirm", ["code": "not json"], token: admin)
            #expect(malformed.status == 400 && malformed.object["message"] == "The registration response is malformed.")

            let invalid = try await hub.post(
                "/auth/users/@me/authenticators", ["kind": "sms", "name": ""], token: admin)
            #expect(invalid.status == 400 && invalid.object["issues"]?.arrayValue?.count == 2, "\(invalid.text)")
        }
    }

    /// The password grant of a user with a confirmed device wants `otp` (`password.ts`).
    @Test(arguments: modern)
    func loggingInWithADeviceNeedsASecondFactor(generation: HubGeneration) async throws {
        try await withHub(generation, configuration: Self.mfa) { hub in
            let admin = try await hub.adminToken()
            let enrolled = try await hub.post("/auth/users/@me/authenticators", ["kind": "totp"], token: admin)
            let id = try #require(enrolled.json?["data"]?["id"]?.stringValue)
            let seed = try #require(enrolled.json?["meta"]?["secret"]?.stringValue.flatMap(TOTP.base32Decode))
            // An unconfirmed device asks for nothing.
            #expect(try await hub.login()["access_token"] != nil)
            let code = TOTP.code(secret: seed)
            _ = try await hub.post(
                "/auth/users/@me/authenticators/\(id)/confirm", ["code": .string(code)], token: admin)
            let recovery = try await hub.post("/auth/users/@me/authenticators", ["kind": "recovery"], token: admin)
            let recoveryCode = try #require(recovery.json?["meta"]?["codes"]?.arrayValue?.first?.stringValue)

            let password: EmulatorJSONObject = ["grant_type": "password", "username": "admin", "password": "start123"]
            let bare = try await hub.post("/auth/token", .object(password))
            #expect(bare.status == 400 && bare.object["code"] == "mfa_required", "\(bare.text)")
            #expect(bare.object["error"] == "mfa_required" && bare.object["kinds"] == ["totp", "recovery"])
            var withCode = password
            // The code of the confirmation logs in once (authup tracks only log-in steps).
            withCode["otp"] = .string(code)
            #expect(try await hub.post("/auth/token", .object(withCode)).object["access_token"] != nil)
            withCode["otp"] = .string(recoveryCode.uppercased())
            #expect(try await hub.post("/auth/token", .object(withCode)).object["access_token"] != nil)
            // The same step again, like a used recovery code, is refused.
            withCode["otp"] = .string(code)
            let replayed = try await hub.post("/auth/token", .object(withCode))
            #expect(
                replayed.status == 400 && replayed.object["message"] == "The provided second factor is not valid.",
                "\(replayed.text)")
            let listed = try await hub.get("/auth/users/@me/authenticators?filter[kind]=totp", token: admin)
            #expect(listed.rows.first?["lastUsedAt"]?.stringValue != nil)
        }
    }

    /// authup's default (`mfaEnabled: false`, `normalize.ts`), which the Hub's deployment keeps:
    /// `assertEnabled` refuses every enrolment, before the body is validated; listing still works.
    @Test(arguments: modern)
    func enrolmentIsRefusedWithoutMFAEnabled(generation: HubGeneration) async throws {
        #expect(HubEmulator.Switches().mfaEnabled == false)
        try await withHub(generation) { hub in
            let admin = try await hub.adminToken()
            for body: EmulatorJSON in [["kind": "totp"], ["kind": "recovery"], ["kind": "nonsense"]] {
                let refused = try await hub.post("/auth/users/@me/authenticators", body, token: admin)
                #expect(refused.status == 400, "\(refused.text)")
                #expect(refused.object["code"] == "mfa_not_configurable")
                #expect(refused.object["message"] == "Multi-factor authentication is not enabled.")
            }
            let listed = try await hub.get("/auth/users/@me/authenticators", token: admin)
            #expect(listed.status == 200 && listed.rows.isEmpty, "\(listed.text)")
        }
    }

    /// beta.63 describes the list's and a record's query vocabulary (`schema.ts`); beta.56 does not.
    @Test(arguments: modern)
    func listsDescribeTheirSchemaOnBeta63(generation: HubGeneration) async throws {
        try await withHub(generation, configuration: Self.mfa) { hub in
            let admin = try await hub.adminToken()
            let enrolled = try await hub.post("/auth/users/@me/authenticators", ["kind": "totp"], token: admin)
            let id = try #require(enrolled.json?["data"]?["id"]?.stringValue)
            let listed = try await hub.get("/auth/users/@me/authenticators", token: admin)
            let read = try await hub.get("/auth/users/@me/authenticators/\(id)", token: admin)
            switch generation {
            case .legacy, .transitional:
                #expect(listed.object["meta"]?["schema"] == nil && read.object["meta"] == nil)
            case .current:
                let schema = try #require(listed.object["meta"]?["schema"])
                #expect(schema["name"] == "userAuthenticator" && schema["pagination"]?["maxLimit"] == 50)
                #expect(
                    schema["filters"]?["allowed"] == ["id", "kind", "confirmed", "userId", "realmId", "lastUsedAt"])
                #expect(schema["sorts"]?["allowed"] == ["createdAt", "updatedAt", "lastUsedAt"])
                #expect(
                    schema["indexes"]?.arrayValue?.first == ["id"]
                        && schema["relations"]?["allowed"] == ["user", "realm"])
                let single = try #require(read.object["meta"]?["schema"]?.objectValue)
                #expect(Set(single.keys) == ["name", "strict", "indexes", "fields", "relations"])
                #expect(read.record(generation)["id"]?.stringValue == id)
            }
        }
    }

    @Test func legacyAuthupHasNoAuthenticators() async throws {
        try await withHub(.legacy) { hub in
            let admin = try await hub.adminToken()
            #expect(try await hub.get("/auth/users/@me/authenticators", token: admin).status == 404)
        }
    }
}
