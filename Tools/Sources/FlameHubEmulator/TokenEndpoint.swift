import FlameHub

/// authup's OAuth2 endpoints: `POST /token` (every grant of the generation), introspection and
/// revocation (hub-auth-api.md section 3).
enum TokenEndpoint {
    /// Access-token lifetime in seconds.
    static func accessLifetime(_ core: EmulatorCore) -> Int {
        if let lifetime = core.configuration.accessTokenLifetime { return max(1, Int(lifetime.components.seconds)) }
        return core.generation == .legacy ? 3600 : 900
    }

    static func refreshLifetime(_ core: EmulatorCore) -> Int {
        max(1, Int(core.configuration.refreshTokenLifetime.components.seconds))
    }

    /// Request parameters: body first (JSON or form), then the query string.
    struct Parameters {
        var body: EmulatorJSONObject
        var query: QueryItems

        func string(_ key: String) -> String? {
            if let value = body[key] {
                switch value {
                case .string(let text): return text
                case .int(let number): return String(number)
                default: return nil
                }
            }
            return query.first(key)
        }

        func has(_ key: String) -> Bool { !(string(key) ?? "").isEmpty }
    }

    enum Grant: String {
        case password, robotCredentials = "robot_credentials", clientCredentials = "client_credentials"
        case refreshToken = "refresh_token", authorizationCode = "authorization_code"
    }

    /// A token-endpoint error: fixed code/status/message plus the OAuth2 `error` word.
    static func oauthError(_ status: Int, _ code: String, _ message: String, error: String? = nil, name: String? = nil)
        -> EmulatorError
    {
        var extras: EmulatorJSONObject = [:]
        if let error {
            extras["error"] = .string(error)
            extras["error_description"] = .string(message)
        }
        return EmulatorError(.explicit(status: status, code: code, message: message), extras: extras, name: name)
    }

    // MARK: POST /token

    static func token(_ context: HandlerContext) throws -> EmulatorResponse {
        let parameters = Parameters(body: try context.bodyObject(), query: context.query)
        let legacy = context.generation == .legacy
        let basic = basicCredentials(context)

        var grant = parameters.string("grant_type").flatMap(Grant.init(rawValue:))
        if grant == .robotCredentials, !legacy { grant = nil }
        if grant == nil {
            if parameters.has("username"), parameters.has("password") {
                grant = .password
            } else if legacy, parameters.has("id"), parameters.has("secret") {
                grant = .robotCredentials
            } else if parameters.has("refresh_token") {
                grant = .refreshToken
            } else if parameters.has("code") {
                grant = .authorizationCode
            } else if (parameters.has("client_id") && parameters.has("client_secret")) || basic != nil {
                grant = .clientCredentials
            }
        }
        guard let grant, grant != .authorizationCode else {
            if legacy {
                throw oauthError(400, "invalid_grant", "The grant type is not supported.", error: "invalid_grant")
            }
            throw oauthError(
                400, "unsupported_token_grant_type", "The grant type is not supported.", error: "unsupported_grant_type"
            )
        }

        let response = try context.state.withStore { store -> EmulatorJSONObject in
            switch grant {
            case .password: return try passwordGrant(parameters, context: context, store: &store)
            case .robotCredentials: return try robotGrant(parameters, context: context, store: &store)
            case .clientCredentials: return try clientGrant(parameters, basic: basic, context: context, store: &store)
            case .refreshToken: return try refreshGrant(parameters, context: context, store: &store)
            case .authorizationCode: throw EmulatorError.badRequest("")
            }
        }
        return .json(.object(response))
    }

    private static func basicCredentials(_ context: HandlerContext) -> (id: String, secret: String)? {
        guard let header = context.header("Authorization"), header.lowercased().hasPrefix("basic "),
            let decoded = Support.decodeBase64(String(header.dropFirst(6)).trimmingWhitespace()),
            let colon = decoded.firstIndex(of: ":")
        else { return nil }
        // New authup form-decodes both values.
        return (QueryItems.decode(decoded[..<colon]), QueryItems.decode(decoded[decoded.index(after: colon)...]))
    }

    private static func realm(_ reference: String?, store: Store) -> EmulatorJSONObject? {
        guard let reference, !reference.isEmpty else { return nil }
        if let realm = store.find(AuthTable.realms, id: reference) { return realm }
        return store.all(AuthTable.realms).first { $0["name"]?.stringValue?.lowercased() == reference.lowercased() }
    }

