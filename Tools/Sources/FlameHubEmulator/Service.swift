import FlameHub
import Hummingbird

/// `HTTPField.Name` reached through the re-exported `HTTPFields` (the target does not import HTTPTypes directly).
typealias HTTPFieldName = HTTPFields.Element.Name

/// A response produced by a handler, independent of Hummingbird so handlers stay testable.
struct EmulatorResponse: Sendable {
    enum Body: Sendable {
        case json(EmulatorJSON)
        /// No body at all (legacy `202` with empty body).
        case empty
        case bytes(ByteBuffer, contentType: String)
        /// Streamed body (downloads): `length` sets `Content-Length` when known.
        case stream(contentType: String, length: Int?, @Sendable (inout any ResponseBodyWriter) async throws -> Void)
    }

    var status: Int
    var headers: [(name: String, value: String)] = []
    var body: Body

    static func json(_ value: EmulatorJSON, status: Int = 200) -> EmulatorResponse {
        EmulatorResponse(status: status, body: .json(value))
    }

    static func empty(status: Int) -> EmulatorResponse {
        EmulatorResponse(status: status, body: .empty)
    }
}

/// A path pattern such as `/token/introspect` or `/robots/:id/integrity`.
struct PathPattern: Sendable {
    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    var segments: [Segment]

    init(_ pattern: String) {
        segments = pattern.split(separator: "/").map { part in
            part.hasPrefix(":") ? .parameter(String(part.dropFirst())) : .literal(String(part))
        }
    }

    /// Parameters when `path` matches.
    func match(_ path: [String]) -> [String: String]? {
        guard path.count == segments.count else { return nil }
        var parameters: [String: String] = [:]
        for (segment, component) in zip(segments, path) {
            switch segment {
            case .literal(let literal): if literal != component { return nil }
            case .parameter(let name): parameters[name] = component
            }
        }
        return parameters
    }
}

/// A hand-written route of a service (anything the generic resource engine does not cover:
/// `/token`, `GET /`, commands, streams). Routes are matched before resources.
struct Route: Sendable {
    enum BodyMode: Sendable {
        /// The body is collected into memory up to this many bytes.
        case collect(Int)
        /// The handler reads ``HandlerContext/bodyStream`` itself (uploads).
        case stream
    }

    var methods: [HTTPRequest.Method]
    var pattern: PathPattern
    var access: Access
    var bodyMode = BodyMode.collect(16 << 20)
    var handler: @Sendable (HandlerContext) async throws -> EmulatorResponse

    init(
        _ methods: [HTTPRequest.Method], _ pattern: String, access: Access = .public,
        bodyMode: BodyMode = .collect(16 << 20),
        handler: @escaping @Sendable (HandlerContext) async throws -> EmulatorResponse
    ) {
        self.methods = methods
        self.pattern = PathPattern(pattern)
        self.access = access
        self.bodyMode = bodyMode
        self.handler = handler
    }
}

/// One of the Hub's services (`auth`, `core`, `storage`) as mounted under `/<name>/`.
///
/// ```swift
/// ServiceDefinition(name: "core", errorFormat: .hub(generation),
///     routes: [Route([.get], "/") { _ in .json(["version": "0.14.0"]) }],
///     resources: [nodeResource, projectResource])
/// ```
struct ServiceDefinition: Sendable {
    /// URL prefix without slashes, also the table namespace (`auth/users`).
    var name: String
    var errorFormat: ErrorFormat
    var routes: [Route] = []
    var resources: [ResourceDefinition] = []
    /// Page limit applied when a list request has no `page` parameter (`nil` = all rows, as
    /// legacy authup does). `page[limit]` is always clamped to 50.
    var defaultPageLimit: Int? = 50
    /// An `access_token` cookie is read when no `Authorization` header is sent (legacy authup
    /// and the Hub's services; new authup ignores cookies).
    var acceptsTokenCookie = true
    /// Resource paths also mounted below `/realms/:realmId/` (new authup): lists and lookups are
    /// restricted to that realm (id or name) and creates are placed in it.
    var realmScopedPaths: Set<String> = []
}

/// Everything a handler needs for one request.
struct HandlerContext: Sendable {
    let core: EmulatorCore
    let service: ServiceDefinition
    let method: HTTPRequest.Method
    /// Path segments below the service prefix (`["users", "@me"]`).
    let path: [String]
    /// Route parameters (`:id`).
    let parameters: [String: String]
    let query: QueryItems
    let headers: HTTPFields
    /// Collected request body (empty for streamed routes).
    let body: ByteBuffer
    /// The raw body of a ``Route/BodyMode/stream`` route (Hummingbird's; the SDK has one too).
    let bodyStream: Hummingbird.RequestBody?
    /// Verified caller, `nil` when no bearer token was sent.
    let identity: Identity?
    /// Realm id of a `/realms/:realmId/<resource>` request.
    var realmScope: String? = nil

    var generation: HubGeneration { core.generation }
    var state: EmulatorState { core.state }

    /// Throws unless `access` admits the caller.
    func require(_ access: Access) throws {
        try core.authorize(access, identity: identity)
    }

    /// Header value by name.
    func header(_ name: String) -> String? {
        HTTPFieldName(name).flatMap { headers[$0] }
    }

    /// The body as a JSON object (wire keys), from JSON or `application/x-www-form-urlencoded`
    /// (authup's body parser accepts both on every route). An empty body is `{}`.
    func bodyObject() throws -> EmulatorJSONObject {
        guard body.readableBytes > 0 else { return [:] }
        let contentType = header("Content-Type")?.lowercased() ?? ""
        let bytes = body.readableBytesView
        if contentType.contains("application/x-www-form-urlencoded") {
            var object = EmulatorJSONObject()
            for (key, value) in QueryItems(raw: String(decoding: bytes, as: UTF8.self)).items {
                object[key] = .string(value)
            }
            return object
        }
        do {
            let value = try EmulatorJSON.parse(bytes)
            return value.objectValue ?? [:]
        } catch {
            throw EmulatorError.badRequest("The request body could not be parsed.")
        }
    }

    /// `true` when the body came form-encoded (values are all strings then).
    var bodyIsForm: Bool {
        (header("Content-Type")?.lowercased() ?? "").contains("application/x-www-form-urlencoded")
    }

    /// Context for resource hooks.
    func hookContext(body: EmulatorJSONObject = [:]) -> HookContext {
        HookContext(
            generation: generation, identity: identity, body: body, configuration: core.configuration,
            scheduler: core.scheduler)
    }
}
