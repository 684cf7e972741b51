import FlameHub

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Declarations of the Hub storage service's buckets and bucket files (section 6, 10.4).
/// File contents live on disk under the emulator's temporary directory; a bucket file row keeps
/// the absolute location in the hidden `objectPath` column.
enum StorageDeclarations {
    static func all(_ generation: HubGeneration) -> [ResourceDefinition] {
        [buckets(generation), bucketFiles(generation)]
    }

    static func definition(_ table: String, _ generation: HubGeneration) -> ResourceDefinition? {
        switch generation {
        case .legacy: legacyTables[table]
        case .transitional: transitionalTables[table]
        case .current: currentTables[table]
        }
    }

    private static let legacyTables = Dictionary(uniqueKeysWithValues: all(.legacy).map { ($0.table, $0) })
    private static let transitionalTables = Dictionary(
        uniqueKeysWithValues: all(.transitional).map { ($0.table, $0) })
    private static let currentTables = Dictionary(uniqueKeysWithValues: all(.current).map { ($0.table, $0) })

    /// The creator may always update/delete its bucket or file; others need `permission` and
    /// write access to the realm.
    static func requireOwnerOr(
        _ permission: String, record: EmulatorJSONObject, context: HookContext, message: String
    ) throws {
        guard let identity = context.identity else { throw EmulatorError(.unauthorized) }
        if record["actorType"] == .string(identity.kind.rawValue), record["actorId"] == .string(identity.id) { return }
        if !identity.has(permission) { throw EmulatorError(.permissionDenied(permission: permission)) }
        try HubRules.requireWrite(realm: record["realmId"], context, message)
    }

    /// Hub v0.8.13 packages/server-storage/src/http/controllers/bucket/utils/validation.ts mounts
    /// no `realm_id`, so the body's value is stripped and the bucket lands in the caller's realm;
    /// v0.14.0 packages/storage-kit/src/domains/bucket/validator.ts accepts `realmId` on create.
    static func bucketRealm(_ generation: HubGeneration) -> Field {
        switch generation {
        case .legacy: .uuid("realmId").filterable()
        case .transitional, .current: .uuid("realmId").createOnly().filterable()
        }
    }

    static func buckets(_ generation: HubGeneration) -> ResourceDefinition {
        ResourceDefinition(
            entity: "bucket", table: CoreTable.buckets,
            fields: [
                .id(),
                .string("name").createOnly(required: true).notNull().length(3...256).filterable(),
                .string("region").createOnly().length(3...256),
                .string("actorType").filterable(),
                .uuid("actorId").filterable(),
                bucketRealm(generation),
            ] + Field.timestamps(),
            lookupFields: ["name"],
            access: AccessRules(create: .permission("bucket_create")),
            hooks: ResourceHooks(
                prepareCreate: { record, _, context in
                    if let realm = record["realmId"], !realm.isNull {
                        try HubRules.requireWrite(realm: realm, context, "You are not permitted to create this bucket.")
                    } else {
                        record["realmId"] = context.identity.map { .string($0.realmId) } ?? .null
                    }
                    record["actorType"] = context.identity.map { .string($0.kind.rawValue) } ?? .null
                    record["actorId"] = context.identity.map { .string($0.id) } ?? .null
                },
                prepareUpdate: { _, existing, _, context in
                    try requireOwnerOr(
                        "bucket_update", record: existing, context: context,
                        message: "You are not permitted to update this bucket.")
                },
                beforeDelete: { record, store, context in
                    try requireOwnerOr(
                        "bucket_delete", record: record, context: context,
                        message: "You are not permitted to delete this bucket.")
                    // Objects are per bucket, so every object of the bucket goes.
                    for file in store.rows(CoreTable.bucketFiles, where: { $0["bucketId"] == record["id"] }) {
                        if let path = file["objectPath"]?.stringValue {
                            try? FileManager.default.removeItem(atPath: path)
                        }
                    }
                })
        )
    }

    static func bucketFiles(_ generation: HubGeneration) -> ResourceDefinition {
        let legacy = generation == .legacy
        return ResourceDefinition(
            entity: "bucket-file", table: CoreTable.bucketFiles,
            fields: [
                .id(),
                .string("name").filterable().sortable(),
                .string("path"),
                .string("directory").filterable().sortable(),
                .number("size"),
                .string("hash"),
                .string("actorType").filterable(),
                .uuid("actorId").filterable(),
                .uuid("realmId").filterable(),
                .uuid("bucketId").filterable().references(CoreTable.buckets, as: "bucket", onDelete: .cascade),
                .string("objectPath").hidden(),
            ] + Field.timestamps(),
            relations: [Relation(name: "bucket", localField: "bucketId", target: CoreTable.buckets)],
            operations: [.list, .read, .delete],
            hooks: ResourceHooks(
                beforeDelete: { record, _, context in
                    try requireOwnerOr(
                        "bucket_update", record: record, context: context,
                        message: "You are not permitted to delete this bucket file.")
                },
                afterDelete: { record, store, context in
                    removeObject(record, store: store)
                    // Core drops the analysis-bucket-file of the file (asynchronously).
                    let fileID = record["id"] ?? .null
                    context.scheduler.schedule { store in
                        store.deleteAll(CoreTable.analysisBucketFiles) {
                            $0[legacy ? "externalId" : "bucketFileId"] == fileID
                        }
                    }
                })
        )
    }

    /// Deletes a file's object unless another row still points at it (legacy re-uploads share
    /// the object of their file name).
    static func removeObject(_ file: EmulatorJSONObject, store: Store) {
        guard let path = file["objectPath"]?.stringValue else { return }
        let shared = store.rows(CoreTable.bucketFiles) {
            $0["objectPath"] == file["objectPath"] && $0["id"] != file["id"]
        }
        if shared.isEmpty { try? FileManager.default.removeItem(atPath: path) }
    }

    /// Removes a bucket with its files and objects (analysis deletion).
    static func removeBucket(_ id: String, store: inout Store) {
        let files = store.deleteAll(CoreTable.bucketFiles) { $0["bucketId"] == .string(id) }
        for file in files { removeObject(file, store: store) }
        store.delete(CoreTable.buckets, id: id)
    }
}
