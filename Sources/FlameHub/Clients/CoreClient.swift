import FoundationEssentials
import HTTPTypes

/// The client of the Hub core service: registries, nodes, master images, projects, analyses and
/// their nodes, buckets, files and logs, plus the commands and credentials beyond CRUD.
///
/// ```swift
/// let core = CoreClient(baseURL: "http://localhost:3000/core/", auth: auth)
/// let nodes = try await core.nodes.find(filter: ["name": "~my-node-4"])
/// for try await node in core.nodes.findAll(sort: Sort(by: "createdAt")) { print(node.name) }
/// let node = try await core.createNode(CreateNode(name: "my-node"))
/// try await core.updateNode(node, UpdateNode(hidden: true))
/// try await core.deleteNode(node)
/// ```
///
/// Every resource is available as a property (`core.analyses.find(…)`) and as guide-style
/// methods (`core.findAnalyses(…)`). Differences between Hub generations are handled inside:
/// models decode both generations' payloads into one shape, bodies are spelled for the connected
/// generation, and what the connected generation lacks throws ``HubClientError``
/// (``HubClientError/Code/unsupportedByServer``) before anything is sent.
public struct CoreClient: HubClient {
    public static let service = HubService.core
    /// `https://core.privateaim.dev`.
    public static let defaultBaseURL = "https://core.privateaim.dev"
    public let context: HubContext

    public init(context: HubContext) {
        self.context = context
    }

    /// `/registries`.
    public var registries: Resource<CoreResources.Registries> { resource() }
    /// `/registry-projects`.
    public var registryProjects: Resource<CoreResources.RegistryProjects> { resource() }
    /// `/nodes`.
    public var nodes: Resource<CoreResources.Nodes> { resource() }
    /// `/master-image-groups` (read and delete).
    public var masterImageGroups: Resource<CoreResources.MasterImageGroups> { resource() }
    /// `/master-images` (read and delete; see ``syncMasterImages()`` and ``buildMasterImage(_:)``).
    public var masterImages: Resource<CoreResources.MasterImages> { resource() }
    /// `/master-image-event-logs` (legacy generation, read and delete).
    public var masterImageEventLogs: Resource<CoreResources.MasterImageEventLogs> { resource() }
    /// `/projects`.
    public var projects: Resource<CoreResources.Projects> { resource() }
    /// `/project-nodes`.
    public var projectNodes: Resource<CoreResources.ProjectNodes> { resource() }
    /// `/analyses`.
    public var analyses: Resource<CoreResources.Analyses> { resource() }
    /// `/analysis-nodes`.
    public var analysisNodes: Resource<CoreResources.AnalysisNodes> { resource() }
    /// `/analysis-buckets`.
    public var analysisBuckets: Resource<CoreResources.AnalysisBuckets> { resource() }
    /// `/analysis-bucket-files`.
    public var analysisBucketFiles: Resource<CoreResources.AnalysisBucketFiles> { resource() }
    /// `/analysis-node-events` (read-only, current generation).
    public var analysisNodeEvents: Resource<CoreResources.AnalysisNodeEvents> { resource() }
    /// `/analysis-logs` as database rows (legacy generation; current Hubs: ``findAnalysisLogs(analysisId:level:page:)``).
    public var analysisLogs: Resource<CoreResources.AnalysisLogs> { resource() }
    /// `/analysis-node-logs` as database rows (legacy generation; current Hubs:
    /// ``createAnalysisNodeLog(analysisId:nodeId:level:message:status:code:labels:)``).
    public var analysisNodeLogs: Resource<CoreResources.AnalysisNodeLogs> { resource() }
}

/// The declarations of the core service's resources.
public enum CoreResources {
    /// `/registries`: every operation.
    public enum Registries: CRUDResource {
        public typealias Model = Registry
        public typealias Create = CreateRegistry
        public typealias Update = UpdateRegistry
        public static let path = "registries"
    }

    /// `/registry-projects`: every operation.
    public enum RegistryProjects: CRUDResource {
        public typealias Model = RegistryProject
        public typealias Create = CreateRegistryProject
        public typealias Update = UpdateRegistryProject
        public static let path = "registry-projects"
    }

    /// `/nodes`: every operation.
    public enum Nodes: CRUDResource {
        public typealias Model = Node
        public typealias Create = CreateNode
        public typealias Update = UpdateNode
        public static let path = "nodes"
    }

