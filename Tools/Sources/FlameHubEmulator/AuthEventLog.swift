import FlameHub

/// authup's entity audit trail: every create, update and delete of an auth entity served by the
/// shared CRUD path writes an `auth/events` row of scope `entity`, as authup's
/// `EntityEventHandler` does for each domain event (`apps/server-core/src/core/entities/event/
/// entity-event-handler.ts` and `service.ts` at v1.0.0-beta.56 and v1.0.0-beta.63; registered in
/// `app/modules/database/module.ts` only while `eventLogEnabled && eventLogEntityEnabled`).
/// Rows cascaded by the database (``ResourceEngine/applyDeleteRules(table:id:store:)``) get no
/// event, as a database cascade fires no entity subscriber.
enum AuthEventLog {
    /// `eventLogEntityRetentionDays` default (`normalize.ts`): entity rows expire after 7 days.
    static let entityRetentionDays = 7

    /// Secret-looking keys never enter a diff (`EVENT_DIFF_SECRET_KEY_REGEX`, `diff.ts`).
    static let secretMarkers = ["password", "secret", "hash", "token", "credential"]

    /// Entities whose `value` column may hold a secret: their updates carry no diff
    /// (`ENTITY_OPAQUE_VALUE_TYPES`).
    static let opaqueValueTypes: Set<String> = [
        "identityProviderAttribute", "policyAttribute", "roleAttribute", "userAttribute",
    ]

    /// The column naming an entity's realm where it is not `realmId` (`ENTITY_REALM_KEY_MAP`).
    static let realmKeys: [String: String] = [
        "clientPermission": "clientRealmId", "clientRole": "clientRealmId", "clientScope": "clientRealmId",
        "sessionToken": "sessionId", "identityProviderAccount": "userRealmId",
        "identityProviderAttributeMapping": "providerRealmId", "identityProviderPermissionMapping": "providerRealmId",
        "identityProviderRoleMapping": "providerRealmId", "permissionPolicy": "permissionRealmId",
        "realm": "id", "rolePermission": "roleRealmId", "userPermission": "userRealmId", "userRole": "userRealmId",
    ]

    enum Change: String {
        case created, updated, deleted
    }

    /// Records `change` of `record` (`previous`: the row before an update or delete).
    static func record(
        _ change: Change, resource: ResourceDefinition, record: EmulatorJSONObject,
        previous: EmulatorJSONObject? = nil, context: HandlerContext, store: inout Store
    ) {
        guard resource.table.hasPrefix("auth/"), resource.table != AuthTable.events else { return }
        let switches = context.core.configuration.switches
        guard switches.eventLogEnabled, switches.eventLogEntityEnabled else { return }
        // The event log is new in beta.53; Hub 0.8's authup (beta.26) has none.
        let hasSessionColumn: Bool
        switch context.generation {
        case .legacy: return
        case .transitional: hasSessionColumn = false
        case .current: hasSessionColumn = true
        }
        let refType = ResourceEngine.schemaName(resource.entity)
        let realmKey = realmKeys[refType] ?? "realmId"
        // The realm of the row as written, else as it was (a delete's data may lack it).
        let realm = record.keys.contains(realmKey) ? record[realmKey] : previous?[realmKey]
        var data: EmulatorJSON = .null
        if change == .updated, !opaqueValueTypes.contains(refType), let previous {
            let diff = self.diff(record, previous)
            if !diff.isEmpty { data = .object(["diff": .object(diff)]) }
        }
        let identity = context.identity
        var event: EmulatorJSONObject = [
            "id": .string(Support.uuid()), "scope": "entity", "name": .string(change.rawValue),
            "refType": .string(String(refType.prefix(64))),
            "refId": record["id"]?.stringValue.map { .string(String($0.prefix(64))) } ?? .null,
            "clientId": .null,
            "actorType": identity.map { .string($0.kind.rawValue) } ?? .null,
            "actorId": identity.map { .string($0.id) } ?? .null,
            "actorName": actorName(identity, store: store).map { .string(String($0.prefix(128))) } ?? .null,
            "requestPath": .string(String(("/" + context.path.joined(separator: "/")).prefix(256))),
            "requestMethod": .string(String(context.method.rawValue.prefix(10))),
            "requestIpAddress": .null,
            "requestUserAgent": context.header("user-agent").map { .string(String($0.prefix(512))) } ?? .null,
            "realmId": realm?.stringValue.map { .string($0) } ?? .null,
            "data": data,
            "expiring": true,
            "expiresAt": .string(Support.timestamp(Support.now() + Double(entityRetentionDays) * 86_400)),
            "createdAt": .string(Support.timestamp()),
        ]
        // The session column (beta.60+) stays empty: emulated tokens name no session.
        if hasSessionColumn { event["sessionId"] = .null }
        store.save(AuthTable.events, event)
    }

    /// `buildEntityDiff`: changed scalar columns, without timestamps and secrets.
    static func diff(_ next: EmulatorJSONObject, _ previous: EmulatorJSONObject) -> EmulatorJSONObject {
        var output: EmulatorJSONObject = [:]
        for key in Set(next.keys).union(previous.keys) {
            if key.hasSuffix("_at") || key.hasSuffix("At") { continue }
            let lowered = key.lowercased()
            if secretMarkers.contains(where: { lowered.contains($0) }) { continue }
            let nextValue = next[key] ?? .null
            let previousValue = previous[key] ?? .null
            guard isScalar(nextValue), isScalar(previousValue), nextValue != previousValue else { continue }
            output[key] = ["next": truncated(nextValue), "previous": truncated(previousValue)]
        }
        return output
    }

    private static func isScalar(_ value: EmulatorJSON) -> Bool {
        switch value {
        case .null, .string, .int, .double, .bool: true
        case .array, .object: false
        }
    }

    /// `EVENT_DIFF_VALUE_MAX_LENGTH`: strings cut to 512 characters.
    private static func truncated(_ value: EmulatorJSON) -> EmulatorJSON {
        guard case .string(let text) = value, text.count > 512 else { return value }
        return .string(String(text.prefix(512)))
    }

    /// The caller's `name` (authup's request context reads `identity.data.name`).
    private static func actorName(_ identity: Identity?, store: Store) -> String? {
        guard let identity else { return nil }
        return store.find("auth/\(identity.kind.rawValue)s", id: identity.id)?["name"]?.stringValue
    }
}
