import FlameHub
import FlameHubEmulator
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import HTTPTypes
import Logging
import Synchronization
import Testing

/// With trace logging on, many kinds of calls and failures against the emulator — password,
/// robot (legacy) and client (current) logins, token refresh after a rejected token, wrong
/// credentials, 404, 503 with retry, invalid and truncated bodies, dropped connections — and
/// every log line, error description and thrown error's text is searched for each secret and
/// token, plain, percent-encoded and base64-encoded (also as `id:secret` Basic credentials).
@Suite("Secret audit: no secret or token in logs and errors")
struct SecretAuditTests {
    static let adminPassword = "Adm1n-Pass+word/with=chars&more"
    static let systemSecret = "Syst3m-Secret-8f2a9c1d7e"
    static let machineSecret = "Mach1ne-Secret-4b7e0d2c19"
    static let wrongPassword = "Wr0ng-Password-51c9e7"

    @Test(arguments: [HubGeneration.legacy, .current])
    func noSecretInAnyLogLineOrErrorText(generation: HubGeneration) async throws {
        var configuration = HubEmulator.Configuration(asyncEffectDelay: .milliseconds(20))
        configuration.adminPassword = Self.adminPassword
        configuration.systemSecret = Self.systemSecret
        let hub = try await HubEmulator.start(generation: generation, configuration: configuration)
        let audit = Audit()
        let curl = CurlTransport(configuration: CurlConfiguration(proxy: .disabled))
        do {
            try await exercise(hub, audit, curl)
        } catch {
            audit.record(error)
        }
        curl.shutdown()
        await hub.stop()

        let texts = audit.texts
        #expect(texts.count > 80, "too few lines to audit: \(texts.count)")
        #expect(audit.tokens.count >= 4, "the sniffer saw \(audit.tokens.count) tokens")
        for secret in Self.encodings(of: [
            Self.adminPassword, Self.systemSecret, Self.machineSecret, Self.wrongPassword,
        ])
            + Self.encodings(of: audit.tokens) + Self.basicCredentials(audit.machineIDs)
        {
            let leaks = texts.filter { $0.contains(secret) }
            #expect(leaks.isEmpty, "a secret (\(secret.prefix(6))…) appears in: \(leaks.prefix(3))")
        }
        // Any JWT (every token the emulator signs starts with its base64url header `eyJ`).
        #expect(texts.filter { $0.contains("eyJ") }.isEmpty)
    }

    /// The calls and failures whose logs and errors are audited.
    func exercise(_ hub: HubEmulator, _ audit: Audit, _ curl: CurlTransport) async throws {
        let logger = audit.logger
        let transport = TokenSniffer(inner: curl, audit: audit)
            .with([LoggingMiddleware(logger: logger), RetryMiddleware(), UserAgentMiddleware()])
        let authURL = hub.authURL.absoluteString
        let legacy = hub.generation == .legacy
        let password = PasswordAuth(username: "admin", password: Self.adminPassword, baseURL: authURL)
        audit.record(text: "\(password)")
        let auth = AuthClient(baseURL: authURL, auth: password, transport: transport)
        let core = CoreClient(baseURL: hub.coreURL.absoluteString, auth: password, transport: transport)
        let storage = StorageClient(baseURL: hub.storageURL.absoluteString, auth: password, transport: transport)

        // Successes of every service, with optional secret fields asked for.
        audit.note(try await auth.users.find(filter: ["name": "admin"]))
        audit.note(try await auth.realms.list())
        audit.note(try await core.nodes.list())
        audit.note(try await storage.buckets.list())
        audit.note(
            try await core.registries.create(
                CreateRegistry(
                    name: "harbor", host: "harbor.local", accountName: "robot$harbor",
                    accountSecret: SecretString(Self.machineSecret))))
        audit.note(try await core.registries.find(fields: ["accountSecret"]))

        // The machine identity: the seeded system robot/client, then one created with a secret.
        let system: any HubAuthentication =
            legacy
            ? RobotAuth(robotId: "system", secret: Self.systemSecret, baseURL: authURL)
            : ClientAuth(clientId: "system", secret: Self.systemSecret, baseURL: authURL)
        audit.record(text: "\(system)")
        audit.note(try await auth.withAuth(system).realms.list())
        let realm = try #require(try await auth.realms.find(filter: ["name": "master"]).first)
        let machine: any HubAuthentication
        if legacy {
            let robot = try await auth.robots.create(
                CreateRobot(
                    name: "audit-robot", secret: SecretString(Self.machineSecret), realmId: AnyResourceID(realm)))
            audit.note(robot)
            audit.machineID(robot.id.uuidString.lowercased())
            audit.note(try await auth.robots.find(fields: ["secret"]))
            machine = RobotAuth(robotId: robot.id.uuidString.lowercased(), secret: Self.machineSecret, baseURL: authURL)
        } else {
            let client = try await auth.clients.create(
                CreateClient(
                    name: "audit-client", active: true, authMethod: .secret, secret: SecretString(Self.machineSecret),
                    realmId: AnyResourceID(realm)))
            audit.note(client)
            audit.machineID(client.id.uuidString.lowercased())
            audit.machineID("audit-client")
            audit.note(try await auth.clients.find(fields: ["secret"]))
            machine = ClientAuth(clientId: "audit-client", secret: Self.machineSecret, baseURL: authURL)
        }
        audit.record(text: "\(machine)")
        await audit.attempt { _ = try await auth.withAuth(machine).realms.list() }
        audit.machineID("system")

        // A rejected token: the SDK refreshes (refresh_token grant) and replays.
        hub.injectFault(.init(pathPrefix: "/core/nodes", count: 1, action: .status(401)))
        await audit.attempt { _ = try await core.nodes.list() }
        hub.injectFault(.init(pathPrefix: "/auth/users", count: 1, action: .status(401)))
        await audit.attempt { _ = try await auth.users.list() }

        // Failures: wrong credentials of each kind, 404, 503 then success, bodies broken in
        // several ways, a dropped connection, a static token the server does not know.
        let wrongUser = PasswordAuth(username: "admin", password: Self.wrongPassword, baseURL: authURL)
        await audit.attempt { _ = try await auth.withAuth(wrongUser).users.list() }
        let wrongMachine: any HubAuthentication =
            legacy
            ? RobotAuth(robotId: "system", secret: Self.wrongPassword, baseURL: authURL)
            : ClientAuth(clientId: "system", secret: Self.wrongPassword, baseURL: authURL)
        await audit.attempt { _ = try await auth.withAuth(wrongMachine).realms.list() }
        await audit.attempt { _ = try await core.nodes.get(UUID()) }
        await audit.attempt { _ = try await auth.users.get(UUID()) }
        for action: Fault.Action in [
            .status(503, retryAfter: 0), .status(500), .status(400), .invalidJSON, .truncatedBody, .dropConnection,
        ] {
            hub.injectFault(.init(pathPrefix: "/core/projects", count: 1, action: action))
            await audit.attempt { _ = try await core.projects.list() }
            hub.injectFault(.init(pathPrefix: "/auth/token", count: 1, action: action))
            let fresh = PasswordAuth(username: "admin", password: Self.adminPassword, baseURL: authURL)
            await audit.attempt { _ = try await auth.withAuth(fresh).realms.list() }
        }
        await audit.attempt { _ = try await core.withAuth(StaticAuth(Self.wrongPassword)).nodes.list() }
        await audit.attempt { _ = try await core.nodes.find(filter: ["name": .equals("a,b")]) }
        hub.clearFaults()
    }

