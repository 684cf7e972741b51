import FlameHub

/// The generic list/read/create/update/replace/delete implementation shared by every declared
/// resource. All per-resource behaviour comes from the ``ResourceDefinition``; nothing here
/// knows a concrete entity.
struct ResourceEngine: Sendable {
    let core: EmulatorCore

    static let maxLimit = 50

    /// Routes `GET|POST|PUT|DELETE /<path>[/<id>]` of `resource`; `nil` when the method/shape
    /// is not served (the caller answers 404).
    func handle(_ resource: ResourceDefinition, id: String?, context: HandlerContext) throws -> EmulatorResponse? {
        let operations = resource.operations
        switch (context.method, id) {
        case (.get, nil) where operations.contains(.list): return try list(resource, context: context)
        case (.post, nil) where operations.contains(.create): return try create(resource, context: context)
        case (.get, let id?) where operations.contains(.read): return try read(resource, id: id, context: context)
        case (.post, let id?) where operations.contains(.update): return try update(resource, id: id, context: context)
        case (.put, let id?) where operations.contains(.replace): return try replace(resource, id: id, context: context)
        case (.delete, let id?) where operations.contains(.delete):
            return try delete(resource, id: id, context: context)
        default: return nil
        }
    }

    // MARK: Operations

    func list(_ resource: ResourceDefinition, context: HandlerContext) throws -> EmulatorResponse {
        try context.require(resource.access.list)
        let query = try parsedQuery(context)
        let generation = context.generation
        let filters = resolveFilters(
            resource, query: query, generation: generation.filterDialect(of: resource.hubService))
        let sort = resolveSort(resource, query: query, generation: generation)
        let projection = self.projection(resource, tokens: query.fields, single: false)
        let includes = resolveIncludes(resource, query: query, single: false)

        // Paging: a limit applies when the service has a default or any `page` key was sent.
        var limit: Int?
        var offset = 0
        if query.pageGiven || context.service.defaultPageLimit != nil {
            limit = min(
                Self.maxLimit,
                query.limit.flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil } ?? context.service.defaultPageLimit
                    ?? Self.maxLimit)
            offset = query.offset.flatMap(Int.init).flatMap { $0 >= 0 ? $0 : nil } ?? 0
        }

        let (rows, total) = context.state.withStore { store -> ([EmulatorJSON], Int) in
            var matched = store.all(resource.table).filter { record in
                if let scope = context.realmScope, record["realmId"]?.stringValue != scope { return false }
                if let readable = resource.hooks.readable, !readable(record, context.identity) { return false }
                return filters.allSatisfy { condition in
                    condition.matches(value(at: condition.path, of: record, resource: resource, store: store))
                }
            }
            if !sort.isEmpty {
                matched = stableSorted(matched, by: sort) { record, key in
                    value(at: key.split(separator: ".").map(String.init), of: record, resource: resource, store: store)
                }
            }
            let total = matched.count
            var page = matched.dropFirst(offset)[...]
            if let limit { page = page.prefix(limit) }
            let rendered = page.map {
                render(
                    $0, resource: resource, projection: projection, includes: includes, store: store,
                    relationFields: query.relationFields)
            }
            return (rendered, total)
        }

