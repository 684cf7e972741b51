#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The declarations of the telemetry service's resources.
public enum TelemetryResources {
    /// `/events`: list, get, delete (created by ``TelemetryClient/createEvent(_:)``, which keeps
    /// the caller's `data` keys as given); Hub 0.12.3+ here (the legacy reference, 0.8.13, has no
    /// telemetry service).
    public enum Events: ListableResource, GettableResource, DeletableResource {
        public typealias Model = TelemetryEvent
        public static let path = "events"
        public static var generations: Set<HubGeneration> { TelemetryClient.generations }
    }
}

/// The client of the Hub telemetry service: events and log lines.
///
/// ```swift
/// let telemetry = TelemetryClient(baseURL: "http://localhost:3000/telemetry/", auth: auth)
/// let event = try await telemetry.createEvent(
///     CreateTelemetryEvent(refType: "analysis", refId: analysis.id, scope: "build", name: "started"))
/// try await telemetry.createLog(CreateLog(message: "pulled", level: .info, service: "my-node", channel: .system))
/// let lines = try await telemetry.findLogs(labels: ["analysisId": analysis.id.uuidString.lowercased()])
/// ```
///
/// The analysis log routes of ``CoreClient`` (``CoreClient/findAnalysisLogs(analysisId:level:page:)``)
/// read the same lines through the core service; this client reaches any label.
public struct TelemetryClient: HubClient {
    public static let service = HubService.telemetry
    /// `https://telemetry.privateaim.dev`.
    public static let defaultBaseURL = "https://telemetry.privateaim.dev"
    /// Generations with a telemetry service here (`apps/server-telemetry` at `v0.12.7`, `v0.14.0`).
    static let generations: Set<HubGeneration> = [.transitional, .current]
    public let context: HubContext

    public init(context: HubContext) {
        self.context = context
    }

    /// `/events` (get, list, find, delete; see ``createEvent(_:)``).
    public var events: Resource<TelemetryResources.Events> { resource() }

    /// Records an event (`POST /events`, 201) and returns it.
    @discardableResult
    public func createEvent(_ event: CreateTelemetryEvent) async throws -> TelemetryEvent {
        let dialect = try await context.dialect(for: "/events", in: Self.generations)
        let (_, bytes) = try await context.send(
            .post, path: "events", body: try event.jsonBytes(casing: dialect.keyCasing))
        return try context.decode(RecordBody<TelemetryEvent>.self, bytes, .post, "events").record
    }

    /// Writes a log line (`POST /logs`, 201; needs the `log_create` permission) and returns it as stored.
    @discardableResult
    public func createLog(_ line: CreateLog) async throws -> LogEntry {
        _ = try await context.dialect(for: "/logs", in: Self.generations)
        let (_, bytes) = try await context.send(.post, path: "logs", body: try PlainJSON.encode(line))
        return try context.decode(RecordBody<LogEntry>.self, bytes, .post, "logs").record
    }

    /// The log lines whose labels equal `labels` (at least one), newest first (`GET /logs`).
    ///
    /// - Parameters:
    ///   - labels: label name → value, e.g. `["analysisId": id]`; the Hub answers 400 without any.
    ///   - page: the page (default and largest: the telemetry service's 100 lines).
    public func findLogs(labels: [String: String], page: Page = Page(limit: 100)) async throws
        -> ResourceList<LogEntry>
    {
        _ = try await context.dialect(for: "/logs", in: Self.generations)
        let query = Self.labelQuery(
            labels, extra: [("page[limit]", String(page.limit)), ("page[offset]", String(page.offset))])
        let (_, bytes) = try await context.send(.get, path: "logs", query: query)
        return try context.decode(ResourceList<LogEntry>.self, bytes, .get, "logs")
    }

    /// Deletes the log lines whose labels equal `labels` (at least one) (`DELETE /logs`, 202;
    /// needs `log_delete`). Hub 0.14.0's stores accept the call but do not delete yet
    /// (`apps/server-telemetry/src/adapters/telemetry/victoria-logs.ts`: a todo).
    public func deleteLogs(labels: [String: String]) async throws {
        _ = try await context.dialect(for: "/logs", in: Self.generations)
        _ = try await context.send(.delete, path: "logs", query: Self.labelQuery(labels, extra: []))
    }

    /// `filter[<label>]=<value>&…`: label names are the caller's, so they are sent as given in
    /// every generation (the query engine would re-case them), and the store matches them exactly.
    private static func labelQuery(_ labels: [String: String], extra: [(String, String)]) -> String {
        let items = extra + labels.sorted { $0.key < $1.key }.map { ("filter[\($0.key)]", $0.value) }
        return items.map { PercentEncoding.encode($0.0) + "=" + PercentEncoding.encode($0.1) }.joined(separator: "&")
    }
}
