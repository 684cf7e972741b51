import Crypto
import FlameHub

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A user's second-factor devices, `/users/:id/authenticators` (authup ≥ 1.0.0-beta.53: the
/// transitional and current generations), after
/// `adapters/http/controllers/entities/user-authenticator/module.ts` and
/// `core/entities/user-authenticator/{service,helpers,constants}.ts` at v1.0.0-beta.63 (the
/// same behaviour at beta.56, whose get, confirm and delete answer the bare record).
///
/// As authup by default, the emulator runs without MFA (``HubEmulator/Switches/mfaEnabled``,
/// `MFA_ENABLED`): enrolment is refused. With it, it is an authup with a public URL (so TOTP,
/// recovery and WebAuthn enrol) but without a mail transport (so e-mail enrolment is refused, as
/// authup refuses it), and the password grant of a user with a confirmed device wants `otp`
/// (``verifySecondFactor(_:otp:enabled:store:)``).
enum AuthAuthenticatorService {
    static let table = "auth/user-authenticators"
    /// Failed confirmations per user: `count` and `lockedUntil` (seconds).
    static let attemptsTable = "auth/user-authenticator-attempts"

    static func routes(_ generation: HubGeneration) -> [Route] {
        switch generation {
        case .legacy: return []
        case .transitional, .current:
            let base = "/users/:id/authenticators"
            return [
                Route([.get], base, access: .authenticated) { context in try list(context) },
                Route([.post], base, access: .authenticated) { context in try enroll(context) },
                Route([.get], base + "/:deviceId", access: .authenticated) { context in try read(context) },
                Route([.delete], base + "/:deviceId", access: .authenticated) { context in try delete(context) },
                Route([.post], base + "/:deviceId/confirm", access: .authenticated) { context in
                    try confirm(context)
                },
            ]
        }
    }

    // MARK: Routes