        var meta: EmulatorJSONObject = ["total": .int(total)]
        if let limit {
            meta["limit"] = .int(limit)
            meta["offset"] = .int(offset)
        }
        if generation == .current {
            meta["schema"] = schema(resource, single: false)
        }
        return .json(["data": .array(rows), "meta": .object(meta)])
    }

    func read(_ resource: ResourceDefinition, id: String, context: HandlerContext) throws -> EmulatorResponse {
        try context.require(resource.access.read)
        let honours = resource.readHonoursQuery
        let query = honours ? try parsedQuery(context) : RapiqQuery()
        let isSelf = resource.selfAliases[id] != nil
        var projection = self.projection(resource, tokens: query.fields, single: true)
        if isSelf {
            for extra in resource.selfExtraFields where !projection.contains(extra) { projection.append(extra) }
        }
        let includes = resolveIncludes(resource, query: query, single: true)
        let rendered = try context.state.withStore { store -> EmulatorJSON in
            let record = try lookup(resource, id: id, context: context, store: store)
            if let readable = resource.hooks.readable, !readable(record, context.identity) {
                throw resource.unreadableError ?? EmulatorError.notFound(resource.entity)
            }
            return render(
                record, resource: resource, projection: projection, includes: includes, store: store,
                relationFields: query.relationFields)
        }
        switch context.generation {
        case .legacy, .transitional: break
        case .current: return .json(["data": rendered, "meta": ["schema": schema(resource, single: true)]])
        }
        return .json(rendered)
    }

    func create(_ resource: ResourceDefinition, context: HandlerContext) throws -> EmulatorResponse {
        try validateBeforeAccess(resource, creating: true, context: context)
        try context.require(resource.access.create)
        let input = try internalBody(resource, context: context)
        let rendered = try context.state.withStore { store in
            try createRecord(resource, input: input, context: context, store: &store)
        }
        return writeResponse(rendered, status: resource.createStatus, context: context)
    }

    func update(_ resource: ResourceDefinition, id: String, context: HandlerContext) throws -> EmulatorResponse {
        try validateBeforeAccess(resource, creating: false, context: context)
        try context.require(resource.access.update)
        let input = try internalBody(resource, context: context)
        let rendered = try context.state.withStore { store in
            let existing = try lookup(resource, id: id, context: context, store: &store)
            return try updateRecord(resource, existing: existing, input: input, context: context, store: &store)
        }
        return writeResponse(rendered, status: 202, context: context)
    }

    /// Body validation ahead of the permission check, for resources that ask for it.
    private func validateBeforeAccess(_ resource: ResourceDefinition, creating: Bool, context: HandlerContext) throws {
        guard resource.validatesBeforeAccess, context.identity != nil else { return }
        _ = try validate(
            resource, input: try internalBody(resource, context: context), creating: creating,
            bodyIsForm: context.bodyIsForm)
    }

    /// `PUT /:id`: update when found, otherwise create (with `:id` as name when it is not a UUID).
    func replace(_ resource: ResourceDefinition, id: String, context: HandlerContext) throws -> EmulatorResponse {
        var input = try internalBody(resource, context: context)
        let (rendered, created) = try context.state.withStore { store -> (EmulatorJSON, Bool) in
            if let existing = try? lookup(resource, id: id, context: context, store: &store) {
                try context.require(resource.access.update)
                return (
                    try updateRecord(resource, existing: existing, input: input, context: context, store: &store), false
                )
            }
            if Support.isUUID(id), !resource.replaceCreatesUnknownIDs {
                throw EmulatorError.notFound(resource.entity)
            }
            try context.require(resource.access.create)
            if !Support.isUUID(id), let nameField = resource.lookupFields.first, input[nameField] == nil {
                input[nameField] = .string(id)
            }
            return (try createRecord(resource, input: input, context: context, store: &store), true)
        }
        return writeResponse(rendered, status: created ? 201 : 202, context: context)
    }

    func delete(_ resource: ResourceDefinition, id: String, context: HandlerContext) throws -> EmulatorResponse {
        try context.require(resource.access.delete)
        if resource.deleteRequiresUUID, !Support.isUUID(id), resource.selfAliases[id] == nil {
            throw EmulatorError.badRequest("")
        }
        let hookContext = context.hookContext()
        let rendered = try context.state.withStore { store -> EmulatorJSON in
            var record = try lookup(resource, id: id, context: context, store: &store)
            try resource.hooks.beforeDelete?(record, &store, hookContext)
            guard let recordID = record["id"]?.stringValue else { throw EmulatorError.notFound(resource.entity) }
            store.delete(resource.table, id: recordID)
            applyDeleteRules(table: resource.table, id: recordID, store: &store)
            try resource.hooks.afterDelete?(record, &store, hookContext)
            AuthEventLog.record(.deleted, resource: resource, record: record, context: context, store: &store)
            resource.hooks.present?(&record, store)
            return render(record, resource: resource, projection: writeProjection(resource), includes: [], store: store)
        }
        return writeResponse(rendered, status: 202, context: context)
    }

    // MARK: Writes

    /// Validates `input` (internal names) and stores a new record; returns the rendered write
    /// response object. Usable by hand-written routes that create records (seeding, commands).
    func createRecord(
        _ resource: ResourceDefinition, input: EmulatorJSONObject, context: HandlerContext, store: inout Store
    ) throws -> EmulatorJSON {
        let hookContext = context.hookContext(body: input)
        var record = try validate(resource, input: input, creating: true, bodyIsForm: context.bodyIsForm)
        for field in resource.fields where record[field.name] == nil {
            if let defaultValue = field.defaultValue {
                switch defaultValue {
                case .value(let value): record[field.name] = value
                case .now: record[field.name] = .string(Support.timestamp())
                case .uuid: record[field.name] = .string(Support.uuid())
                case .copy(let other): record[field.name] = record[other] ?? .null
                case .generated(let make): record[field.name] = make()
                }
            } else if field.nullable {
                record[field.name] = .null
            }
        }
        try checkReferences(resource, record: &record, changed: Set(input.keys), store: store)
        try resource.hooks.prepareCreate?(&record, &store, hookContext)
        let (stored, transient) = Self.splitTransient(record)
        try checkUnique(resource, record: stored, store: store)
        store.save(resource.table, stored)
        try resource.hooks.afterWrite?(stored, &store, hookContext)
        try resource.hooks.afterCreate?(stored, &store, hookContext)
        AuthEventLog.record(.created, resource: resource, record: stored, context: context, store: &store)
        return presentWrite(
            resource, record: stored, transient: transient, input: input, hookContext: hookContext, store: store)
    }

    /// Applies a partial update to `existing` and stores it; returns the rendered write response.
    func updateRecord(
        _ resource: ResourceDefinition, existing: EmulatorJSONObject, input: EmulatorJSONObject,
        context: HandlerContext, store: inout Store
    ) throws -> EmulatorJSON {
        let hookContext = context.hookContext(body: input)
        let changes = try validate(resource, input: input, creating: false, bodyIsForm: context.bodyIsForm)
        var record = existing
        for (key, value) in changes { record[key] = value }
        try checkReferences(resource, record: &record, changed: Set(changes.keys), store: store)
        try resource.hooks.prepareUpdate?(&record, existing, &store, hookContext)
        var (stored, transient) = Self.splitTransient(record)
        try checkUnique(resource, record: stored, store: store)
        if resource.field("updatedAt") != nil {
            stored["updatedAt"] = .string(Support.timestamp())
        }
        store.save(resource.table, stored)
        try resource.hooks.afterWrite?(stored, &store, hookContext)
        AuthEventLog.record(
            .updated, resource: resource, record: stored, previous: existing, context: context, store: &store)
        return presentWrite(
            resource, record: stored, transient: transient, input: input, hookContext: hookContext, store: store)
    }

    /// Separates `$`-prefixed scratch values (never stored) from the record.
    static func splitTransient(_ record: EmulatorJSONObject) -> (
        stored: EmulatorJSONObject, transient: EmulatorJSONObject
    ) {
        var stored = record
        var transient = EmulatorJSONObject()
        for key in record.keys where key.hasPrefix("$") {
            transient[key] = stored.removeValue(forKey: key)
        }
        return (stored, transient)
    }

    /// Field-by-field validation of a write body; returns the accepted values (normalised).
    func validate(_ resource: ResourceDefinition, input: EmulatorJSONObject, creating: Bool, bodyIsForm: Bool) throws
        -> EmulatorJSONObject
    {
        var accepted = EmulatorJSONObject()
        var issues: [ValidationIssue] = []
        for field in resource.fields {
            let rule = creating ? field.onCreate : field.onUpdate
            if rule == .readOnly { continue }
            guard let raw = input[field.name] else {
                if rule == .required {
                    issues.append(
                        .init(
                            field: field.name, code: "required",
                            message: "Invalid input: expected \(field.kind.label), received undefined"))
                }
                continue
            }
            // The Hub fills some falsy values in before it validates (generated slugs).
            if creating, field.falsyIsUnsetOnCreate, raw.isNull || raw == "" { continue }
            switch FieldValidator.check(raw, field: field, form: bodyIsForm) {
            case .success(let value): accepted[field.name] = value
            case .failure(let issue): issues.append(issue)
            }
        }
        if !issues.isEmpty { throw EmulatorError.validation(issues) }
        return accepted
    }

    private func checkReferences(
        _ resource: ResourceDefinition, record: inout EmulatorJSONObject, changed: Set<String>, store: Store
    ) throws {
        for field in resource.fields {
            // Only keys sent in this body are checked: an unrelated update must not fail on an
            // old dangling reference.
            guard let target = field.reference, changed.contains(field.name),
                let value = record[field.name]?.stringValue
            else { continue }
            if store.find(target, id: value) == nil {
                throw EmulatorError(.relationInvalid(relation: field.referenceName ?? target, field: field.name))
            }
        }
        for field in resource.fields {
            guard let (foreignKey, targetField) = field.copiedFrom,
                let foreignField = resource.field(foreignKey), let target = foreignField.reference,
                let targetID = record[foreignKey]?.stringValue
            else { continue }
            record[field.name] = store.find(target, id: targetID)?[targetField] ?? .null
        }
    }

    /// Unique keys are pre-checked (authup and the Hub answer 409 before touching the database).
    func checkUnique(_ resource: ResourceDefinition, record: EmulatorJSONObject, store: Store) throws {
        let id = record["id"]
        for key in resource.uniqueKeys {
            let values = key.map { Self.uniqueComparable(record[$0]) }
            if resource.uniqueNullsDistinct, values.contains(.null) { continue }
            let clash = store.all(resource.table).contains { other in
                other["id"] != id && key.map { Self.uniqueComparable(other[$0]) } == values
            }
            if clash { throw EmulatorError(.conflict(resource.conflictMessage), entity: resource.entity) }
        }
    }

    private static func uniqueComparable(_ value: EmulatorJSON?) -> EmulatorJSON {
        guard let value else { return .null }
        if case .string(let text) = value { return .string(text.lowercased()) }
        return value
    }

    /// Deletes or nulls rows that reference a deleted row, following each field's rule.
    func applyDeleteRules(table: String, id: String, store: inout Store) {
        for resource in core.registry.values {
            for field in resource.fields where field.reference == table && field.onDelete != .keep {
                switch field.onDelete {
                case .cascade:
                    let removed = store.deleteAll(resource.table) { $0[field.name]?.stringValue == id }
                    for row in removed {
                        if let rowID = row["id"]?.stringValue {
                            applyDeleteRules(table: resource.table, id: rowID, store: &store)
                        }
                    }
                case .setNull:
                    for var row in store.rows(resource.table, where: { $0[field.name]?.stringValue == id }) {
                        row[field.name] = .null
                        store.save(resource.table, row)
                    }
                case .keep:
                    break
                }
            }
        }
    }

    /// Full persisted record plus the referenced objects for foreign keys sent in the body,
    /// as authup and the Hub return from writes.
    private func presentWrite(
        _ resource: ResourceDefinition, record: EmulatorJSONObject, transient: EmulatorJSONObject,
        input: EmulatorJSONObject, hookContext: HookContext, store: Store
    ) -> EmulatorJSON {
        var presented = record
        resource.hooks.present?(&presented, store)
        let relations = resource.relations.filter { relation in input[relation.localField]?.isNull == false }
        var rendered = renderObject(
            presented, resource: resource, projection: writeProjection(resource), includes: relations, store: store)
        var extra = EmulatorJSONObject()
        resource.hooks.presentWrite?(&extra, record.merging(transient) { current, _ in current }, hookContext)
        for (key, value) in extra { rendered[core.generation.wireName(key, in: resource.hubService)] = value }
        return .object(rendered)
    }

    private func writeResponse(_ rendered: EmulatorJSON, status: Int, context: HandlerContext) -> EmulatorResponse {
        context.envelopesRecords
            ? .json(["data": rendered, "meta": [:]], status: status) : .json(rendered, status: status)
    }

    // MARK: Lookup

    /// Finds a record by UUID, a lookup field (name) or a self alias (`@me`).
    func lookup(_ resource: ResourceDefinition, id: String, context: HandlerContext, store: Store) throws
        -> EmulatorJSONObject
    {
        if let kind = resource.selfAliases[id] {
            guard let identity = context.identity else { throw EmulatorError(.unauthorized) }
            guard identity.kind == kind, let record = store.find(resource.table, id: identity.id) else {
                throw EmulatorError.notFound(resource.entity)
            }
            return record
        }
        let inScope = { (record: EmulatorJSONObject) in
            context.realmScope.map { record["realmId"]?.stringValue == $0 } ?? true
        }
        if let record = store.find(resource.table, id: id), inScope(record) { return record }
        for field in resource.lookupFields {
            let candidate = resource.field(field)?.lowercased == true ? id.lowercased() : id
            let match = store.all(resource.table).first { $0[field] == .string(candidate) && inScope($0) }
            if let match { return match }
        }
        throw EmulatorError.notFound(resource.entity)
    }

    private func lookup(_ resource: ResourceDefinition, id: String, context: HandlerContext, store: inout Store) throws
        -> EmulatorJSONObject
    {
        try lookup(resource, id: id, context: context, store: store)
    }

    // MARK: Query resolution

    private func parsedQuery(_ context: HandlerContext) throws -> RapiqQuery {
        let query = RapiqQuery(context.query)
        if query.hasForbiddenKey, context.generation == .current {
            throw EmulatorError.badRequest("The input was rejected: 1 violation.")
        }
        return query
    }

    /// Maps wire keys of the body to field names; unknown keys are dropped (validators strip them).
    func internalBody(_ resource: ResourceDefinition, context: HandlerContext) throws -> EmulatorJSONObject {
        let body = try context.bodyObject()
        var input = EmulatorJSONObject()
        for field in resource.fields {
            if let value = body[context.wireName(field.name)] { input[field.name] = value }
        }
        // A realm-scoped route decides the realm of new records.
        if let scope = context.realmScope, resource.field("realmId") != nil { input["realmId"] = .string(scope) }
        return input
    }

    func resolveFilters(_ resource: ResourceDefinition, query: RapiqQuery, generation: HubGeneration)
        -> [FilterCondition]
    {
        query.filters.compactMap { key, values in
            let parts = key.split(separator: ".").map(String.init)
            if parts.count == 2 {
                guard let relation = resource.relations.first(where: { wireName($0.name, resource) == parts[0] }),
                    let targetField = relation.filterFields.first(where: { wireName($0, resource) == parts[1] })
                else { return nil }
                return FilterCondition.parse(
                    path: [relation.name, targetField], values: values, generation: generation)
            }
            guard parts.count == 1,
                let field = resource.fields.first(where: { $0.filterable && wireName($0.name, resource) == key })
            else { return nil }
            return FilterCondition.parse(path: [field.name], values: values, generation: generation)
        }
    }

    func resolveSort(_ resource: ResourceDefinition, query: RapiqQuery, generation: HubGeneration) -> [(
        field: String, descending: Bool
    )] {
        let requested: [(field: String, descending: Bool)] = query.sort.compactMap { key, descending in
            let parts = key.split(separator: ".").map(String.init)
            if parts.count == 2 {
                // `sort=project.name`: allowed when the relation declares the target field sortable.
                guard let relation = resource.relations.first(where: { wireName($0.name, resource) == parts[0] }),
                    let target = relation.sortFields.first(where: { wireName($0, resource) == parts[1] })
                else { return nil }
                return ("\(relation.name).\(target)", descending)
            }
            guard let field = resource.fields.first(where: { $0.sortable && wireName($0.name, resource) == key })
            else { return nil }
            return (field.name, descending)
        }
        return requested.isEmpty ? resource.defaultSort : requested
    }

    func resolveIncludes(_ resource: ResourceDefinition, query: RapiqQuery, single: Bool) -> [Relation] {
        var seen = Set<String>()
        return query.include.compactMap { name in
            guard
                let relation = resource.relations.first(where: {
                    wireName($0.name, resource) == name && (single ? $0.includableOnRead : $0.includableOnList)
                }), seen.insert(relation.name).inserted
            else { return nil }
            return relation
        }
    }

    /// Default projection, adjusted by `fields` tokens: `a,b` replaces, `+x` adds an allowed
    /// field, `-x` removes. Tokens are not trimmed: `+` decoded to a space never matches.
    func projection(_ resource: ResourceDefinition, tokens: [String]?, single: Bool) -> [String] {
        let defaults =
            (single ? resource.readProjection : nil)
            ?? resource.fields.filter { $0.visibility == .standard }.map(\.name)
        guard let tokens, !tokens.isEmpty else { return defaults }
        let allowed = resource.fields.filter { $0.visibility != .hidden }
        func resolve(_ wire: Substring) -> String? {
            allowed.first { wireName($0.name, resource) == wire }?.name
        }
        var explicit: [String] = []
        var added: [String] = []
        var removed: Set<String> = []
        for token in tokens {
            if token.hasPrefix("+") {
                if let name = resolve(token.dropFirst()) { added.append(name) }
            } else if token.hasPrefix("-") {
                if let name = resolve(token.dropFirst()) { removed.insert(name) }
            } else if let name = resolve(token[...]) {
                explicit.append(name)
            }
        }
        var result = explicit.isEmpty ? defaults : explicit
        for name in added where !result.contains(name) { result.append(name) }
        result.removeAll { removed.contains($0) }
        return result.isEmpty ? defaults : result
    }

    /// Every non-hidden field (write responses show all persisted columns).
    func writeProjection(_ resource: ResourceDefinition) -> [String] {
        resource.fields.filter { $0.visibility != .hidden }.map(\.name)
    }

    /// `camelName` as the service of `resource` spells it.
    private func wireName(_ camelName: String, _ resource: ResourceDefinition) -> String {
        core.generation.wireName(camelName, in: resource.hubService)
    }

    // MARK: Rendering

    /// Renders a record in wire names with the given projection and embedded relations;
    /// `relationFields` holds `fields[<relation>]=…` tokens for the embedded records.
    func render(
        _ record: EmulatorJSONObject, resource: ResourceDefinition, projection: [String], includes: [Relation],
        store: Store, relationFields: [String: [String]] = [:]
    ) -> EmulatorJSON {
        var presented = record
        resource.hooks.present?(&presented, store)
        return .object(
            renderObject(
                presented, resource: resource, projection: projection, includes: includes, store: store,
                relationFields: relationFields))
    }

    private func renderObject(
        _ record: EmulatorJSONObject, resource: ResourceDefinition, projection: [String], includes: [Relation],
        store: Store, relationFields: [String: [String]] = [:]
    ) -> EmulatorJSONObject {
        let casing = core.generation.keyCasing(of: resource.hubService)
        var output = EmulatorJSONObject(minimumCapacity: projection.count + includes.count)
        for name in projection {
            output[casing.convert(name)] = record[name] ?? .null
        }
        for relation in includes {
            var embedded = EmulatorJSON.null
            if let target = related(relation, of: record, store: store) {
                if let targetResource = core.registry[relation.target] {
                    let targetProjection = self.projection(
                        targetResource, tokens: relationFields[casing.convert(relation.name)], single: false)
                    embedded = render(
                        target, resource: targetResource, projection: targetProjection, includes: [], store: store)
                } else {
                    embedded = .object(
                        Dictionary(uniqueKeysWithValues: target.map { (casing.convert($0.key), $0.value) }))
                }
            }
            output[casing.convert(relation.name)] = embedded
        }
        return output
    }

    private func related(_ relation: Relation, of record: EmulatorJSONObject, store: Store) -> EmulatorJSONObject? {
        guard let key = record[relation.localField], !key.isNull else { return nil }
        if relation.targetField == "id", let id = key.stringValue { return store.find(relation.target, id: id) }
        return store.first(relation.target, where: relation.targetField, equals: key)
    }

    private func value(at path: [String], of record: EmulatorJSONObject, resource: ResourceDefinition, store: Store)
        -> EmulatorJSON?
    {
        if path.count == 1 {
            if resource.hooks.present != nil, record[path[0]] == nil {
                var presented = record
                resource.hooks.present?(&presented, store)
                return presented[path[0]]
            }
            return record[path[0]]
        }
        guard let relation = resource.relation(path[0]), let target = related(relation, of: record, store: store) else {
            return nil
        }
        return target[path[1]]
    }

    private func stableSorted(
        _ rows: [EmulatorJSONObject], by keys: [(field: String, descending: Bool)],
        value: (EmulatorJSONObject, String) -> EmulatorJSON?
    ) -> [EmulatorJSONObject] {
        rows.enumerated().sorted { lhs, rhs in
            for key in keys {
                let order = Self.compare(value(lhs.element, key.field), value(rhs.element, key.field))
                if order != 0 { return key.descending ? order > 0 : order < 0 }
            }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }

    /// SQL-like ordering: NULL first, then numbers, booleans, strings.
    static func compare(_ lhs: EmulatorJSON?, _ rhs: EmulatorJSON?) -> Int {
        let left = lhs ?? .null
        let right = rhs ?? .null
        switch (left, right) {
        case (.null, .null): return 0
        case (.null, _): return -1
        case (_, .null): return 1
        case (.string(let a), .string(let b)): return a < b ? -1 : (a > b ? 1 : 0)
        case (.bool(let a), .bool(let b)): return a == b ? 0 : (a ? 1 : -1)
        default:
            if let a = left.doubleValue, let b = right.doubleValue { return a < b ? -1 : (a > b ? 1 : 0) }
            let a = left.serialized()
            let b = right.serialized()
            return a < b ? -1 : (a > b ? 1 : 0)
        }
    }

    /// `meta.schema`: the query vocabulary of the endpoint, as rapiq 2.2's `Schema.describe()`
    /// renders it (Hub v0.14.0 packages/server-kit/src/core/query/describe.ts,
    /// docs/src/guide/development/api.md "Query Capability Discovery"). `name`, `strict` and
    /// `indexes` head every description; single GETs add only `fields` and `relations`
    /// (`RECORD_QUERY_PARAMETERS`), collections also `filters`, `pagination` and `sorts`. An
    /// allow-list the schema never declares is `null`, not `[]` (no Hub schema declares an empty
    /// one), e.g. master-image-group `sorts` or registry `relations`.
    func schema(_ resource: ResourceDefinition, single: Bool) -> EmulatorJSON {
        func names(_ fields: [String]) -> EmulatorJSON {
            fields.isEmpty ? .null : .array(fields.map { .string(wireName($0, resource)) })
        }
        let defaults = resource.fields.filter { $0.visibility == .standard }.map(\.name)
        let allowed = resource.fields.filter { $0.visibility != .hidden }.map(\.name)
        let relations = resource.relations.filter { single ? $0.includableOnRead : $0.includableOnList }
        // `relations.schemas` names each relation's target schema (the `schemaMapping` of the
        // Hub's schema.ts files): the DomainType / authup EntityType, camelCase of the entity.
        var relationSchemas = EmulatorJSONObject()
        for relation in relations {
            relationSchemas[relation.name] = .string(
                Self.schemaName(core.registry[relation.target]?.entity ?? relation.name))
        }
        // authup's schemas declare indexes (and mark filters and sorts indexed) but no `strict`;
        // the Hub's declare `strict` and no indexes.
        let declaredIndexes =
            resource.table.hasPrefix("auth/") ? AuthSchemaIndexes.rendered(Self.schemaName(resource.entity)) : nil
        let indexed = EmulatorJSON.bool(declaredIndexes != nil)
        var schema: EmulatorJSONObject = [
            "name": .string(Self.schemaName(resource.entity)),
            "strict": .bool(declaredIndexes == nil),
            "indexes": declaredIndexes ?? .null,
            "fields": ["default": names(defaults), "allowed": names(allowed)],
            "relations": [
                "allowed": names(relations.map(\.name)),
                "schemas": relations.isEmpty ? .null : .object(relationSchemas),
            ],
        ]
        if !single {
            schema["filters"] = [
                "allowed": names(resource.fields.filter(\.filterable).map(\.name)),
                "caseSensitive": .null, "indexed": indexed,
            ]
            schema["pagination"] = ["maxLimit": .int(Self.maxLimit)]
            // `sorts.allowed` falls back to the keys of `sorts.default` (master images).
            var sortable = resource.fields.filter(\.sortable).map(\.name)
            if sortable.isEmpty { sortable = resource.defaultSort.map(\.field) }
            schema["sorts"] = [
                "allowed": names(sortable),
                "default": resource.defaultSort.isEmpty
                    ? .null
                    : .object(
                        Dictionary(
                            uniqueKeysWithValues: resource.defaultSort.map {
                                (wireName($0.field, resource), EmulatorJSON.string($0.descending ? "DESC" : "ASC"))
                            })),
                "indexed": indexed,
            ]
        }
        return .object(schema)
    }

    /// `registry-project` → `registryProject` (the Hub's DomainType, authup's EntityType).
    static func schemaName(_ entity: String) -> String {
        let parts = entity.split(separator: "-")
        guard let first = parts.first else { return entity }
        return ([String(first)] + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }).joined()
    }
}

