import FlameHub

/// Current-generation `/analysis-logs` and `/analysis-node-logs`: a proxy to the telemetry
/// service, so lines have no ids, reads need equality filters and deletes go by filter.
enum TelemetryLogs {
    static let levels = ["emerg", "alert", "crit", "error", "warn", "notice", "info", "debug"]

    static func routes() -> [Route] {
        [
            Route([.get, .delete], "/analysis-logs", access: .authenticated) { context in
                try query(context, table: CoreTable.analysisLogs, required: ["analysisId"])
            },
            Route([.get, .delete], "/analysis-node-logs", access: .authenticated) { context in
                try query(context, table: CoreTable.analysisNodeLogs, required: ["analysisId", "nodeId"])
            },
            Route([.post], "/analysis-node-logs", access: .authenticated) { context in try createNodeLog(context) },
        ]
    }

    /// Stores one log line; `labels` are strings (or JSON values the caller vouches for).
    static func append(
        _ table: String, level: String, message: String, channel: String, service: String, labels: EmulatorJSONObject,
        store: inout Store
    ) {
        store.save(
            table,
            [
                "id": .string(Support.uuid()), "time": .string(Support.timestamp()), "level": .string(level),
                "message": .string(message), "channel": .string(channel), "service": .string(service),
                "labels": .object(labels),
            ])
    }

    static func present(_ row: EmulatorJSONObject) -> EmulatorJSON {
        var line = row
        line["id"] = nil
        return .object(line)
    }

    /// `GET` (filtered page, newest first) and `DELETE` (by filter → 202 `null`).
    static func query(_ context: HandlerContext, table: String, required: [String]) throws -> EmulatorResponse {
        let query = RapiqQuery(context.query)
        var equals: [String: String] = [:]
        // Filter keys in the service's casing (`analysis_id` on 0.12.7), matched by their camelCase name.
        for (wireKey, values) in query.filters {
            let key = KeyCasing.camelCase.convert(wireKey)
            guard required.contains(key) || key == "level" else { continue }
            guard let value = values.last else { continue }
            if let operation = nonEquality(value) {
                throw EmulatorError.badRequest(
                    "The filter operator '\(operation)' on '\(key)' is not supported here; only equality (eq) filters are allowed."
                )
            }
            equals[key] = value
        }
        guard required.allSatisfy({ equals[$0] != nil }) else {
            throw EmulatorError.badRequest(
                required.count == 1
                    ? "The filter \(required[0]) must be defined."
                    : "The filters nodeId and analysisId must be defined.")
        }
        let conditions = equals
        let matches: @Sendable (EmulatorJSONObject) -> Bool = { row in
            let labels = row["labels"]?.objectValue ?? [:]
            return conditions.allSatisfy { key, value in
                key == "level" ? row["level"] == .string(value) : labels[key] == .string(value)
            }
        }
        if context.method == .delete {
            context.state.withStore { store in _ = store.deleteAll(table, where: matches) }
            return .json(.null, status: 202)
        }
        let limit = min(ResourceEngine.maxLimit, query.limit.flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil } ?? 50)
        let offset = query.offset.flatMap(Int.init).flatMap { $0 >= 0 ? $0 : nil } ?? 0
        let rows = context.state.withStore { store in store.rows(table, where: matches) }.reversed()
        let page = rows.dropFirst(offset).prefix(limit).map(present)
        return .json([
            "data": .array(Array(page)),
            "meta": [
                "total": .int(rows.count), "limit": .int(limit), "offset": .int(offset),
                "schema": schema(filters: required + ["level"]),
            ],
        ])
    }

    /// rapiq operator name of a non-equality filter value, `nil` for plain equality.
    static func nonEquality(_ value: String) -> String? {
        if value.hasPrefix("!") { return "ne" }
        if value.hasPrefix("~") || value.hasSuffix("~") { return "like" }
        if value.hasPrefix("<=") { return "lte" }
        if value.hasPrefix("<") { return "lt" }
        if value.hasPrefix(">=") { return "gte" }
        if value.hasPrefix(">") { return "gt" }
        if value.contains(",") { return "in" }
        return nil
    }

    static func schema(filters: [String]) -> EmulatorJSON {
        let fields: [EmulatorJSON] = ["time", "level", "message", "service", "channel", "labels"]
        return [
            "name": "log", "strict": true, "indexes": .null,
            "fields": ["default": .array(fields), "allowed": .array(fields)],
            "filters": ["allowed": .array(filters.map(EmulatorJSON.string)), "caseSensitive": .null, "indexed": false],
            "pagination": ["maxLimit": .int(ResourceEngine.maxLimit)],
            "relations": ["allowed": [], "schemas": [:]],
            "sorts": ["allowed": [], "default": .null, "indexed": false],
        ]
    }

    /// `POST /analysis-node-logs` → 202 `{data: <log line>, meta: {}}`.
    static func createNodeLog(_ context: HandlerContext) throws -> EmulatorResponse {
        var reader = LogBodyReader(try context.bodyObject(), context)
        let analysisID = reader.text("analysisId", 36...36)
        let nodeID = reader.text("nodeId", 36...36)
        let message = reader.text("message", 3...2048)
        let level = reader.level()
        let status = reader.text("status", 3...64, optional: true)
        let code = reader.text("code", 3...64, optional: true)
        var labels = reader.labels()
        var issues = reader.issues
        let (analysis, node) = context.state.withStore { store in
            (
                analysisID.flatMap { store.find(CoreTable.analyses, id: $0) },
                nodeID.flatMap { store.find(CoreTable.nodes, id: $0) }
            )
        }
        if analysisID != nil, analysis == nil || !isVersion4(analysisID) {
            issues.append(.init(field: "analysisId", code: "custom", message: "The analysis could not be found."))
        }
        if nodeID != nil, node == nil || !isVersion4(nodeID) {
            issues.append(.init(field: "nodeId", code: "custom", message: "The node could not be found."))
        }
        if !issues.isEmpty { throw EmulatorError.validation(issues) }
        guard let node, let analysisID, let nodeID, let message, let level else {
            throw EmulatorError.validation(issues)
        }
        if !HubRules.canWrite(realm: node["realmId"], context.identity) {
            throw HubRules.forbidden("You are not an actor of the node realm.", context.generation)
        }
        labels["refType"] = "analysisNode"
        labels["analysisId"] = .string(analysisID)
        labels["nodeId"] = .string(nodeID)
        if let code { labels["code"] = .string(code) }
        if let status { labels["status"] = .string(status) }
        let line = context.state.withStore { store -> EmulatorJSON in
            append(
                CoreTable.analysisNodeLogs, level: level, message: message, channel: "http", service: "hub-server-core",
                labels: labels, store: &store)
            return store.all(CoreTable.analysisNodeLogs).last.map(present) ?? .null
        }
        return context.envelopesRecords ? .json(["data": line, "meta": [:]], status: 202) : .json(line, status: 202)
    }

    /// The validator wants RFC 4122 version-4 ids.
    static func isVersion4(_ id: String?) -> Bool {
        guard let id, Support.isUUID(id) else { return false }
        let characters = Array(id.lowercased())
        return characters[14] == "4" && "89ab".contains(characters[19])
    }
}