    /// `GET`: the owner's devices ungated, anyone else's with `user_authenticator_read`
    /// (`service.ts` `getMany`); filters on `id`, `kind`, `confirmed`, `userId`, `realmId`.
    static func list(_ context: HandlerContext) throws -> EmulatorResponse {
        let (identity, userId) = try owner(context)
        if !(identity.kind == .user && identity.id == userId) {
            try require("user_authenticator_read", identity)
        }
        let query = RapiqQuery(context.query)
        var conditions: [(String, String)] = []
        for (wireKey, values) in query.filters {
            let key = KeyCasing.camelCase.convert(wireKey)
            guard ["id", "kind", "confirmed", "userId", "realmId"].contains(key), let value = values.last else {
                continue
            }
            conditions.append((key, value))
        }
        let rows = context.state.withStore { store in
            store.rows(table) { row in
                row["userId"]?.stringValue == userId
                    && conditions.allSatisfy { key, value in
                        switch row[key] {
                        case .bool(let flag)?: String(flag) == value
                        case let field?: field.stringValue == value
                        case nil: false
                        }
                    }
            }
        }
        // rapiq's `maxLimit: 50` (`schema.ts`).
        let limit = min(50, query.limit.flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil } ?? 50)
        let offset = query.offset.flatMap(Int.init).flatMap { $0 >= 0 ? $0 : nil } ?? 0
        let page = rows.dropFirst(offset).prefix(limit).map(sanitized)
        var meta: EmulatorJSONObject = ["total": .int(rows.count), "limit": .int(limit), "offset": .int(offset)]
        switch context.generation {
        case .legacy, .transitional: break
        case .current: meta["schema"] = schema(single: false)
        }
        return .json(["data": .array(Array(page)), "meta": .object(meta)])
    }

    /// beta.63's `meta.schema` (`describeQuerySchema(userAuthenticatorSchema)` in the
    /// controller; `core/entities/user-authenticator/schema.ts`), rendered as the emulator
    /// renders the other schemas (rapiq 2.2, undeclared lists `null`). Unlike the Hub's schemas
    /// this one declares `indexes` (so filters and sorts are `indexed`) and no `strict`. A
    /// single read describes only `fields` and `relations` (`RECORD_QUERY_PARAMETERS`).
    static func schema(single: Bool) -> EmulatorJSON {
        var schema: EmulatorJSONObject = [
            "name": "userAuthenticator", "strict": false,
            "indexes": AuthSchemaIndexes.rendered("userAuthenticator") ?? .null,
            "fields": [
                "default": .null,
                "allowed": [
                    "id", "kind", "name", "confirmed", "lastUsedAt", "createdAt", "updatedAt", "userId", "realmId",
                ],
            ],
            "relations": ["allowed": ["user", "realm"], "schemas": ["user": "user", "realm": "realm"]],
        ]
        if !single {
            schema["filters"] = [
                "allowed": ["id", "kind", "confirmed", "userId", "realmId", "lastUsedAt"], "caseSensitive": .null,
                "indexed": true,
            ]
            schema["pagination"] = ["maxLimit": 50]
            schema["sorts"] = ["allowed": ["createdAt", "updatedAt", "lastUsedAt"], "default": .null, "indexed": true]
        }
        return .object(schema)
    }

    /// `GET /:deviceId`: 404 for a device of another user than the route's, else the owner or
    /// `user_authenticator_read`.
    static func read(_ context: HandlerContext) throws -> EmulatorResponse {
        let (identity, userId) = try owner(context)
        let row = try device(context, userId: userId)
        try requireUnlessOwned(row, identity, "user_authenticator_read")
        switch context.generation {
        case .legacy, .transitional: return record(sanitized(row), context)
        case .current: return .json(["data": sanitized(row), "meta": ["schema": schema(single: true)]])
        }
    }

    /// `POST`: validates `{kind, name}` (the route's user wins over a body `userId`), then enrols.
    static func enroll(_ context: HandlerContext) throws -> EmulatorResponse {
        let (identity, userId) = try owner(context)
        // `assertEnabled`, the service's first step (before the body is validated).
        guard context.core.configuration.switches.mfaEnabled else {
            throw mfaNotConfigurable("Multi-factor authentication is not enabled.")
        }
        let body = try context.bodyObject()
        let kinds = ["totp", "recovery", "email", "webauthn"]
        var issues: [ValidationIssue] = []
        let kind = body["kind"]?.stringValue ?? ""
        if !kinds.contains(kind) {
            // zod 4's `z.enum` issue (core-kit `user-authenticator/validator.ts`).
            issues.append(
                ValidationIssue(
                    field: "kind", code: "invalid_value",
                    message: "Invalid option: expected one of \(kinds.map { "\"\($0)\"" }.joined(separator: "|"))"))
        }
        let name: EmulatorJSON
        switch body["name"] {
        case nil, .null?: name = .null
        case .string(let text)? where (1...128).contains(text.count): name = .string(text)
        // zod 4's issues for `z.string().min(1).max(128).nullable()`.
        case .string(let text)? where text.isEmpty:
            issues.append(
                ValidationIssue(
                    field: "name", code: "too_small", message: "Too small: expected string to have >=1 characters"))
            name = .null
        case .string?:
            issues.append(
                ValidationIssue(
                    field: "name", code: "too_big", message: "Too big: expected string to have <=128 characters"))
            name = .null
        default:
            issues.append(
                ValidationIssue(field: "name", code: "invalid_type", message: "Invalid input: expected string"))
            name = .null
        }
        if !issues.isEmpty { throw EmulatorError.validation(issues) }

        let user = try targetUser(context, userId, identity)
        // Only e-mail may be enrolled for someone else (`enroll` in `service.ts`).
        let isSelf = identity.kind == .user && identity.id == userId
        if !isSelf && kind != "email" {
            throw validation("A \(kind) authenticator can only be enrolled by the account owner.")
        }
        let realmId = user["realmId"] ?? .null
        switch kind {
        case "totp":
            return try enrollTOTP(context, user: user, name: name, realmId: realmId)
        case "recovery":
            return enrollRecovery(context, userId: userId, name: name, realmId: realmId)
        case "webauthn":
            return enrollWebAuthn(context, user: user, name: name, realmId: realmId)
        default:
            // `assertMail`: the emulator has no mail transport.
            throw mfaNotConfigurable("Email-based multi-factor authentication requires a configured mail transport.")
        }
    }

    /// `POST /:deviceId/confirm`: a TOTP code within ±1 step (`totp.validate({window: 1})`);
    /// a confirmed device comes back as it is; failures lock the user out for 1, 2, 4 … 300 s.
    static func confirm(_ context: HandlerContext) throws -> EmulatorResponse {
        let (identity, userId) = try owner(context)
        // The controller checks the code before the service looks the device up.
        guard let code = try context.bodyObject()["code"]?.stringValue, !code.isEmpty else {
            throw EmulatorError.badRequest("A code must be provided.")
        }
        var row = try device(context, userId: userId)
        try requireUnlessOwned(row, identity, "user_authenticator_update")
        if row["confirmed"] == .bool(true) { return record(sanitized(row), context) }
        let kind = row["kind"]?.stringValue ?? ""
        try context.state.withStore { store in try assertNotThrottled(store, userId: userId) }
        switch kind {
        case "totp":
            let seed = row["secret"]?.stringValue.flatMap(TOTP.base32Decode)
            guard let seed, TOTP.validate(code, secret: seed, at: Support.now()) else {
                context.state.withStore { store in bumpAttempts(&store, userId: userId) }
                throw invalidCredentials()
            }
        case "webauthn":
            // The registration response must be JSON; an attestation needs a real authenticator,
            // which the emulator cannot check, so every response is an invalid credential.
            guard (try? EmulatorJSON.parse(Array(code.utf8)))?.objectValue != nil else {
                throw validation("The registration response is malformed.")
            }
            context.state.withStore { store in bumpAttempts(&store, userId: userId) }
            throw invalidCredentials()
        default:
            throw validation("The authenticator kind \(kind) can not be confirmed with a code.")
        }
        context.state.withStore { store in _ = store.delete(attemptsTable, id: userId) }
        row["confirmed"] = true
        row["updatedAt"] = .string(Support.timestamp())
        context.state.withStore { store in store.save(table, row) }
        return record(sanitized(row), context)
    }

    /// `DELETE /:deviceId`: 202 with the removed device; the owner or `user_authenticator_delete`.
    static func delete(_ context: HandlerContext) throws -> EmulatorResponse {
        let (identity, userId) = try owner(context)
        let row = try device(context, userId: userId)
        try requireUnlessOwned(row, identity, "user_authenticator_delete")
        context.state.withStore { store in _ = store.delete(table, id: row["id"]?.stringValue ?? "") }
        return record(sanitized(row), context, status: 202)
    }

    // MARK: Log-in

    /// The password grant's second factor (`verifySecondFactor` in
    /// `oauth2/grant-types/password.ts` at v1.0.0-beta.63 and beta.56): a user holding a
    /// confirmed device must send `otp`, a TOTP code (all digits; a step after the last one used)
    /// or an unused recovery code. The MFA-pending `mfa_token` ticket for e-mail and WebAuthn
    /// factors is not emulated. Without `MFA_ENABLED` nothing is asked (`challenge` in
    /// `service.ts` answers `required: false`).
    static func verifySecondFactor(
        _ user: EmulatorJSONObject, otp: String?, enabled: Bool, store: inout Store
    ) throws {
        guard enabled else { return }
        let userId = user["id"]?.stringValue ?? ""
        let confirmed = store.rows(table) { $0["userId"]?.stringValue == userId && $0["confirmed"] == true }
        guard !confirmed.isEmpty else { return }
        var kinds: [EmulatorJSON] = []
        for kind in confirmed.compactMap({ $0["kind"] }) where !kinds.contains(kind) { kinds.append(kind) }
        guard let otp, !otp.isEmpty else { throw mfaRequired("Complete a second-factor challenge to continue.", kinds) }
        try assertNotThrottled(store, userId: userId)
        let response = otp.trimmingWhitespace()
        // `guessUserAuthenticatorKindByResponse` (helpers.ts): all digits is TOTP.
        let isTOTP = (4...10).contains(response.count) && response.allSatisfy { $0.isASCII && $0.isNumber }
        var matched: EmulatorJSONObject?
        for var device in confirmed where device["kind"] == (isTOTP ? "totp" : "recovery") {
            if isTOTP {
                guard let seed = device["secret"]?.stringValue.flatMap(TOTP.base32Decode),
                    let step = TOTP.matchingStep(response, secret: seed, at: Support.now())
                else { continue }
                // The last step used rides in `parameters`, as authup keeps it (replays are refused).
                let parameters = device["parameters"]?.stringValue.flatMap { try? EmulatorJSON.parse(Array($0.utf8)) }
                if let counter = parameters?["counter"]?.intValue, step <= Int64(counter) { continue }
                device["parameters"] = .string(#"{"algorithm":"SHA1","digits":6,"period":30,"counter":\#(step)}"#)
            } else {
                var codes = device["codes"]?.arrayValue ?? []
                let normalized = response.lowercased()
                guard
                    let index = codes.firstIndex(where: {
                        $0["used_at"] == .null && SecretHash.verify(normalized, hash: $0["hash"]?.stringValue ?? "")
                    }), case .object(var entry) = codes[index]
                else { continue }
                entry["used_at"] = .string(Support.timestamp())
                codes[index] = .object(entry)
                device["codes"] = .array(codes)
            }
            matched = device
            break
        }
        guard var device = matched else {
            bumpAttempts(&store, userId: userId)
            throw mfaRequired("The provided second factor is not valid.", kinds)
        }
        device["lastUsedAt"] = .string(Support.timestamp())
        store.save(table, device)
        _ = store.delete(attemptsTable, id: userId)
    }

    /// `OAuth2MfaRequiredError` (`packages/specs/src/oauth2/error/mfa-required.ts`): code and
    /// OAuth2 `error` `mfa_required`, its `data` (the factor kinds) spread into the body.
    static func mfaRequired(_ message: String, _ kinds: [EmulatorJSON]) -> EmulatorError {
        EmulatorError(
            .explicit(status: 400, code: "mfa_required", message: message),
            extras: ["error": "mfa_required", "kinds": .array(kinds)], name: "OAuth2MfaRequiredError")
    }

    // MARK: Enrolment

    /// A 20-byte seed (`new Secret({ size: 20 })`), unconfirmed; `meta` has the seed and the
    /// otpauth library's URI. authup's PNG QR code (`meta.qr`) is left out.
    static func enrollTOTP(
        _ context: HandlerContext, user: EmulatorJSONObject, name: EmulatorJSON, realmId: EmulatorJSON
    )
        throws -> EmulatorResponse
    {
        var seed = [UInt8](repeating: 0, count: 20)
        var generator = SystemRandomNumberGenerator()
        for index in seed.indices { seed[index] = generator.next() }
        let secret = TOTP.base32Encode(seed)
        let issuer = publicHost(context)
        let label = user["name"]?.stringValue ?? ""
        let uri = TOTP.provisioningURI(secret: secret, issuer: issuer, label: label)
        let row = context.state.withStore { store in
            store.insert(
                table,
                [
                    "kind": "totp", "name": name, "secret": .string(secret),
                    "parameters": #"{"algorithm":"SHA1","digits":6,"period":30}"#, "codes": .null,
                    "confirmed": false, "lastUsedAt": .null, "userId": user["id"] ?? .null, "realmId": realmId,
                ])
        }
        return .json(["data": sanitized(row), "meta": ["secret": .string(secret), "uri": .string(uri)]], status: 201)
    }

    /// Ten `xxxxx-xxxxx` codes (`helpers.ts` alphabet without 0/o/1/l/i), stored hashed; one set
    /// per user, regenerated in place; confirmed at once.
    static func enrollRecovery(_ context: HandlerContext, userId: String, name: EmulatorJSON, realmId: EmulatorJSON)
        -> EmulatorResponse
    {
        let alphabet = Array("23456789abcdefghjkmnpqrstuvwxyz")
        var generator = SystemRandomNumberGenerator()
        let codes = (0..<10).map { _ in
            String((0..<10).map { _ in alphabet[Int(generator.next(upperBound: UInt(alphabet.count)))] })
        }.map { "\($0.prefix(5))-\($0.suffix(5))" }
        let stored = EmulatorJSON.array(codes.map { ["hash": .string(SecretHash.make($0)), "used_at": .null] })
        let row = context.state.withStore { store -> EmulatorJSONObject in
            if var existing = store.rows(
                table, where: { $0["userId"]?.stringValue == userId && $0["kind"] == "recovery" }
            )
            .first {
                existing["name"] = name
                existing["codes"] = stored
                existing["confirmed"] = true
                existing["updatedAt"] = .string(Support.timestamp())
                store.save(table, existing)
                return existing
            }
            return store.insert(
                table,
                [
                    "kind": "recovery", "name": name, "secret": .null, "parameters": .null, "codes": stored,
                    "confirmed": true, "lastUsedAt": .null, "userId": .string(userId), "realmId": realmId,
                ])
        }
        return .json(["data": sanitized(row), "meta": ["codes": .array(codes.map { .string($0) })]], status: 201)
    }

    /// SimpleWebAuthn's registration options as `webauthn.ts` requests them (attestation `none`,
    /// resident key discouraged, user verification preferred), for an unconfirmed device.
    static func enrollWebAuthn(
        _ context: HandlerContext, user: EmulatorJSONObject, name: EmulatorJSON, realmId: EmulatorJSON
    ) -> EmulatorResponse {
        var generator = SystemRandomNumberGenerator()
        let challenge = Support.base64URL((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let host = publicHost(context)
        let userName = user["name"] ?? .null
        let options: EmulatorJSON = [
            "challenge": .string(challenge), "rp": ["name": .string(host), "id": .string(host)],
            "user": [
                "id": .string(Support.base64URL(Array((user["id"]?.stringValue ?? "").utf8))), "name": userName,
                "displayName": "",
            ],
            "pubKeyCredParams": [
                ["alg": -8, "type": "public-key"], ["alg": -7, "type": "public-key"],
                ["alg": -257, "type": "public-key"],
            ],
            "timeout": 60000, "attestation": "none", "excludeCredentials": [],
            "authenticatorSelection": [
                "residentKey": "discouraged", "userVerification": "preferred", "requireResidentKey": false,
            ],
            "extensions": ["credProps": true], "hints": [],
        ]
        let row = context.state.withStore { store in
            store.insert(
                table,
                [
                    "kind": "webauthn", "name": name, "secret": .null, "parameters": .null, "codes": .null,
                    "confirmed": false, "lastUsedAt": .null, "userId": user["id"] ?? .null, "realmId": realmId,
                ])
        }
        return .json(["data": sanitized(row), "meta": ["webauthn": options]], status: 201)
    }

    // MARK: Support

    /// authup's TOTP issuer and WebAuthn relying party are its public URL's host name; the
    /// emulator's is the one it is reached at.
    static func publicHost(_ context: HandlerContext) -> String {
        let host = context.header("Host") ?? "127.0.0.1"
        // `[::1]:8080` → `::1` (a URL's hostname), `127.0.0.1:8080` → `127.0.0.1`.
        if host.hasPrefix("["), let end = host.firstIndex(of: "]") {
            return String(host[host.index(after: host.startIndex)..<end])
        }
        return String(host.split(separator: ":").first ?? "127.0.0.1")
    }

    /// The caller and the route's user: `@me`/`@self` is the calling user, 400 for a client
    /// (`resolveUserId` in the controller).
    static func owner(_ context: HandlerContext) throws -> (Identity, String) {
        guard let identity = context.identity else { throw EmulatorError(.unauthorized) }
        let id = context.parameters["id"] ?? ""
        guard id == "@me" || id == "@self" else { return (identity, id) }
        guard identity.kind == .user else {
            throw EmulatorError.badRequest("The @me/@self token can only be used by a user identity.")
        }
        return (identity, identity.id)
    }

    /// The route's device, 404 when missing or another user's — never an existence oracle
    /// (`resolveOne`).
    static func device(_ context: HandlerContext, userId: String) throws -> EmulatorJSONObject {
        let id = context.parameters["deviceId"] ?? ""
        guard let row = context.state.withStore({ store in store.find(table, id: id) }),
            row["userId"]?.stringValue == userId
        else { throw EmulatorError.notFound("userAuthenticator") }
        return row
    }

    /// The user a device is enrolled for: the caller, or (with `user_authenticator_create`) an
    /// existing user (`resolveTargetUser`).
    static func targetUser(_ context: HandlerContext, _ userId: String, _ identity: Identity) throws
        -> EmulatorJSONObject
    {
        let user = context.state.withStore { store in store.find(AuthTable.users, id: userId) }
        guard let user else { throw EmulatorError.notFound("user") }
        if !(identity.kind == .user && identity.id == userId) { try require("user_authenticator_create", identity) }
        return user
    }

    static func requireUnlessOwned(_ row: EmulatorJSONObject, _ identity: Identity, _ permission: String) throws {
        guard !(identity.kind == .user && row["userId"]?.stringValue == identity.id) else { return }
        try require(permission, identity)
    }

    static func require(_ permission: String, _ identity: Identity) throws {
        guard identity.has(permission) else { throw EmulatorError(.permissionDenied(permission: permission)) }
    }

    /// The record without its secret and codes, which authup nulls on every read (`sanitize`).
    static func sanitized(_ row: EmulatorJSONObject) -> EmulatorJSON {
        var row = row
        row["secret"] = .null
        row["codes"] = .null
        return .object(row)
    }

    /// beta.63 wraps get, confirm and delete in `{data, meta}`; beta.56 answers the record.
    static func record(_ record: EmulatorJSON, _ context: HandlerContext, status: Int = 200) -> EmulatorResponse {
        switch context.generation {
        case .legacy, .transitional: .json(record, status: status)
        case .current: .json(["data": record, "meta": [:]], status: status)
        }
    }

    static func validation(_ message: String) -> EmulatorError {
        EmulatorError(.explicit(status: 400, code: "bad_request", message: message), name: "ValidationError")
    }

    /// `EntityCredentialsInvalidError` (code `invalid_credentials`, which `status.ts` maps to no
    /// status, so 400).
    static func invalidCredentials() -> EmulatorError {
        EmulatorError(
            .explicit(status: 400, code: "invalid_credentials", message: "Credentials are invalid."),
            name: "EntityCredentialsInvalidError")
    }

    static func mfaNotConfigurable(_ message: String) -> EmulatorError {
        EmulatorError(.explicit(status: 400, code: "mfa_not_configurable", message: message))
    }

    /// 429 while a failure's lock lasts, with `retryAfter` seconds (`assertNotThrottled`; an
    /// `AuthupError`'s `data` is spread into the body by its `toJSON`, `packages/errors/src/module.ts`).
    static func assertNotThrottled(_ store: Store, userId: String) throws {
        let lockedUntil = store.find(attemptsTable, id: userId)?["lockedUntil"]?.doubleValue
        let now = Support.now()
        guard let lockedUntil, lockedUntil > now else { return }
        throw EmulatorError(
            .explicit(
                status: 429, code: "mfa_attempt_throttled",
                message: "Too many failed verification attempts. Please try again later."),
            extras: ["retryAfter": .int(Int((lockedUntil - now).rounded(.up)))], name: "MfaThrottledError")
    }

    /// The n-th failure within an hour locks for min(300, 2^(n-1)) seconds (`bumpAttempts`).
    static func bumpAttempts(_ store: inout Store, userId: String) {
        let now = Support.now()
        var row = store.find(attemptsTable, id: userId) ?? ["id": .string(userId), "count": 0, "firstAt": .double(now)]
        if (row["firstAt"]?.doubleValue ?? now) + 3600 < now {
            row = ["id": .string(userId), "count": 0, "firstAt": .double(now)]
        }
        let count = (row["count"]?.intValue ?? 0) + 1
        row["count"] = .int(count)
        row["lockedUntil"] = .double(now + Double(min(300, 1 << min(count - 1, 16))))
        store.save(attemptsTable, row)
    }
}

/// RFC 6238 one-time passwords and RFC 4648 base32, as authenticator apps compute them: for
/// tests that enrol a TOTP device against the emulator (started with
/// ``HubEmulator/Switches/mfaEnabled``) or a real authup (`MFA_ENABLED=true`), confirm it and
/// log in with its codes (`PasswordAuth(…, oneTimeCode:)`).
///
/// ```swift
/// let enrollment = try await auth.enrollAuthenticator(CreateUserAuthenticator(kind: .totp))
/// let seed = try #require(enrollment.secret.flatMap { TOTP.base32Decode($0.revealed) })
/// try await auth.confirmAuthenticator(enrollment.authenticator, code: SecretString(TOTP.code(secret: seed)))
/// ```
public enum TOTP {
    /// The HMAC hash of a TOTP.
    public enum Algorithm: Sendable {
        case sha1, sha256, sha512
    }

    /// The code of `secret` at `time` (seconds since 1970): HOTP (RFC 4226) of the
    /// `period`-second step, truncated to `digits` digits.
    public static func code(
        secret: [UInt8], at time: Double = Date().timeIntervalSince1970, digits: Int = 6, period: Int = 30,
        algorithm: Algorithm = .sha1
    ) -> String {
        code(secret: secret, counter: UInt64(max(0, time) / Double(period)), digits: digits, algorithm: algorithm)
    }

    /// Whether `code` is the code of the step at `time` or of one step either side (authup's
    /// `window: 1`).
    public static func validate(_ code: String, secret: [UInt8], at time: Double, digits: Int = 6, period: Int = 30)
        -> Bool
    {
        matchingStep(code, secret: secret, at: time, digits: digits, period: period) != nil
    }

    /// The step (`time / period`) whose code `code` is, within one step either side of `time`.
    static func matchingStep(_ code: String, secret: [UInt8], at time: Double, digits: Int = 6, period: Int = 30)
        -> Int64?
    {
        // authup trims the code (`token.trim()`); one with inner spaces matches nothing.
        let parts = code.split(whereSeparator: \.isWhitespace)
        guard parts.count == 1 else { return nil }
        let token = String(parts[0])
        let step = Int64(max(0, time) / Double(period))
        return (step - 1...step + 1).first { candidate in
            candidate >= 0
                && self.code(secret: secret, counter: UInt64(candidate), digits: digits, algorithm: .sha1) == token
        }
    }

    static func code(secret: [UInt8], counter: UInt64, digits: Int, algorithm: Algorithm) -> String {
        let message = (0..<8).map { UInt8(truncatingIfNeeded: counter >> (56 - 8 * UInt64($0))) }
        let key = SymmetricKey(data: secret)
        let mac: [UInt8] =
            switch algorithm {
            case .sha1: Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: key))
            case .sha256: Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
            case .sha512: Array(HMAC<SHA512>.authenticationCode(for: message, using: key))
            }
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let binary =
            (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8)
            | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let value = String(binary % modulus)
        return String(repeating: "0", count: max(0, digits - value.count)) + value
    }

    /// `otpauth://totp/<issuer>:<label>?issuer=…&secret=…&algorithm=SHA1&digits=6&period=30`, the
    /// otpauth library's `TOTP.toString()` that authup returns.
    static func provisioningURI(secret: String, issuer: String, label: String) -> String {
        let issuer = componentEncoded(issuer)
        return "otpauth://totp/\(issuer):\(componentEncoded(label))?issuer=\(issuer)&secret=\(secret)"
            + "&algorithm=SHA1&digits=6&period=30"
    }

    /// JavaScript's `encodeURIComponent`.
    static func componentEncoded(_ text: String) -> String {
        let kept = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()".utf8)
        var output = ""
        for byte in text.utf8 {
            if kept.contains(byte) {
                output.append(Character(Unicode.Scalar(byte)))
            } else {
                output += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return output
    }

    private static let base32Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    /// RFC 4648 base32 without padding (what authup's seeds look like).
    public static func base32Encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                output.append(base32Alphabet[Int((buffer >> UInt32(bits - 5)) & 31)])
                bits -= 5
            }
        }
        if bits > 0 { output.append(base32Alphabet[Int((buffer << UInt32(5 - bits)) & 31)]) }
        return String(decoding: output, as: UTF8.self)
    }

    /// The bytes of base32 `text` (case-insensitive, padding and spaces ignored); `nil` for
    /// another character.
    public static func base32Decode(_ text: String) -> [UInt8]? {
        var output: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in text.uppercased().utf8 where byte != UInt8(ascii: "=") && byte != UInt8(ascii: " ") {
            guard let value = base32Alphabet.firstIndex(of: byte) else { return nil }
            buffer = (buffer << 5) | UInt32(value)
            bits += 5
            if bits >= 8 {
                output.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits - 8)))
                bits -= 8
            }
        }
        return output
    }
}