    private static func passwordGrant(_ parameters: Parameters, context: HandlerContext, store: inout Store) throws
        -> EmulatorJSONObject
    {
        let invalid = oauthError(400, "invalid_credentials", "The user credentials are invalid.")
        guard var username = parameters.string("username"), let password = parameters.string("password") else {
            throw invalid
        }
        let users = store.all(AuthTable.users)
        var user: EmulatorJSONObject?
        if Support.isUUID(username) {
            user = store.find(AuthTable.users, id: username.lowercased())
        } else if context.generation == .legacy {
            // Legacy matches the name in every realm unless `realm_id` (UUID or name) narrows it.
            let realmID = realm(parameters.string("realm_id"), store: store)?["id"]
            user = users.first { candidate in
                candidate["name"]?.stringValue?.lowercased() == username.lowercased()
                    && (realmID == nil || candidate["realmId"] == realmID)
                    && candidate["password"].flatMap(\.stringValue).map { SecretHash.verify(password, hash: $0) }
                        == true
            }
        } else {
            username = username.trimmingWhitespace().lowercased()
            let realmRecord =
                realm(parameters.string("realm_id"), store: store) ?? realm(
                    parameters.string("realm_name"), store: store)
                ?? AuthDeclarations.masterRealm(store)
            user = users.first { $0["name"]?.stringValue == username && $0["realmId"] == realmRecord?["id"] }
        }
        guard let user, let hash = user["password"]?.stringValue, SecretHash.verify(password, hash: hash) else {
            throw invalid
        }
        guard user["active"] != false else { throw oauthError(400, "entity_inactive", "The user account is inactive.") }
        switch context.generation {
        case .legacy: break
        case .transitional, .current:
            try AuthAuthenticatorService.verifySecondFactor(
                user, otp: parameters.string("otp"), enabled: context.core.configuration.switches.mfaEnabled,
                store: &store)
        }
        // New authup also authenticates a client sent along (it must allow the password grant).
        var clientID: String?
        // beta.56 already does (`oauth2/grant-types/password.ts` at `v1.0.0-beta.56`).
        if context.generation != .legacy {
            clientID = try authenticateClient(
                parameters, basic: basicCredentials(context), grant: "password", store: store, required: false)?["id"]?
                .stringValue
        }
        return try issue(
            kind: .user, subject: user, clientId: clientID, withRefresh: true, family: nil, context: context,
            store: &store)
    }

    private static func robotGrant(_ parameters: Parameters, context: HandlerContext, store: inout Store) throws
        -> EmulatorJSONObject
    {
        let invalid = oauthError(400, "invalid_credentials", "The robot credentials are invalid.")
        guard let id = parameters.string("id"), let secret = parameters.string("secret") else { throw invalid }
        let realmID = realm(parameters.string("realm_id"), store: store)?["id"]
        let robot =
            Support.isUUID(id)
            ? store.find(AuthTable.robots, id: id.lowercased())
            : store.all(AuthTable.robots).first {
                $0["name"]?.stringValue?.lowercased() == id.lowercased() && (realmID == nil || $0["realmId"] == realmID)
            }
        guard let robot, let hash = robot["secret"]?.stringValue, SecretHash.verify(secret, hash: hash) else {
            throw invalid
        }
        guard robot["active"] != false else {
            throw oauthError(400, "entity_inactive", "The robot account is inactive.")
        }
        return try issue(
            kind: .robot, subject: robot, clientId: nil, withRefresh: false, family: nil, context: context,
            store: &store)
    }

    private static func clientGrant(
        _ parameters: Parameters, basic: (id: String, secret: String)?, context: HandlerContext, store: inout Store
    ) throws -> EmulatorJSONObject {
        let bodyID = parameters.string("client_id")
        let bodySecret = parameters.string("client_secret")
        if context.generation == .legacy {
            let invalid = oauthError(400, "invalid_credentials", "The user credentials are invalid.")
            guard let id = bodyID ?? basic?.id, let secret = bodySecret ?? basic?.secret, Support.isUUID(id),
                let client = store.find(AuthTable.clients, id: id.lowercased()), client["secret"]?.stringValue == secret
            else { throw invalid }
            return try issue(
                kind: .client, subject: client, clientId: client["id"]?.stringValue, withRefresh: true, family: nil,
                context: context, store: &store)
        }

        let client = try authenticateClient(
            parameters, basic: basic, grant: "client_credentials", store: store, required: true)
        guard let client else { throw EmulatorError.token(.invalid) }
        return try issue(
            kind: .client, subject: client, clientId: client["id"]?.stringValue, withRefresh: false, family: nil,
            context: context, store: &store)
    }