    /// `secrets` as they could show: plain, percent-encoded (form and query), base64.
    static func encodings(of secrets: [String]) -> [String] {
        secrets.flatMap { secret -> [String] in
            let percent = secret.utf8.map { byte -> String in
                let unreserved =
                    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
                    || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
                return unreserved ? String(UnicodeScalar(byte)) : "%" + String(byte, radix: 16, uppercase: true)
            }.joined()
            let form = percent.replacing("%20", with: "+")
            let base64 = Data(secret.utf8).base64EncodedString()
            return [secret, percent, form, base64, String(base64.prefix(while: { $0 != "=" }))]
        }
    }

    /// `id:secret` in base64, as HTTP Basic client authentication would send it.
    static func basicCredentials(_ ids: [String]) -> [String] {
        ids.flatMap { id in
            [systemSecret, machineSecret, wrongPassword].map { Data("\(id):\($0)".utf8).base64EncodedString() }
        }
    }
}

/// Everything the audit collects: log lines with their metadata, error texts, descriptions,
/// and the tokens the token endpoint handed out.
final class Audit: Sendable {
    private let state = Mutex((texts: [String](), tokens: [String](), ids: [String]()))

    var texts: [String] { state.withLock { $0.texts } }
    var tokens: [String] { state.withLock { $0.tokens } }
    var machineIDs: [String] { state.withLock { $0.ids } }

    var logger: Logger {
        var logger = Logger(label: "audit") { _ in CollectingHandler(audit: self) }
        logger.logLevel = .trace
        return logger
    }

    func record(text: String) { state.withLock { $0.texts.append(text) } }
    func token(_ token: String) { state.withLock { $0.tokens.append(token) } }
    func machineID(_ id: String) { state.withLock { $0.ids.append(id) } }

    /// A thrown error's texts: its description, its reflection, and its fields' dump.
    func record(_ error: any Error) {
        record(text: "\(error)")
        record(text: String(reflecting: error))
        var dumped = ""
        dump(error, to: &dumped)
        record(text: dumped)
    }

    /// What a successful call returned, as a user would print it.
    func note(_ value: Any) {
        record(text: "\(value)")
    }

    /// Runs `call`, recording whatever it throws (failures are the point of most calls).
    func attempt(_ call: () async throws -> Void) async {
        do { try await call() } catch { record(error) }
    }
}

/// A log handler that keeps every line, metadata included.
struct CollectingHandler: LogHandler {
    let audit: Audit
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let error = event.error.map { " error: \($0)" } ?? ""
        audit.record(text: "\(event.level) \(event.message) \(merged)\(error)")
    }
}

/// Reads the token endpoint's answers to learn every token handed out, then passes them on.
struct TokenSniffer: HTTPTransport {
    let inner: any HTTPTransport
    let audit: Audit

    func send(_ request: HTTPRequest, body: RequestBody?) async throws -> (HTTPResponse, ResponseBody) {
        let (response, responseBody) = try await inner.send(request, body: body)
        guard request.path?.hasPrefix("/auth/token") == true else { return (response, responseBody) }
        let bytes = try await responseBody.collect(upTo: 1 << 20)
        struct Tokens: Decodable {
            var access_token: String?
            var refresh_token: String?
        }
        if let tokens = try? JSONDecoder().decode(Tokens.self, from: Data(bytes)) {
            for token in [tokens.access_token, tokens.refresh_token].compactMap({ $0 }) { audit.token(token) }
        }
        return (response, ResponseBody(bytes: bytes))
    }
}
