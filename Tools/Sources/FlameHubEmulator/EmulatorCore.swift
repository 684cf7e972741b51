import FlameHub
import Hummingbird
import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A service implementation plugged into the emulator. Add a module to
/// ``EmulatorCore/modules`` to mount it; the framework does routing, authentication, errors,
/// the generic resource engine and the test hooks.
protocol ServiceModule: Sendable {
    /// The service's routes and resources for `generation`.
    static func definition(generation: HubGeneration, configuration: HubEmulator.Configuration) -> ServiceDefinition
    /// Adds the state a freshly started Hub has (runs in module order: auth first).
    static func seed(into store: inout Store, generation: HubGeneration, configuration: HubEmulator.Configuration)
}

/// The request pipeline shared by all services: prefix routing, bearer-token authentication,
/// custom routes, the generic resource engine and error rendering.
final class EmulatorCore: Sendable {
    /// Mounted services, in seeding order.
    static let modules: [any ServiceModule.Type] = [
        AuthService.self, CoreService.self, StorageService.self, MessengerService.self, TelemetryService.self,
    ]

    let generation: HubGeneration
    let configuration: HubEmulator.Configuration
    let state: EmulatorState
    let services: [String: ServiceDefinition]
    /// Every resource of every service by table (`auth/users`), for includes and references.
    let registry: [String: ResourceDefinition]
    let hooks = TestHooks()
    /// The messenger's wake-up listeners and open event streams.
    let messenger = MessengerHub()
    /// Where services put file contents (uploads are streamed here, never held in memory).
    let temporaryDirectory: URL
    private let resetEpoch = Atomic<Int>(0)

    init(generation: HubGeneration, configuration: HubEmulator.Configuration, temporaryDirectory: URL) {
        self.generation = generation
        self.temporaryDirectory = temporaryDirectory
        self.configuration = configuration
        var services: [String: ServiceDefinition] = [:]
        var registry: [String: ResourceDefinition] = [:]
        for module in Self.modules {
            let service = module.definition(generation: generation, configuration: configuration)
            services[service.name] = service
            for resource in service.resources { registry[resource.table] = resource }
        }
        self.services = services
        self.registry = registry
        self.state = EmulatorState(Self.seed(generation: generation, configuration: configuration))
    }

    static func seed(generation: HubGeneration, configuration: HubEmulator.Configuration) -> Store {
        var store = Store()
        for module in modules { module.seed(into: &store, generation: generation, configuration: configuration) }
        return store
    }

    var engine: ResourceEngine { ResourceEngine(core: self) }

    var scheduler: EffectScheduler {
        EffectScheduler(state: state, delay: configuration.asyncEffectDelay) { [self] in
            self.resetEpoch.load(ordering: .relaxed)
        }
    }

    var errorOptions: ErrorOptions {
        ErrorOptions(
            friendlyPermissionErrors: configuration.friendlyPermissionErrors,
            faithfulHubTokenErrors: configuration.faithfulHubTokenErrors)
    }

    /// Restores the seed state and drops pending asynchronous effects.
    func reset() {
        resetEpoch.add(1, ordering: .relaxed)
        state.replace(with: Self.seed(generation: generation, configuration: configuration))
    }

    /// Throws unless `access` admits `identity`.
    func authorize(_ access: Access, identity: Identity?) throws {
        switch access {
        case .public:
            return
        case .authenticated:
            if identity == nil { throw EmulatorError(.unauthorized) }
        case .permission(let permission):
            guard let identity else { throw EmulatorError(.unauthorized) }
            if !identity.has(permission) { throw EmulatorError(.permissionDenied(permission: permission)) }
        case .custom(let check):
            try check(identity)
        }
    }

    /// Resolves a bearer token into an identity with its current permissions.
    func identity(forBearer token: String) throws -> Identity {
        try state.withStore { store in
            switch store.tokens.verify(token, use: TokenRecord.Use.access) {
            case .failure(let problem):
                throw EmulatorError.token(problem)
            case .success(let record):
                return Identity(
                    kind: record.subjectKind, id: record.subjectId, realmId: record.realmId,
                    realmName: record.realmName,
                    clientId: record.clientId,
                    permissions: PermissionResolver.cachedPermissions(
                        kind: record.subjectKind, id: record.subjectId, store: &store),
                    tokenId: record.jti)
            }
        }
    }

