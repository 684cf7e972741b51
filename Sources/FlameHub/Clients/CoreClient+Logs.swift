#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import HTTPTypes

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
    /// - Parameters:
    ///   - analysisId: the analysis.
    ///   - level: only lines of this level (current generation).
    ///   - page: the page to read (default: the first 50 lines).
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
    /// - Parameters:
    ///   - analysisId: the analysis.
    ///   - nodeId: the node writing the line.
    ///   - level: the line's level.
    ///   - message: the line's text.
    ///   - status: a run status (legacy rows; default: the level's name).
    ///   - code: an error code (legacy rows).
    ///   - labels: extra labels (current generation).
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
    /// - Parameters:
    ///   - analysisId: the analysis.
    ///   - nodeId: the node.
    ///   - level: only lines of this level (current generation).
    ///   - page: the page to read (default: the first 50 lines).
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
        var labels = ["refType": "analysis", "refId": id.lowercasedString]
        labels["analysisId"] = analysisId?.lowercasedString
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
            "refType": "analysisNode", "refId": id.lowercasedString,
            "analysisId": analysisId.lowercasedString, "nodeId": nodeId.lowercasedString,
        ]
        labels["status"] = status
        labels["code"] = errorCode
        return LogEntry(
            time: createdAt, level: error == true ? .error : .info, message: statusMessage ?? status, channel: "http",
            labels: labels)
    }
}