    /// `/master-image-groups`: list, get, delete.
    public enum MasterImageGroups: ReadDeleteResource {
        public typealias Model = MasterImageGroup
        public static let path = "master-image-groups"
    }

    /// `/master-images`: list, get, delete.
    public enum MasterImages: ReadDeleteResource {
        public typealias Model = MasterImage
        public static let path = "master-images"
    }

    /// `/master-image-event-logs`: list, get, delete; legacy generation only (removed in 0.8.15).
    public enum MasterImageEventLogs: ReadDeleteResource {
        public typealias Model = MasterImageEventLog
        public static let path = "master-image-event-logs"
        public static var generations: Set<HubGeneration> { [.legacy] }
    }

    /// `/projects`: every operation.
    public enum Projects: CRUDResource {
        public typealias Model = Project
        public typealias Create = CreateProject
        public typealias Update = UpdateProject
        public static let path = "projects"
    }

    /// `/project-nodes`: every operation.
    public enum ProjectNodes: CRUDResource {
        public typealias Model = ProjectNode
        public typealias Create = CreateProjectNode
        public typealias Update = UpdateProjectNode
        public static let path = "project-nodes"
    }

    /// `/analyses`: every operation.
    public enum Analyses: CRUDResource {
        public typealias Model = Analysis
        public typealias Create = CreateAnalysis
        public typealias Update = UpdateAnalysis
        public static let path = "analyses"
    }

    /// `/analysis-nodes`: every operation.
    public enum AnalysisNodes: CRUDResource {
        public typealias Model = AnalysisNode
        public typealias Create = CreateAnalysisNode
        public typealias Update = UpdateAnalysisNode
        public static let path = "analysis-nodes"
    }

    /// `/analysis-buckets`: list, get, create, delete (the update route accepts no fields).
    public enum AnalysisBuckets: ListableResource, GettableResource, CreatableResource, DeletableResource {
        public typealias Model = AnalysisBucket
        public typealias Create = CreateAnalysisBucket
        public static let path = "analysis-buckets"
    }

    /// `/analysis-bucket-files`: every operation.
    public enum AnalysisBucketFiles: CRUDResource {
        public typealias Model = AnalysisBucketFile
        public typealias Create = CreateAnalysisBucketFile
        public typealias Update = UpdateAnalysisBucketFile
        public static let path = "analysis-bucket-files"
    }

    /// `/analysis-node-events`: list, get; current generation (the legacy reference, 0.8.13, lacks it).
    public enum AnalysisNodeEvents: ListableResource, GettableResource {
        public typealias Model = AnalysisNodeEvent
        public static let path = "analysis-node-events"
        public static var generations: Set<HubGeneration> { [.current] }
    }

    /// `/analysis-logs` rows: list, get, delete; legacy generation only (telemetry since 0.8.16).
    public enum AnalysisLogs: ReadDeleteResource {
        public typealias Model = AnalysisLog
        public static let path = "analysis-logs"
        public static var generations: Set<HubGeneration> { [.legacy] }
    }

    /// `/analysis-node-logs` rows: every operation; legacy generation only (telemetry since 0.8.14).
    public enum AnalysisNodeLogs: CRUDResource {
        public typealias Model = AnalysisNodeLog
        public typealias Create = CreateAnalysisNodeLog
        public typealias Update = UpdateAnalysisNodeLog
        public static let path = "analysis-node-logs"
        public static var generations: Set<HubGeneration> { [.legacy] }
    }

    /// A resource that is only read and deleted (`GET`, `GET /:id`, `DELETE /:id`).
    public typealias ReadDeleteResource = ListableResource & GettableResource & DeletableResource
}

extension HubContext {
    /// The server's dialect, after checking that its generation has `what`.
    ///
    /// - Throws: ``HubClientError`` (``HubClientError/Code/unsupportedByServer``) otherwise.
    func dialect(for what: String, in generations: Set<HubGeneration>) async throws -> HubDialect {
        let dialect = try await dialect()
        guard generations.contains(dialect.generation) else {
            let version = dialect.version.map { " \($0)" } ?? ""
            throw HubClientError(
                .unsupportedByServer, "\(what) does not exist on \(dialect.generation) servers\(version)")
        }
        return dialect
    }

