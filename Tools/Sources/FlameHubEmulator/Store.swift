import Synchronization

/// Rows of one resource in insertion order (the "database order" lists fall back to).
struct Table: Sendable {
    private(set) var order: [String] = []
    private(set) var rows: [String: EmulatorJSONObject] = [:]

    var all: [EmulatorJSONObject] { order.compactMap { rows[$0] } }
    var count: Int { rows.count }

    func row(_ id: String) -> EmulatorJSONObject? { rows[id] }

    mutating func upsert(_ record: EmulatorJSONObject) {
        guard let id = record["id"]?.stringValue else { return }
        if rows[id] == nil { order.append(id) }
        rows[id] = record
    }

    @discardableResult
    mutating func remove(_ id: String) -> EmulatorJSONObject? {
        guard let removed = rows.removeValue(forKey: id) else { return nil }
        order.removeAll { $0 == id }
        return removed
    }
}

/// The complete mutable state of an emulator: every table plus the token store. Always accessed
/// under ``EmulatorState``'s lock, so hooks can make multi-table changes atomically.
struct Store: Sendable {
    private(set) var tables: [String: Table] = [:]
    var tokens = TokenStore()
    /// Bumped by every row change; lets derived data (resolved permissions) be cached safely.
    private(set) var revision = 0
    /// Effective permissions per subject (`kind/id`), valid while `revision` is unchanged.
    var permissionCache: [String: (revision: Int, permissions: Set<String>)] = [:]

    /// All rows of `table` in database order.
    func all(_ table: String) -> [EmulatorJSONObject] { tables[table]?.all ?? [] }

    /// The row with `id`.
    func find(_ table: String, id: String) -> EmulatorJSONObject? { tables[table]?.row(id) }

    /// First row where `field` equals `value`.
    func first(_ table: String, where field: String, equals value: EmulatorJSON) -> EmulatorJSONObject? {
        tables[table]?.all.first { $0[field] == value }
    }

    /// Rows matching a predicate.
    func rows(_ table: String, where predicate: (EmulatorJSONObject) -> Bool) -> [EmulatorJSONObject] {
        tables[table]?.all.filter(predicate) ?? []
    }

    /// Inserts or replaces (by `id`).
    mutating func save(_ table: String, _ record: EmulatorJSONObject) {
        revision &+= 1
        tables[table, default: Table()].upsert(record)
    }

    @discardableResult
    mutating func delete(_ table: String, id: String) -> EmulatorJSONObject? {
        revision &+= 1
        return tables[table]?.remove(id)
    }

    /// Deletes every row matching `predicate`; returns them.
    @discardableResult
    mutating func deleteAll(_ table: String, where predicate: (EmulatorJSONObject) -> Bool) -> [EmulatorJSONObject] {
        let doomed = rows(table, where: predicate)
        for row in doomed {
            if let id = row["id"]?.stringValue { tables[table]?.remove(id) }
        }
        revision &+= 1
        return doomed
    }

    /// Inserts a record built from internal field names, filling `id` and timestamps.
    @discardableResult
    mutating func insert(_ table: String, _ fields: EmulatorJSONObject) -> EmulatorJSONObject {
        var record = fields
        if record["id"] == nil { record["id"] = .string(Support.uuid()) }
        let now = EmulatorJSON.string(Support.timestamp())
        if record["createdAt"] == nil { record["createdAt"] = now }
        if record["updatedAt"] == nil { record["updatedAt"] = now }
        save(table, record)
        return record
    }
}

/// Lock-protected owner of the ``Store``. Every operation is a short synchronous critical
/// section, which keeps the emulator fast and free of actor hops.
final class EmulatorState: Sendable {
    private let store: Mutex<Store>

    init(_ initial: Store) {
        store = Mutex(initial)
    }

    /// Runs `body` with exclusive access to the store.
    func withStore<Result>(_ body: (inout Store) throws -> Result) rethrows -> Result {
        try store.withLock { try body(&$0) }
    }

    /// Replaces the whole state (reset).
    func replace(with newStore: Store) {
        store.withLock { $0 = newStore }
    }
}

/// Runs deferred side effects (the Hub's asynchronous behaviour) after the configured delay.
struct EffectScheduler: Sendable {
    let state: EmulatorState
    let delay: Duration
    /// Bumped by reset so effects scheduled before a reset never touch the new state.
    let epoch: @Sendable () -> Int

    /// Applies `effect` to the store after `delay` (or the configured default).
    func schedule(after customDelay: Duration? = nil, _ effect: @escaping @Sendable (inout Store) -> Void) {
        let scheduledEpoch = epoch()
        let wait = customDelay ?? delay
        let state = state
        let epoch = epoch
        Task {
            if wait > .zero { try? await Task.sleep(for: wait) }
            guard epoch() == scheduledEpoch else { return }
            state.withStore { effect(&$0) }
        }
    }
}

extension Store {
    /// Inserts a seed/side-effect record for `resource`: declared defaults are applied, nullable
    /// fields without a value become `null` and copied fields are resolved, exactly like an API
    /// create — but without validation, hooks or access checks.
    @discardableResult
    mutating func insert(_ resource: ResourceDefinition, _ values: EmulatorJSONObject) -> EmulatorJSONObject {
        var record = values
        for field in resource.fields where record[field.name] == nil {
            switch field.defaultValue {
            case .value(let value)?: record[field.name] = value
            case .now?: record[field.name] = .string(Support.timestamp())
            case .uuid?: record[field.name] = .string(Support.uuid())
            case .copy(let other)?: record[field.name] = record[other] ?? .null
            case .generated(let make)?: record[field.name] = make()
            case nil: if field.nullable { record[field.name] = .null }
            }
        }
        for field in resource.fields {
            guard let (foreignKey, targetField) = field.copiedFrom, let target = resource.field(foreignKey)?.reference,
                let targetID = record[foreignKey]?.stringValue
            else { continue }
            record[field.name] = find(target, id: targetID)?[targetField] ?? .null
        }
        save(resource.table, record)
        return record
    }
}
