import FlameHub

/// One failed validation rule of a request body.
struct ValidationIssue: Sendable, Hashable, Error {
    /// Internal (camelCase) field name; rendered with the generation's wire name.
    var field: String
    /// Validator code, e.g. `required`, `min_length`, `value_invalid`.
    var code: String
    /// Human text.
    var message: String
}

/// A failure raised anywhere in request handling. It is *semantic*: each service renders it in
/// its own, generation-specific error body through ``ErrorFormat``, so handlers never build
/// error JSON themselves.
struct EmulatorError: Error, Sendable {
    /// Why a bearer token was rejected.
    enum TokenProblem: String, Sendable, Error {
        case invalid = "invalid_token"
        case expired = "expired_token"
        case inactive = "inactive_token"

        var message: String {
            switch self {
            case .invalid: "The JWT is invalid."
            case .expired: "The JWT is expired."
            case .inactive: "The JWT is not active."
            }
        }
    }

    enum Kind: Sendable {
        /// 404 for a missing record.
        case notFound
        /// 409 unique violation; `nil` message uses the service's standard text.
        case conflict(String?)
        /// 400 body validation failure.
        case validation([ValidationIssue])
        /// 400 foreign key pointing nowhere (`Can't find <relation> entity by <field>`).
        case relationInvalid(relation: String, field: String)
        /// 400 domain rule violation with a fixed text.
        case badRequest(String)
        /// 401, no identity on a protected route.
        case unauthorized
        /// Identity lacks `permission`.
        case permissionDenied(permission: String)
        /// Bearer or refresh token rejected.
        case token(TokenProblem)
        /// Fully specified error (token endpoint, domain codes): status, code and message are
        /// used as given by every format.
        case explicit(status: Int, code: String, message: String)
    }

    var kind: Kind
    /// Entity name for messages such as `The node was not found.`
    var entity: String?
    /// Extra keys merged into the body (e.g. `error`, `error_description`).
    var extras: EmulatorJSONObject = [:]
    /// authup's error class name (new-generation `name` key); derived when `nil`.
    var name: String?

    init(_ kind: Kind, entity: String? = nil, extras: EmulatorJSONObject = [:], name: String? = nil) {
        self.kind = kind
        self.entity = entity
        self.extras = extras
        self.name = name
    }

    static func notFound(_ entity: String) -> EmulatorError { .init(.notFound, entity: entity) }
    static func badRequest(_ message: String) -> EmulatorError { .init(.badRequest(message)) }
    static func validation(_ issues: [ValidationIssue]) -> EmulatorError { .init(.validation(issues)) }
    static func token(_ problem: TokenProblem) -> EmulatorError { .init(.token(problem)) }
}

/// How a service renders ``EmulatorError``s: the body shape differs by service *and* generation.
enum ErrorFormat: Sendable {
    /// authup: legacy `{statusCode, code, message, …}` with often-empty messages; current
    /// `{name, code, message, issues, …}` without `statusCode`.
    case authup(HubGeneration)
    /// Hub core and storage: legacy `{statusCode, code, message, …}`; current
    /// `{statusCode, code, message, issues}`.
    case hub(HubGeneration)

    var generation: HubGeneration {
        switch self {
        case .authup(let generation), .hub(let generation): generation
        }
    }

    /// `camelName` as the rendering service spells it.
    func wireName(_ camelName: String) -> String {
        switch self {
        case .authup(let generation): generation.wireName(camelName, in: .auth)
        case .hub(let generation): generation.wireName(camelName, in: .core)
        }
    }