    /// New-generation client authentication (body or Basic header, not both): `authMethod`
    /// must be `secret`, the client active and `grantTypes` (when set) must list `grant`.
    /// Returns `nil` when no client credentials were sent and `required` is false.
    private static func authenticateClient(
        _ parameters: Parameters, basic: (id: String, secret: String)?, grant: String, store: Store, required: Bool
    ) throws -> EmulatorJSONObject? {
        let bodyID = parameters.string("client_id")
        let bodySecret = parameters.string("client_secret")
        if basic != nil, bodyID != nil || bodySecret != nil {
            throw oauthError(
                400, "invalid_request", "Client credentials must be sent either in the body or the header.",
                error: "invalid_request")
        }
        if !required, bodyID == nil, basic == nil { return nil }
        let failed = oauthError(
            401, "invalid_client", "Client authentication failed", error: "invalid_client", name: "OAuth2ClientError")
        guard let id = bodyID ?? basic?.id, let secret = bodySecret ?? basic?.secret else { throw failed }
        var client: EmulatorJSONObject?
        if Support.isUUID(id) {
            client = store.find(AuthTable.clients, id: id.lowercased())
        } else {
            let realmID = realm(parameters.string("realm_id"), store: store)?["id"]
            client = store.all(AuthTable.clients).first {
                $0["name"]?.stringValue == id.lowercased() && (realmID == nil || $0["realmId"] == realmID)
            }
        }
        guard let client, client["authMethod"] == "secret", let stored = client["secret"]?.stringValue else {
            throw failed
        }
        let matches = client["secretHashed"] == true ? SecretHash.verify(secret, hash: stored) : stored == secret
        guard matches else { throw failed }
        guard client["active"] != false else {
            throw oauthError(
                401, "invalid_client", "Client is inactive", error: "invalid_client", name: "OAuth2ClientError")
        }
        if let grants = client["grantTypes"]?.stringValue {
            let allowed = grants.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
            if !allowed.contains(grant) {
                throw oauthError(
                    400, "unauthorized_client", "The client is not allowed to use this grant type.",
                    error: "unauthorized_client")
            }
        }
        return client
    }

    private static func refreshGrant(_ parameters: Parameters, context: HandlerContext, store: inout Store) throws
        -> EmulatorJSONObject
    {
        let legacy = context.generation == .legacy
        // The refresh token must come in the body.
        guard let token = parameters.body["refresh_token"]?.stringValue, !token.isEmpty else {
            if legacy { throw EmulatorError.token(.invalid) }
            throw oauthError(
                400, "invalid_request", "The refresh_token parameter is missing.", error: "invalid_request")
        }
        // beta.63 re-throws every verification failure as `invalid_grant` (RFC 6749 §5.2;
        // adapters/http/adapters/oauth2/grant-types/refresh_token.ts at v1.0.0-beta.63), older
        // releases the JWT error itself.
        func failed(_ problem: EmulatorError.TokenProblem) -> EmulatorError {
            followsTokenRFCs(context.generation) ? invalidGrant : EmulatorError.token(problem)
        }
        guard let record = store.tokens.tokens[token], record.use == .refresh else { throw failed(.invalid) }
        if record.consumed || record.revoked {
            if legacy { throw EmulatorError.token(.inactive) }
            // Replay of a used refresh token: the whole session is revoked.
            store.tokens.revokeFamily(record.family)
            throw oauthError(
                400, "invalid_grant", "The refresh token is invalid or has already been used.", error: "invalid_grant")
        }
        if record.expiresAt <= Support.now() { throw failed(.expired) }
        store.tokens.tokens[token]?.consumed = true

        let table: String
        switch record.subjectKind {
        case .user: table = AuthTable.users
        case .robot: table = AuthTable.robots
        case .client: table = AuthTable.clients
        }
        guard let subject = store.find(table, id: record.subjectId), subject["active"] != false else {
            throw failed(.invalid)
        }
        return try issue(
            kind: record.subjectKind, subject: subject, clientId: record.clientId, withRefresh: true,
            family: record.family, parentRefresh: record.jti, context: context,
            store: &store)
    }