/// Reads the fields of a log-line body (core `POST /analysis-node-logs`, telemetry `POST /logs`)
/// and collects zod's issues for what is missing or malformed.
struct LogBodyReader {
    let body: EmulatorJSONObject
    let context: HandlerContext
    var issues: [ValidationIssue] = []

    init(_ body: EmulatorJSONObject, _ context: HandlerContext) {
        self.body = body
        self.context = context
    }

    /// The string `key` (camelCase) of `range` characters; `null` counts as absent when optional.
    mutating func text(_ key: String, _ range: ClosedRange<Int>, optional: Bool = false) -> String? {
        guard let value = body[context.wireName(key)], !(optional && value.isNull) else {
            if !optional {
                issues.append(
                    .init(field: key, code: "required", message: "Invalid input: expected string, received undefined"))
            }
            return nil
        }
        guard let string = value.stringValue, range.contains(string.count) else {
            issues.append(.init(field: key, code: "value_invalid", message: "Invalid input: expected string"))
            return nil
        }
        return string
    }

    /// `key`, one of `options` (zod's `enum`).
    mutating func option(_ key: String, _ options: [String]) -> String? {
        guard let value = text(key, 1...16) else { return nil }
        guard options.contains(value) else {
            issues.append(.init(field: key, code: "invalid_value", message: "Invalid option"))
            return nil
        }
        return value
    }

    /// `level`, one of the telemetry's levels.
    mutating func level() -> String? { option("level", TelemetryLogs.levels) }

    /// `labels`: a string-to-string record, `{}` when absent or `null`.
    mutating func labels() -> EmulatorJSONObject {
        guard let supplied = body["labels"], !supplied.isNull else { return [:] }
        guard let object = supplied.objectValue, object.values.allSatisfy({ $0.stringValue != nil }) else {
            issues.append(.init(field: "labels", code: "value_invalid", message: "Invalid input: expected record"))
            return [:]
        }
        return object
    }
}