    /// Sends `body` (encoded for `dialect`) and returns the successful answer's bytes.
    func call(
        _ method: HTTPRequest.Method, _ path: String, query: String = "", body: (any Encodable)? = nil,
        dialect: HubDialect
    ) async throws -> [UInt8] {
        let bytes = try body.map { try encode($0, dialect: dialect) }
        return try await send(method, path: path, query: query, body: bytes).1
    }

    /// Decodes an answer of `method path` as `T` (naming the request in errors).
    func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8], _ method: HTTPRequest.Method, _ path: String) throws
        -> T
    {
        try HubCoding.decode(T.self, from: bytes, request: "\(method.rawValue) \(HubURL.join(baseURL, path))")
    }
}

/// `{data: <record or null>, meta: {}}`.
struct DataBody<Record: Decodable>: Decodable {
    var data: Record?
}

// MARK: - Commands and credentials

extension CoreClient {
    static let currentOnly: Set<HubGeneration> = [.current]
    private static let everyGeneration = Set(HubGeneration.allCases)

    private struct CommandBody: Encodable {
        var command: String
        var id: AnyResourceID?
        var secret: SecretString?
    }

    private func idPath(_ collection: String, _ id: some ResourceIdentifier, _ rest: String) throws -> String {
        "\(collection)/\(try id.resourceID().uuidString.lowercased())/\(rest)"
    }

    /// Re-imports master images and groups from the configured repository
    /// (`POST /master-images/command {"command": "sync"}`); the images appear asynchronously.
    public func syncMasterImages() async throws {
        let dialect = try await context.dialect(for: "the master image sync", in: Self.everyGeneration)
        _ = try await context.call(.post, "master-images/command", body: CommandBody(command: "sync"), dialect: dialect)
    }

    /// Starts building master image `id` (`POST /master-images/command {"command": "build"}`,
    /// current generation) and returns the image with its new `buildStatus`.
    public func buildMasterImage(_ id: some ResourceIdentifier) async throws -> MasterImage? {
        let image = AnyResourceID(id)
        _ = try image.uuid()
        let dialect = try await context.dialect(for: "the master image build command", in: Self.currentOnly)
        let path = "master-images/command"
        let bytes = try await context.call(
            .post, path, body: CommandBody(command: "build", id: image), dialect: dialect)
        return try context.decode(DataBody<MasterImage>.self, bytes, .post, path).data
    }

    /// Sends `command` to analysis `id` (`POST /analyses/:id/command`) and returns the analysis.
    ///
    /// ```swift
    /// try await core.sendAnalysisCommand(analysis, .configurationLock)
    /// let started = try await core.sendAnalysisCommand(analysis, .buildStart)  // buildStatus == .starting
    /// ```
    /// - Throws: ``HubClientError`` (``HubClientError/Code/unsupportedByServer``) before sending
    ///   when the connected generation lacks `command` (see ``AnalysisCommand/all(for:)``).
    @discardableResult
    public func sendAnalysisCommand(_ id: some ResourceIdentifier, _ command: AnalysisCommand) async throws
        -> Analysis
    {
        let path = try idPath("analyses", id, "command")
        let dialect = try await context.dialect(
            for: "the analysis command '\(command.rawValue)'", in: command.generations)
        let bytes = try await context.call(.post, path, body: CommandBody(command: command.rawValue), dialect: dialect)
        return try context.decode(RecordBody<Analysis>.self, bytes, .post, path).record
    }

    /// Sends `command` to the registry service (`POST /services/registry/command`).
    ///
    /// - Parameters:
    ///   - id: a registry (``RegistryCommand/setup``, ``RegistryCommand/cleanup``,
    ///     ``RegistryCommand/delete``) or registry project (``RegistryCommand/projectLink``,
    ///     ``RegistryCommand/projectUnlink``).
    ///   - secret: the registry account secret, where the command needs one.
    public func sendRegistryCommand(
        _ command: RegistryCommand, id: some ResourceIdentifier, secret: SecretString? = nil
    )
        async throws
    {
        let target = AnyResourceID(id)
        _ = try target.uuid()
        let dialect = try await context.dialect(for: "the registry command", in: Self.everyGeneration)
        _ = try await context.call(
            .post, "services/registry/command",
            body: CommandBody(command: command.rawValue, id: target, secret: secret),
            dialect: dialect)
    }

