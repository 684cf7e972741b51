import ArgumentParser
import FlameHub
import Logging

/// One run of a command: the merged settings, one shared transport, the authentication and the
/// output, from which the three clients are made.
struct Session {
    let settings: Settings
    let output: Output
    let transport: any HTTPTransport
    let auth: (any HubAuthentication)?

    init(_ options: GlobalOptions) throws {
        let settings = try Settings(options)
        self.settings = settings
        output = Output(mode: options.outputMode)
        var middlewares: [any HTTPMiddleware] = [
            UserAgentMiddleware(userAgent: "flamehub-cli/\(FlameHubVersion.sdk)"),
            RetryMiddleware(policy: settings.retryPolicy),
        ]
        if let level = settings.logLevel {
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            var logger = Logger(label: "flamehub.http")
            logger.logLevel = level
            // Innermost, so that every attempt of a retried request is logged (secrets redacted).
            middlewares.append(LoggingMiddleware(logger: logger))
        }
        transport = CurlTransport(configuration: settings.transport).with(middlewares)
        auth =
            switch settings.credentials {
            case .none: nil
            case .token(let token): StaticAuth(token)
            case .password(let username, let password, let code):
                PasswordAuth(
                    username: username, password: password, baseURL: settings.authURL,
                    oneTimeCode: code.map { code in { @Sendable in SecretString(code) } })
            case .robot(let id, let secret): RobotAuth(robotId: id, secret: secret, baseURL: settings.authURL)
            case .client(let id, let secret): ClientAuth(clientId: id, secret: secret, baseURL: settings.authURL)
            }
    }

    /// The base URL of `service`.
    func baseURL(_ service: HubService) -> String {
        switch service {
        case .auth: settings.authURL
        case .core: settings.coreURL
        case .storage: settings.storageURL
        case .messenger: settings.messengerURL
        case .telemetry: settings.telemetryURL
        }
    }

    /// A context for `service` sharing this session's transport and authentication.
    func context(_ service: HubService) -> HubContext {
        HubContext(
            baseURL: baseURL(service), service: service, auth: auth, transport: transport,
            dialect: settings.generation.map { HubDialect(generation: $0, service: service) })
    }

    /// The generic engine of resource `descriptor` of `service`.
    func resource<D: ResourceDescriptor>(_ descriptor: D.Type, of service: HubService) -> Resource<D> {
        Resource(context: context(service))
    }

    var authClient: AuthClient { AuthClient(context: context(.auth)) }
    var core: CoreClient { CoreClient(context: context(.core)) }
    var storage: StorageClient { StorageClient(context: context(.storage)) }

    /// Runs `body` in a session made from `options`; any failure becomes one sentence on stderr
    /// and its documented exit status.
    static func run(_ options: GlobalOptions, _ body: (Session) async throws -> Void) async throws {
        var authenticated = true
        do {
            let session = try Session(options)
            authenticated = session.auth != nil
            try await body(session)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            var failure = Failure.classify(error)
            if failure.status == .authentication && !authenticated {
                failure.message +=
                    " (no credentials were given: set FLAME_HUB_USERNAME and FLAME_HUB_PASSWORD, FLAME_HUB_CLIENT_ID and"
                    + " FLAME_HUB_CLIENT_SECRET, FLAME_HUB_ROBOT_ID and FLAME_HUB_ROBOT_SECRET, or FLAME_HUB_TOKEN)"
            }
            OutputStream.standardError.write("flamehub: \(failure.message)\n")
            throw ExitCode(failure.status.rawValue)
        }
    }
}