    /// Handles one request below a service prefix. Never throws: errors become the service's
    /// error body.
    func dispatch(service: ServiceDefinition, path: [String], request: inout Request) async -> EmulatorResponse {
        do {
            return try await route(service: service, path: path, request: &request)
        } catch let error as EmulatorError {
            return TokenEndpoint.challenge(
                render(error, service: service), error: error, format: service.errorFormat,
                authorization: request.headers[.authorization])
        } catch {
            return render(
                EmulatorError(.explicit(status: 500, code: "internal_error", message: "\(error)")), service: service)
        }
    }

    func render(_ error: EmulatorError, service: ServiceDefinition) -> EmulatorResponse {
        let (status, body) = service.errorFormat.render(error, options: errorOptions)
        return .json(body, status: status)
    }

    private func route(service: ServiceDefinition, path: [String], request: inout Request) async throws
        -> EmulatorResponse
    {
        // The authorization middleware runs for every route, public ones included: a rejected
        // token fails the request even where no token is needed.
        var identity: Identity?
        if let authorization = request.headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                identity = try self.identity(forBearer: String(parts[1]).trimmingWhitespace())
            } else if parts.first?.lowercased() != "basic" {
                throw EmulatorError.token(.invalid)
            }
        } else if service.acceptsTokenCookie, let cookie = request.headers[.cookie] {
            let pairs = cookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            if let pair = pairs.first(where: { $0.hasPrefix("access_token=") }) {
                identity = try self.identity(forBearer: String(pair.dropFirst("access_token=".count)))
            }
        }

        let method = request.method
        for route in service.routes where route.methods.contains(method) {
            guard let parameters = route.pattern.match(path) else { continue }
            try authorize(route.access, identity: identity)
            var body = ByteBuffer()
            var stream: Hummingbird.RequestBody?
            switch route.bodyMode {
            case .collect(let limit): body = try await collect(&request, limit: limit)
            case .stream: stream = request.body
            }
            let context = makeContext(service, path, parameters, request, body, stream, identity)
            return try await route.handler(context)
        }

        var resourcePath = path
        var realmScope: String?
        if path.count >= 3, path.count <= 4, path[0] == "realms", service.realmScopedPaths.contains(path[2]) {
            let reference = path[1]
            realmScope = state.withStore { store in
                (store.find("\(service.name)/realms", id: reference)
                    ?? store.all("\(service.name)/realms").first {
                        $0["name"]?.stringValue?.lowercased() == reference.lowercased()
                    })?["id"]?.stringValue
            }
            guard realmScope != nil else { throw EmulatorError.notFound("realm") }
            resourcePath = Array(path.dropFirst(2))
        }
        if let first = resourcePath.first, resourcePath.count <= 2,
            let resource = service.resources.first(where: { $0.path == first })
        {
            let body = try await collect(&request, limit: 16 << 20)
            var context = makeContext(service, path, [:], request, body, nil, identity)
            context.realmScope = realmScope
            let id = resourcePath.count == 2 ? resourcePath[1] : nil
            if let response = try engine.handle(resource, id: id, context: context) {
                return response
            }
        }
        throw EmulatorError(.notFound, entity: "route")
    }

    private func collect(_ request: inout Request, limit: Int) async throws -> ByteBuffer {
        do {
            return try await request.collectBody(upTo: limit)
        } catch {
            throw EmulatorError(
                .explicit(status: 413, code: "payload_too_large", message: "The request body is too large."))
        }
    }

    private func makeContext(
        _ service: ServiceDefinition, _ path: [String], _ parameters: [String: String], _ request: Request,
        _ body: ByteBuffer,
        _ stream: Hummingbird.RequestBody?, _ identity: Identity?
    ) -> HandlerContext {
        HandlerContext(
            core: self, service: service, method: request.method, path: path, parameters: parameters,
            query: QueryItems(raw: request.uri.query), headers: request.headers, body: body, bodyStream: stream,
            identity: identity)
    }
}
