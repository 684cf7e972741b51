@_spi(FlameHubTools) import FlameHub

/// Hub telemetry (`/telemetry/`, Hub 0.8.14+; transitional and current generations here, the
/// legacy reference 0.8.13 has none): `/events` on the generic engine and the label-keyed
/// `/logs` store (`apps/server-telemetry/src/adapters/http/controllers` at `v0.12.7`, `v0.14.0`).
enum TelemetryService: ServiceModule {
    static let eventsTable = "telemetry/events"
    static let logsTable = "telemetry/logs"
    static let channels = ["http", "websocket", "background", "system"]

    static func definition(generation: HubGeneration, configuration: HubEmulator.Configuration) -> ServiceDefinition {
        switch generation {
        case .legacy:
            return ServiceDefinition(name: "telemetry", errorFormat: .hub(generation))
        case .transitional, .current:
            return ServiceDefinition(
                name: "telemetry", errorFormat: .hub(generation),
                routes: [
                    HubStatus.route(generation),
                    Route([.post], "/logs", access: .permission("log_create")) { context in try createLog(context) },
                    Route([.get], "/logs", access: anyOf("log_read", "log_delete")) { context in try logs(context) },
                    Route([.delete], "/logs", access: .permission("log_delete")) { context in try logs(context) },
                ],
                resources: [events()])
        }
    }

    static func seed(into store: inout Store, generation: HubGeneration, configuration: HubEmulator.Configuration) {}

    /// `preCheckOneOf`: any of `permissions` admits the caller.
    static func anyOf(_ permissions: String...) -> Access {
        .custom { identity in
            guard let identity else { throw EmulatorError(.unauthorized) }
            guard permissions.contains(where: identity.has) else {
                throw EmulatorError(.permissionDenied(permission: permissions[0]))
            }
        }
    }

    /// `/events`: `EventValidator` (`packages/telemetry-kit/src/domains/event/validator.ts`),
    /// `eventSchema` filters and sorts, and `EventService`'s realm rule
    /// (`apps/server-telemetry/src/core/entities/event/service.ts`), all at `v0.14.0`.
    static func events() -> ResourceDefinition {
        ResourceDefinition(
            entity: "event", table: eventsTable,
            fields: [
                .id().sortable(false),
                .string("refType").required().notNull().length(3...128).filterable(),
                .uuid("refId").createOnly().filterable(),
                .string("scope").required().notNull().length(3...128).filterable(),
                .string("name").required().notNull().length(3...128).filterable(),
                .json("data").createOnly(),
                Field(name: "expiring", kind: .boolean).createOnly().defaults(false),
                .string("requestPath").createOnly().length(3...256),
                .string("requestMethod").createOnly().length(3...10),
                .string("requestIpAddress").createOnly(),
                .string("requestUserAgent").createOnly().length(3...512),
                .string("actorType").createOnly().length(3...64),
                .uuid("actorId").createOnly(),
                .string("actorName").createOnly().length(3...64),
                .uuid("realmId").createOnly().filterable(),
                Field(name: "expiresAt", kind: .timestamp).createOnly().sortable(),
            ] + Field.timestamps(filterable: true),
            operations: [.list, .read, .create, .delete],
            access: AccessRules(
                list: anyOf("event_read", "event_delete"), read: anyOf("event_read", "event_delete"),
                create: .permission("event_create"), delete: .permission("event_delete")),
            hooks: ResourceHooks(
                prepareCreate: { record, _, context in
                    if let realm = record["realmId"], !realm.isNull {
                        try HubRules.requireWrite(realm: realm, context, "You are not permitted to create this event.")
                    } else {
                        record["realmId"] = context.identity.map { .string($0.realmId) } ?? .null
                    }
                },
                beforeDelete: { record, _, context in
                    if let realm = record["realmId"], !realm.isNull {
                        try HubRules.requireWrite(realm: realm, context, "You are not permitted to delete this event.")
                    }
                })
        )
    }