    private func credentials<T: Decodable>(
        _ type: T.Type, _ path: String, _ method: HTTPRequest.Method, body: (any Encodable)? = nil
    ) async throws -> T {
        let dialect = try await context.dialect(for: "/\(path)", in: Self.currentOnly)
        let bytes = try await context.call(method, path, body: body, dialect: dialect)
        return try context.decode(T.self, bytes, method, path)
    }

    private struct SecretBody: Encodable {
        var secret: SecretString?
    }

    /// The OAuth2 client of node `id` (`GET /nodes/:id/client/credentials`, current generation).
    public func getNodeClientCredentials(_ id: some ResourceIdentifier) async throws -> ClientCredentials {
        try await credentials(ClientCredentials.self, try idPath("nodes", id, "client/credentials"), .get)
    }

    /// Sets a new secret for the client of node `id` — `secret`, or a random one the Hub generates
    /// when nil — and returns the credentials with the plaintext secret (current generation).
    public func rotateNodeClientCredentials(_ id: some ResourceIdentifier, secret: SecretString? = nil) async throws
        -> ClientCredentials
    {
        try await credentials(
            ClientCredentials.self, try idPath("nodes", id, "client/credentials"), .post,
            body: SecretBody(secret: secret))
    }

    /// The registry account node `id` pushes and pulls with (`GET /nodes/:id/registry/credentials`,
    /// current generation).
    public func getNodeRegistryCredentials(_ id: some ResourceIdentifier) async throws -> RegistryCredentials {
        try await credentials(RegistryCredentials.self, try idPath("nodes", id, "registry/credentials"), .get)
    }

    /// The OAuth2 client of analysis `id` (`GET /analyses/:id/client/credentials`, current generation).
    public func getAnalysisClientCredentials(_ id: some ResourceIdentifier) async throws -> ClientCredentials {
        try await credentials(ClientCredentials.self, try idPath("analyses", id, "client/credentials"), .get)
    }

    /// Sets a new secret for the client of analysis `id` (random when nil) and returns the
    /// credentials with the plaintext secret (current generation).
    public func rotateAnalysisClientCredentials(_ id: some ResourceIdentifier, secret: SecretString? = nil)
        async throws -> ClientCredentials
    {
        try await credentials(
            ClientCredentials.self, try idPath("analyses", id, "client/credentials"), .post,
            body: SecretBody(secret: secret))
    }
}

// MARK: - Analysis client permissions

extension CoreClient {
    private struct PermissionBody: Encodable {
        var permissionId: AnyResourceID
    }

    private func clientPermissionsPath(_ analysis: some ResourceIdentifier) throws -> String {
        "analyses/\(try analysis.resourceID().uuidString.lowercased())/client/permissions"
    }

    /// The permissions of analysis `analysis`'s OAuth2 client, each with its permission embedded
    /// (`GET /analyses/:id/client/permissions`, current generation).
    public func getAnalysisClientPermissions(_ analysis: some ResourceIdentifier) async throws
        -> ResourceList<ClientPermission>
    {
        let path = try clientPermissionsPath(analysis)
        let dialect = try await context.dialect(for: "/\(path)", in: Self.currentOnly)
        let bytes = try await context.call(.get, path, dialect: dialect)
        return try context.decode(ResourceList<ClientPermission>.self, bytes, .get, path)
    }

    /// Grants `permission` (only `analysis_self_storage_use` and `analysis_self_message_broker_use`
    /// are allowed) to analysis `analysis`'s client (`POST /analyses/:id/client/permissions`, 201,
    /// current generation; the analysis must not be locked).
    @discardableResult
    public func addAnalysisClientPermission(_ analysis: some ResourceIdentifier, permission: some ResourceIdentifier)
        async throws -> ClientPermission
    {
        let path = try clientPermissionsPath(analysis)
        let body = PermissionBody(permissionId: AnyResourceID(permission))
        _ = try body.permissionId.uuid()
        let dialect = try await context.dialect(for: "/\(path)", in: Self.currentOnly)
        let bytes = try await context.call(.post, path, body: body, dialect: dialect)
        return try context.decode(RecordBody<ClientPermission>.self, bytes, .post, path).record
    }

