import FlameHub

/// Ids that the Hub's core resolves in authup rather than in its own database, checked the way
/// the Hub does it. Core's own foreign keys (`projectId`, `nodeId`, `registryId`,
/// `masterImageId`, …) are TypeORM relations and go through `validateEntityJoinColumns`
/// (``Field/references(_:as:onDelete:)``); `realmId`, `robotId` and `clientId` are plain uuid
/// columns that only meet authup when the Hub provisions the node's machine identity:
///
/// * Hub v0.8.13 packages/server-core/src/services/node-robot/module.ts `save()` and
///   v0.14.0 apps/server-core/src/app/modules/database/node-client.ts `assign()`: a given
///   `robot_id` / `clientId` is looked up in authup; a 404 is not an error, authup is asked for
///   a new robot/client in the node's realm instead, and the node's id column is replaced.
/// * That create is where an unknown realm fails: authup answers 400 (`Can't find realm entity
///   by realm_id` / `realmId`), the Hub's error middleware passes the client error on with its
///   status (v0.8.13 packages/server-http-kit/src/middlewares/error.ts, v0.14.0
///   packages/server-http-kit/src/core/error/sanitize.ts: a foreign HTTP error keeps its
///   status, code from the status) and the node is not stored (0.8.13 provisions before the
///   insert, 0.14.0 in the `afterInsert` subscriber inside the save's transaction).
/// * `assignPermissions()` (both tags) then gives the identity exactly the node permissions:
///   missing ones are bound, other bindings of that identity are removed.
enum CoreReferences {
    /// The 400 of an authup call for a realm authup does not know.
    static func unknownRealm(_ generation: HubGeneration) -> EmulatorError {
        HubRules.rule("Can't find realm entity by \(generation.wireName("realmId", in: .core))", generation)
    }

    /// Throws ``unknownRealm(_:)`` unless authup has the realm `realm`.
    static func requireRealm(_ realm: EmulatorJSON?, generation: HubGeneration, store: Store) throws {
        guard let id = realm?.stringValue, store.find(AuthTable.realms, id: id) != nil else {
            throw unknownRealm(generation)
        }
    }

    /// The node's machine-identity column: `robotId` (legacy), `clientId` (transitional and current).
    static func identityKey(_ generation: HubGeneration) -> String {
        switch generation {
        case .legacy: "robotId"
        case .transitional, .current: "clientId"
        }
    }

    /// The realm check of ``syncNodeIdentity(_:store:generation:)`` alone: throws when the
    /// node's identity would be provisioned in a realm authup does not have.
    static func checkProvisioningRealm(_ record: EmulatorJSONObject, generation: HubGeneration, store: Store) throws {
        if let id = record[identityKey(generation)]?.stringValue, store.find(identityTable(generation), id: id) != nil {
            return
        }
        try requireRealm(record["realmId"], generation: generation, store: store)
    }

    static func identityTable(_ generation: HubGeneration) -> String {
        switch generation {
        case .legacy: AuthTable.robots
        case .transitional, .current: AuthTable.clients
        }
    }

    /// Keeps the node's robot/client when authup has it, otherwise provisions a new one in the
    /// node's realm (throwing the realm 400 when that realm is unknown); then binds exactly the
    /// node permissions to it. Runs on node create and update, as the Hub does.
    static func syncNodeIdentity(_ record: inout EmulatorJSONObject, store: inout Store, generation: HubGeneration)
        throws
    {
        let key = identityKey(generation)
        let permissions: [String]
        switch generation {
        case .legacy: permissions = HubIdentities.legacyNodePermissions
        case .transitional, .current: permissions = HubIdentities.currentNodePermissions
        }
        if let id = record[key]?.stringValue, store.find(identityTable(generation), id: id) != nil {
            bindExactly(permissions, identity: id, generation: generation, store: &store)
            return
        }
        try requireRealm(record["realmId"], generation: generation, store: store)
        let name = record["id"]?.stringValue ?? Support.uuid()
        let displayName: String?
        switch generation {
        case .legacy: displayName = nil
        // 0.12.3+ provisions a client named after the node (`NodeService` in
        // `apps/server-core/src/core/entities/node` at `v0.12.7`).
        case .transitional, .current: displayName = record["name"]?.stringValue
        }
        record[key] = .string(
            HubIdentities.provision(
                name: name, displayName: displayName, realmId: record["realmId"] ?? .null, permissions: permissions,
                generation: generation, store: &store))
    }

    /// `assignPermissions()`: the identity ends up with exactly `permissions` (those authup has).
    static func bindExactly(
        _ permissions: [String], identity: String, generation: HubGeneration, store: inout Store
    ) {
        let junctionTable: String
        let identityKey: String
        switch generation {
        case .legacy:
            junctionTable = AuthTable.robotPermissions
            identityKey = "robotId"
        case .transitional, .current:
            junctionTable = AuthTable.clientPermissions
            identityKey = "clientId"
        }
        let wanted = Set(
            permissions.compactMap { store.first(AuthTable.permissions, where: "name", equals: .string($0))?["id"] })
        let bound = store.rows(junctionTable) { $0[identityKey]?.stringValue == identity }
        for binding in bound where !wanted.contains(binding["permissionId"] ?? .null) {
            if let bindingID = binding["id"]?.stringValue { store.delete(junctionTable, id: bindingID) }
        }
        let present = Set(bound.compactMap { $0["permissionId"] })
        guard let junction = AuthDeclarations.junctionDefinitions(generation)[junctionTable] else { return }
        for permission in wanted.subtracting(present) {
            store.insert(junction, [identityKey: .string(identity), "permissionId": permission])
        }
    }
}