    /// The tables holding log lines: the telemetry's own and those the core's current-generation
    /// log routes write (on the real Hub the core forwards them here).
    static let logTables = [logsTable, CoreTable.analysisLogs, CoreTable.analysisNodeLogs]

    /// `POST /logs` → 201 with the stored line (`LogValidator` at `v0.14.0`,
    /// `packages/telemetry-kit/src/domains/log/validator.ts`; `normalizeLogInput` fills `time`).
    static func createLog(_ context: HandlerContext) throws -> EmulatorResponse {
        let body = try context.bodyObject()
        var reader = LogBodyReader(body, context)
        let message = reader.text("message", 3...4096)
        let service = reader.text("service", 3...64)
        let level = reader.level()
        let channel = reader.option("channel", channels)
        let labels = reader.labels()
        var issues = reader.issues
        var time = Support.timestamp()
        if let supplied = body["time"], !supplied.isNull {
            if let string = supplied.stringValue, ISO8601.parse(string) != nil {
                time = string
            } else {
                issues.append(.init(field: "time", code: "invalid_format", message: "Invalid ISO datetime"))
            }
        }
        guard issues.isEmpty, let message, let service, let level, let channel else {
            throw EmulatorError.validation(issues)
        }
        let line: EmulatorJSONObject = [
            "time": .string(time), "level": .string(level), "message": .string(message), "channel": .string(channel),
            "service": .string(service), "labels": .object(labels),
        ]
        context.state.withStore { store in
            var row = line
            row["id"] = .string(Support.uuid())
            store.save(logsTable, row)
        }
        return context.envelopesRecords
            ? .json(["data": .object(line), "meta": [:]], status: 201) : .json(.object(line), status: 201)
    }

    /// `GET /logs` (newest first, `limit` ≤ 100, default 100, `meta {total, limit, offset}` and
    /// no schema) and `DELETE /logs` (202 `null`): every filter is an equality on a label, a
    /// dotted key's prefix is dropped (`labels.nodeId` → `nodeId`), and without one the Hub
    /// answers 400. The real 0.14.0 stores' `delete` is still a todo; lines go here, as on the
    /// core's log routes.
    static func logs(_ context: HandlerContext) throws -> EmulatorResponse {
        let query = RapiqQuery(context.query)
        var labels: [String: String] = [:]
        for (key, values) in query.filters {
            guard let value = values.last else { continue }
            if context.method == .delete, key == "time" {
                guard Double(value)?.isFinite == true else {
                    throw EmulatorError.badRequest("Filter time must be a finite unix timestamp.")
                }
                continue
            }
            let name = key.firstIndex(of: ".").map { String(key[key.index(after: $0)...]) } ?? key
            labels[name] = value
        }
        guard !labels.isEmpty else { throw EmulatorError.badRequest("Filter labels must be specified.") }
        let wanted = labels
        let matches: @Sendable (EmulatorJSONObject) -> Bool = { row in
            let rowLabels = row["labels"]?.objectValue ?? [:]
            return wanted.allSatisfy { rowLabels[$0.key] == .string($0.value) }
        }
        if context.method == .delete {
            context.state.withStore { store in
                for table in logTables { _ = store.deleteAll(table, where: matches) }
            }
            return .json(.null, status: 202)
        }
        let limit = query.limit.flatMap(Int.init).flatMap { $0 > 0 ? min($0, 100) : nil } ?? 100
        let offset = query.offset.flatMap(Int.init).flatMap { $0 >= 0 ? $0 : nil } ?? 0
        let rows = context.state.withStore { store in logTables.flatMap { store.rows($0, where: matches) } }
            .sorted { ($0["time"]?.stringValue ?? "") > ($1["time"]?.stringValue ?? "") }
        let page = rows.dropFirst(offset).prefix(limit).map(TelemetryLogs.present)
        return .json([
            "data": .array(Array(page)),
            "meta": ["total": .int(rows.count), "limit": .int(limit), "offset": .int(offset)],
        ])
    }
}