    /// Withdraws `permission` from analysis `analysis`'s client
    /// (`DELETE /analyses/:id/client/permissions/:permissionId`, 202, current generation).
    public func removeAnalysisClientPermission(
        _ analysis: some ResourceIdentifier, permission: some ResourceIdentifier
    ) async throws {
        let path = try clientPermissionsPath(analysis) + "/" + (try permission.resourceID().uuidString.lowercased())
        let dialect = try await context.dialect(for: "/\(path)", in: Self.currentOnly)
        _ = try await context.call(.delete, path, dialect: dialect)
    }
}

// MARK: - Logs

extension CoreClient {
    private struct NodeLogBody: Encodable {
        var analysisId: AnyResourceID
        var nodeId: AnyResourceID
        var level: LogLevel
        var message: String
        var status: String?
        var code: String?
        var labels: [String: String]?
    }

    private static func logFilter(
        analysisId: some ResourceIdentifier, nodeId: (any ResourceIdentifier)?, level: LogLevel?
    ) throws -> Filter {
        var conditions: [(String, FilterValue)] = [("analysisId", .equals(try analysisId.resourceID()))]
        if let nodeId { conditions.append(("nodeId", .equals(try nodeId.resourceID()))) }
        if let level { conditions.append(("level", .equals(level.rawValue))) }
        return Filter(conditions)
    }

    private func telemetry(
        _ method: HTTPRequest.Method, _ path: String, filter: Filter, page: Page?, dialect: HubDialect
    ) async throws -> [UInt8] {
        let query = try ResourceQuery(filter: filter, page: page).render(for: dialect)
        return try await context.call(method, path, query: query, dialect: dialect)
    }

    private func rejectLevel(_ level: LogLevel?, _ dialect: HubDialect) throws {
        guard level != nil, dialect.generation == .legacy else { return }
        throw HubClientError(.unsupportedByServer, "log levels do not exist on legacy servers (rows have `error`)")
    }

    /// The log lines of analysis `analysisId`, newest first (`GET /analysis-logs`).
    ///
    /// Current Hubs answer from their telemetry service; on legacy Hubs the database rows are
    /// converted to ``LogEntry`` (`level` is `error` for error rows, `info` otherwise).
    /// - Parameter level: only lines of this level (current generation).
    public func findAnalysisLogs(analysisId: some ResourceIdentifier, level: LogLevel? = nil, page: Page = Page())
        async throws -> ResourceList<LogEntry>
    {
        let filter = try Self.logFilter(analysisId: analysisId, nodeId: nil, level: level)
        let dialect = try await context.dialect()
        try rejectLevel(level, dialect)
        if dialect.generation == .legacy {
            let rows = try await analysisLogs.find(filter: filter, page: page)
            return ResourceList(rows.map(\.logEntry), meta: rows.meta)
        }
        let bytes = try await telemetry(.get, "analysis-logs", filter: filter, page: page, dialect: dialect)
        return try context.decode(ResourceList<LogEntry>.self, bytes, .get, "analysis-logs")
    }

    /// Deletes the log lines of analysis `analysisId` (`DELETE /analysis-logs?filter[analysisId]=…`,
    /// 202; on legacy Hubs every row is deleted by id).
    public func deleteAnalysisLogs(analysisId: some ResourceIdentifier) async throws {
        let filter = try Self.logFilter(analysisId: analysisId, nodeId: nil, level: nil)
        let dialect = try await context.dialect()
        if dialect.generation == .legacy {
            try await deleteEach(analysisLogs, filter: filter)
            return
        }
        _ = try await telemetry(.delete, "analysis-logs", filter: filter, page: nil, dialect: dialect)
    }