/// Type and rule checks for one body value.
enum FieldValidator {
    static func check(_ raw: EmulatorJSON, field: Field, form: Bool) -> Result<EmulatorJSON, ValidationIssue> {
        func invalid(
            _ code: String = "value_invalid", _ message: String? = nil
        ) -> Result<EmulatorJSON, ValidationIssue> {
            .failure(
                ValidationIssue(
                    field: field.name, code: code, message: message ?? "Invalid input: expected \(field.kind.label)"))
        }
        if raw.isNull {
            return field.nullable ? .success(.null) : invalid()
        }
        switch field.kind {
        case .string, .timestamp:
            guard var text = raw.stringValue else { return invalid() }
            if field.trimmed { text = text.trimmingWhitespace() }
            if field.lowercased { text = text.lowercased() }
            if let length = field.length {
                if text.count < length.lowerBound {
                    return invalid("min_length", "Too small: expected string to have >=\(length.lowerBound) characters")
                }
                if text.count > length.upperBound {
                    return invalid("max_length", "Too big: expected string to have <=\(length.upperBound) characters")
                }
            }
            if let pattern = field.pattern, !pattern.test(text) {
                return invalid("invalid_format", "Invalid \(pattern.description)")
            }
            return .success(.string(text))
        case .uuid:
            guard let text = raw.stringValue, Support.isUUID(text) else {
                return invalid("invalid_format", "Invalid UUID")
            }
            return .success(.string(text.lowercased()))
        case .boolean:
            if let flag = raw.boolValue { return .success(.bool(flag)) }
            if form, let text = raw.stringValue, text == "true" || text == "false" {
                return .success(.bool(text == "true"))
            }
            return invalid()
        case .integer:
            if let number = raw.intValue { return .success(.int(number)) }
            if form, let text = raw.stringValue, let number = Int(text) { return .success(.int(number)) }
            return invalid()
        case .number:
            if let number = raw.doubleValue { return .success(raw.intValue.map(EmulatorJSON.int) ?? .double(number)) }
            if form, let text = raw.stringValue, let number = Double(text) { return .success(.double(number)) }
            return invalid()
        case .enumeration(let values):
            guard let text = raw.stringValue, values.contains(text) else {
                return invalid(
                    "invalid_value",
                    "Invalid option: expected one of \(values.map { "\"\($0)\"" }.joined(separator: "|"))")
            }
            return .success(.string(text))
        case .json:
            return .success(raw)
        }
    }
}

extension Field.Kind {
    var label: String {
        switch self {
        case .uuid, .string, .timestamp, .enumeration: "string"
        case .boolean: "boolean"
        case .integer, .number: "number"
        case .json: "value"
        }
    }
}