    /// Status and JSON body for `error`.
    func render(_ error: EmulatorError, options: ErrorOptions) -> (status: Int, body: EmulatorJSON) {
        let generation = self.generation
        let legacy = generation == .legacy
        var status: Int
        var code: String
        var message: String
        var issues: [EmulatorJSON] = []
        var extras = error.extras
        var name = error.name

        switch error.kind {
        case .notFound:
            status = 404
            code = legacy ? "NOT_FOUND" : "entity_not_found"
            switch self {
            case .authup(.transitional), .authup(.current): message = "Entity not found."
            case .hub(.transitional), .hub(.current): message = "The \(error.entity ?? "entity") was not found."
            default: message = ""
            }
            name = name ?? "EntityNotFoundError"
        case .conflict(let text):
            status = 409
            code = legacy ? "CONFLICT" : "entity_conflict"
            switch self {
            case .authup(.legacy): message = text ?? "A db entry with some unique attributes already exist."
            case .authup(.transitional), .authup(.current):
                message = text ?? "A db entry with some unique attributes already exists."
            case .hub(.legacy): message = text ?? "An entry with some unique attributes already exist."
            case .hub(.transitional), .hub(.current):
                message = text ?? "An entry with some unique attributes already exists."
            }
            name = name ?? "EntityConflictError"
        case .validation(let failures):
            status = 400
            code = legacy ? "BAD_REQUEST" : "bad_request"
            let paths = failures.map { wireName($0.field) }
            var unique: [String] = []
            for path in paths where !unique.contains(path) { unique.append(path) }
            if legacy {
                message = ""
                extras["attributes"] = .array(unique.map { .string($0) })
                extras["children"] = .array(
                    failures.map {
                        [
                            "attribute": .string(wireName($0.field)), "code": .string($0.code),
                            "message": .string($0.message),
                        ]
                    }
                )
            } else {
                message =
                    unique.count == 1
                    ? "Property \(unique[0]) is invalid" : "Properties \(unique.joined(separator: ", ")) are invalid."
                issues = failures.map {
                    [
                        "type": "item", "code": .string($0.code), "path": [.string(wireName($0.field))],
                        "message": .string($0.message),
                    ]
                }
            }
            name = name ?? "ValidupError"
        case .relationInvalid(let relation, let field):
            status = 400
            code = legacy ? "BAD_REQUEST" : "entity_relation_invalid"
            message = "Can't find \(relation) entity by \(wireName(field))"
            name = name ?? "EntityRelationLookupError"
        case .badRequest(let text):
            status = 400
            code = legacy ? "BAD_REQUEST" : "bad_request"
            message = text
            name = name ?? "BadRequestError"
        case .unauthorized:
            status = 401
            code = legacy ? "UNAUTHORIZED" : "identity_unauthorized"
            message = legacy ? "" : "Authentication required."
            name = name ?? "AuthupError"
        case .permissionDenied(let permission):
            switch self {
            case .authup:
                status = 403
                code = "permission_denied"
                message = "The permission \(permission) has not been granted."
            case .hub(.legacy):
                status = 403
                code = "FORBIDDEN"
                message = ""
            case .hub(.transitional), .hub(.current):
                if options.friendlyPermissionErrors {
                    status = 403
                    code = "permission_denied"
                    message = "Permission denied."
                } else {
                    // Hub 0.14 reports a failed permission evaluation as a 400 (documented quirk).
                    status = 400
                    code = "bad_request"
                    message = "The evaluation of permissions \(permission) failed"
                    issues = [
                        [
                            "type": "item", "code": "permission_not_found", "path": [.string(permission)],
                            "message": .string("The \(permission) permission could not be resolved"),
                        ]
                    ]
                }
            }
            name = name ?? "PermissionError"
        case .token(let problem):
            code = problem.rawValue
            message = problem.message
            status = 400
            // beta.63 maps the JWT codes to 401 (packages/errors/src/status.ts at v1.0.0-beta.63).
            if case .authup(let authupGeneration) = self, TokenEndpoint.followsTokenRFCs(authupGeneration) {
                status = 401
            }
            if case .hub(let hubGeneration) = self {
                if !options.faithfulHubTokenErrors {
                    status = 401
                } else if hubGeneration == .current {
                    // Hub 0.14 lets the verifier's error fall through to its 500 handler.
                    status = 500
                    code = "internal_error"
                }
            }
            name = name ?? "JWTError"
        case .explicit(let explicitStatus, let explicitCode, let explicitMessage):
            status = explicitStatus
            code = explicitCode
            message = explicitMessage
        }

        if status >= 500 && legacy {
            message = "An internal server error occurred."
        }

        var body: EmulatorJSONObject = extras
        body["code"] = .string(code)
        body["message"] = .string(message)
        switch self {
        case .authup(.legacy), .hub(.legacy):
            body["statusCode"] = .int(status)
        // The transitional releases share the current error packages (`packages/errors` is
        // unchanged from `v0.12.7` to `v0.13.0`).
        case .authup(.transitional), .authup(.current):
            body["name"] = .string(name ?? "AuthupError")
            body["issues"] = .array(issues)
        case .hub(.transitional), .hub(.current):
            body["statusCode"] = .int(status)
            body["issues"] = .array(issues)
        }
        return (status, .object(body))
    }
}

/// Switches that trade fidelity for friendlier errors (see ``HubEmulator/Configuration``).
struct ErrorOptions: Sendable {
    var friendlyPermissionErrors: Bool
    var faithfulHubTokenErrors: Bool
}