    /// Writes a log line for node `nodeId` in analysis `analysisId` (`POST /analysis-node-logs`;
    /// current Hubs answer 202 and make the line readable eventually).
    ///
    /// On legacy Hubs a row is created instead: `status` (default: the level's name) and
    /// `message` as its status message, `error` for error levels, `code` as error code.
    /// - Parameter labels: extra labels (current generation).
    @discardableResult
    public func createAnalysisNodeLog(
        analysisId: some ResourceIdentifier, nodeId: some ResourceIdentifier, level: LogLevel, message: String,
        status: String? = nil, code: String? = nil, labels: [String: String] = [:]
    ) async throws -> LogEntry {
        let body = NodeLogBody(
            analysisId: AnyResourceID(analysisId), nodeId: AnyResourceID(nodeId), level: level, message: message,
            status: status, code: code, labels: labels.isEmpty ? nil : labels)
        _ = try body.analysisId.uuid()
        _ = try body.nodeId.uuid()
        let dialect = try await context.dialect()
        if dialect.generation == .legacy {
            guard labels.isEmpty else {
                throw HubClientError(.unsupportedByServer, "log labels do not exist on legacy servers")
            }
            let row = try await analysisNodeLogs.create(
                CreateAnalysisNodeLog(
                    analysis: analysisId, node: nodeId, status: status ?? level.rawValue, statusMessage: message,
                    error: level.isError, errorCode: code))
            return row.logEntry
        }
        let bytes = try await context.call(.post, "analysis-node-logs", body: body, dialect: dialect)
        return try context.decode(RecordBody<LogEntry>.self, bytes, .post, "analysis-node-logs").record
    }

    /// The log lines of node `nodeId` in analysis `analysisId` (`GET /analysis-node-logs`; legacy
    /// rows are converted to ``LogEntry``).
    /// - Parameter level: only lines of this level (current generation).
    public func findAnalysisNodeLogs(
        analysisId: some ResourceIdentifier, nodeId: some ResourceIdentifier, level: LogLevel? = nil,
        page: Page = Page()
    ) async throws -> ResourceList<LogEntry> {
        let filter = try Self.logFilter(analysisId: analysisId, nodeId: nodeId, level: level)
        let dialect = try await context.dialect()
        try rejectLevel(level, dialect)
        if dialect.generation == .legacy {
            let rows = try await analysisNodeLogs.find(filter: filter, page: page)
            return ResourceList(rows.map(\.logEntry), meta: rows.meta)
        }
        let bytes = try await telemetry(.get, "analysis-node-logs", filter: filter, page: page, dialect: dialect)
        return try context.decode(ResourceList<LogEntry>.self, bytes, .get, "analysis-node-logs")
    }

    /// Deletes the log lines of node `nodeId` in analysis `analysisId` (`DELETE
    /// /analysis-node-logs?filter[analysisId]=…&filter[nodeId]=…`, 202; on legacy Hubs every row
    /// is deleted by id).
    public func deleteAnalysisNodeLogs(analysisId: some ResourceIdentifier, nodeId: some ResourceIdentifier)
        async throws
    {
        let filter = try Self.logFilter(analysisId: analysisId, nodeId: nodeId, level: nil)
        let dialect = try await context.dialect()
        if dialect.generation == .legacy {
            try await deleteEach(analysisNodeLogs, filter: filter)
            return
        }
        _ = try await telemetry(.delete, "analysis-node-logs", filter: filter, page: nil, dialect: dialect)
    }

    /// Collects every matching row first (deleting while paging would skip rows), then deletes them.
    private func deleteEach<D: ListableResource & DeletableResource>(_ resource: Resource<D>, filter: Filter)
        async throws
    {
        var ids: [UUID] = []
        for try await row in resource.findAll(filter: filter) { ids.append(row.id) }
        for id in ids { try await resource.delete(id) }
    }
}

extension AnalysisLog {
    /// The row as a log line.
    var logEntry: LogEntry {
        var labels = ["refType": "analysis", "refId": id.uuidString.lowercased()]
        labels["analysisId"] = analysisId?.uuidString.lowercased()
        labels["command"] = command
        labels["event"] = event
        labels["status"] = status
        labels["code"] = errorCode
        return LogEntry(
            time: createdAt, level: error == true ? .error : .info, message: statusMessage ?? event ?? status,
            service: component, channel: "system", labels: labels)
    }
}

extension AnalysisNodeLog {
    /// The row as a log line.
    var logEntry: LogEntry {
        var labels = [
            "refType": "analysisNode", "refId": id.uuidString.lowercased(),
            "analysisId": analysisId.uuidString.lowercased(), "nodeId": nodeId.uuidString.lowercased(),
        ]
        labels["status"] = status
        labels["code"] = errorCode
        return LogEntry(
            time: createdAt, level: error == true ? .error : .info, message: statusMessage ?? status, channel: "http",
            labels: labels)
    }
}