    /// Issues an access token (and optionally a refresh token in the same session family) and
    /// builds the token response.
    static func issue(
        kind: IdentityKind, subject: EmulatorJSONObject, clientId: String?, withRefresh: Bool, family: String?,
        parentRefresh: String? = nil, context: HandlerContext,
        store: inout Store
    ) throws -> EmulatorJSONObject {
        let now = Support.now()
        let accessLifetime = accessLifetime(context.core)
        let refreshLifetime = refreshLifetime(context.core)
        let subjectID = subject["id"]?.stringValue ?? ""
        let realmID = subject["realmId"]?.stringValue ?? ""
        let realmName = store.find(AuthTable.realms, id: realmID)?["name"]?.stringValue ?? "master"
        let opened = family == nil
        let family = family ?? Support.uuid()
        let issuer = "http://\(context.header("Host") ?? "127.0.0.1")/auth"
        let legacy = context.generation == .legacy

        func claims(_ use: TokenRecord.Use, jti: String, lifetime: Int) -> EmulatorJSONObject {
            var claims: EmulatorJSONObject = [
                "kind": .string(use.rawValue), "jti": .string(jti), "iat": .int(Int(now)),
                "exp": .int(Int(now) + lifetime),
                "iss": .string(legacy ? issuer : "\(issuer)/realms/\(realmName)"), "sub": .string(subjectID),
                "sub_kind": .string(kind.rawValue), "realm_id": .string(realmID), "realm_name": .string(realmName),
                "scope": "global",
                "remote_address": "127.0.0.1",
            ]
            if let clientId {
                claims["client_id"] = .string(clientId)
                claims["aud"] = .string(clientId)
            }
            if !legacy {
                claims["session_id"] = .string(family)
                claims["user_agent"] = .string(context.header("User-Agent") ?? "")
            }
            return claims
        }

        func record(
            _ use: TokenRecord.Use, _ jti: String, _ lifetime: Int, _ claims: EmulatorJSONObject
        ) -> TokenRecord {
            TokenRecord(
                jti: jti, use: use, subjectKind: kind, subjectId: subjectID, realmId: realmID, realmName: realmName,
                clientId: clientId,
                issuedAt: now, expiresAt: now + Double(lifetime), family: family, claims: claims)
        }

        store.tokens.prune(now: now)
        AuthEntityDeclarations.recordSession(
            family, opened: opened, kind: kind, subject: subjectID, clientId: clientId, realmId: realmID,
            userAgent: context.header("User-Agent"),
            expiresAt: now + Double(withRefresh ? refreshLifetime : accessLifetime),
            generation: context.generation, store: &store)
        let accessID = Support.uuid()
        let accessClaims = claims(.access, jti: accessID, lifetime: accessLifetime)
        let accessToken = try store.tokens.sign(accessClaims)
        store.tokens.tokens[accessToken] = record(.access, accessID, accessLifetime, accessClaims)

        var response: EmulatorJSONObject = [
            "access_token": .string(accessToken), "token_type": "Bearer", "scope": "global",
            // Legacy reports at least an hour whatever the real lifetime (beta.26 behaviour).
            "expires_in": .int(legacy ? max(3600, accessLifetime) : accessLifetime),
        ]
        var refreshJTI: String?
        if withRefresh {
            let refreshID = Support.uuid()
            var refreshClaims = claims(.refresh, jti: refreshID, lifetime: refreshLifetime)
            refreshClaims["access_token"] = .string(accessID)
            let refreshToken = try store.tokens.sign(refreshClaims)
            store.tokens.tokens[refreshToken] = record(.refresh, refreshID, refreshLifetime, refreshClaims)
            response["refresh_token"] = .string(refreshToken)
            if !legacy { response["refresh_token_expires_in"] = .int(refreshLifetime) }
            refreshJTI = refreshID
        }
        AuthLinkDeclarations.recordTokens(
            session: family, access: accessID, refresh: refreshJTI, parent: parentRefresh, clientId: clientId,
            userAgent: context.header("User-Agent"), accessExpiresAt: now + Double(accessLifetime),
            refreshExpiresAt: now + Double(refreshLifetime), generation: context.generation, store: &store)
        return response
    }

    // MARK: Introspection and revocation

    /// Whether the generation's authup answers dead tokens as RFC 6750/7662/7009 ask (beta.63):
    /// 401 with `WWW-Authenticate` on resource routes, `{active: false}` from introspection,
    /// success from revocation. Older releases answer 400 with the token code.
    static func followsTokenRFCs(_ generation: HubGeneration) -> Bool {
        switch generation {
        case .legacy, .transitional: false
        case .current: true
        }
    }

    /// beta.63's `OAuth2GrantError.invalid()` (packages/specs/src/oauth2/error/grant.ts).
    static let invalidGrant = oauthError(
        400, "invalid_grant",
        "The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token "
            + "is invalid, expired, revoked, does not match the redirection URI used in the authorization request, "
            + "or was issued to another client", error: "invalid_grant")

    /// The token of an introspection/revocation request: `token` in body or query, else the
    /// bearer (workflows/token/utils/extract.ts); neither is a validation error on beta.63.
    private static func presentedToken(_ context: HandlerContext) throws -> String {
        let parameters = Parameters(body: try context.bodyObject(), query: context.query)
        if let token = parameters.string("token"), !token.isEmpty { return token }
        if let header = context.header("Authorization"), header.lowercased().hasPrefix("bearer ") {
            return String(header.dropFirst(7)).trimmingWhitespace()
        }
        guard followsTokenRFCs(context.generation) else { throw EmulatorError.token(.invalid) }
        throw EmulatorError.validation([
            ValidationIssue(field: "token", code: "invalid_type", message: "The attribute token is invalid.")
        ])
    }

    /// `GET|POST /token/introspect`. beta.63 (workflows/token/module.ts): 200 always; unknown
    /// tokens `{active: false}` alone, expired or revoked ones `active: false` with their claims
    /// but no permissions. Older releases: 400 `invalid_token`/`inactive_token`/`expired_token`.
    static func introspect(_ context: HandlerContext) throws -> EmulatorResponse {
        let token = try presentedToken(context)
        let rfc = followsTokenRFCs(context.generation)
        let body = try context.state.withStore { store -> EmulatorJSONObject in
            guard let record = store.tokens.tokens[token] else {
                if rfc { return ["active": false] }
                throw EmulatorError.token(.invalid)
            }
            let dead = record.revoked || record.consumed
            let expired = record.expiresAt <= Support.now()
            if !rfc {
                if dead { throw EmulatorError.token(.inactive) }
                if expired { throw EmulatorError.token(.expired) }
            }
            var body = record.claims
            body["active"] = .bool(!dead && !expired)
            guard !dead, !expired else { return body }
            let rows = PermissionResolver.permissionRows(kind: record.subjectKind, id: record.subjectId, store: store)
            body["permissions"] = .array(
                rows.map {
                    [
                        "name": $0["name"] ?? .null, "client_id": $0["clientId"] ?? .null,
                        "realm_id": $0["realmId"] ?? .null,
                    ]
                })
            return body
        }
        return .json(.object(body))
    }

    /// `POST /token/revoke`: a refresh token ends its session family, an access token itself.
    /// Legacy 200 with no body; beta.62 202 `null`; beta.63 200 `null`, also for unknown tokens
    /// (RFC 7009 §2.2), where older releases answer 400 `invalid_token`.
    static func revoke(_ context: HandlerContext) throws -> EmulatorResponse {
        let token = try presentedToken(context)
        let rfc = followsTokenRFCs(context.generation)
        try context.state.withStore { store in
            guard let record = store.tokens.tokens[token] else {
                if rfc { return }
                throw EmulatorError.token(.invalid)
            }
            if record.use == .refresh {
                store.tokens.revokeFamily(record.family)
            } else {
                store.tokens.tokens[token]?.revoked = true
            }
        }
        switch context.generation {
        case .legacy: return .empty(status: 200)
        // beta.54–62 answer 202 with `null`, beta.63 200 (controllers/token at each tag).
        case .transitional: return .json(.null, status: 202)
        case .current: return .json(.null, status: 200)
        }
    }

    /// beta.63's RFC 6750 §3 challenge on a 401 (middleware/built-in/error.ts at v1.0.0-beta.63):
    /// with a bearer sent, `Bearer error="invalid_token"` for token errors and
    /// `error="invalid_request"` otherwise; with no credentials, a bare `Bearer`. Not for the
    /// 401 of a bad client secret, which comes without a bearer.
    static func challenge(
        _ response: EmulatorResponse, error: EmulatorError, format: ErrorFormat, authorization: String?
    ) -> EmulatorResponse {
        guard case .authup(let generation) = format, followsTokenRFCs(generation), response.status == 401 else {
            return response
        }
        var response = response
        let body: EmulatorJSON
        if case .json(let json) = response.body { body = json } else { body = .null }
        if let authorization, authorization.lowercased().hasPrefix("bearer ") {
            let code: String
            if case .token = error.kind { code = "invalid_token" } else { code = "invalid_request" }
            let description = (body["message"]?.stringValue ?? "").unicodeScalars.filter {
                ($0.value >= 0x20 && $0.value <= 0x7E) && $0 != "\"" && $0 != "\\"
            }
            response.headers.append(
                ("WWW-Authenticate", #"Bearer error="\#(code)", error_description="\#(String(description))""#))
        } else if authorization == nil, body["code"] == "identity_unauthorized" {
            response.headers.append(("WWW-Authenticate", "Bearer"))
        }
        return response
    }
}
