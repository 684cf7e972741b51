import Crypto
import FlameHub
import _CryptoExtras

extension AuthTable {
    static let events = "auth/events"
    static let keys = "auth/keys"
    static let trustAnchors = "auth/trust-anchors"
    static let consents = "auth/consents"
}

/// authup's infrastructure entities of beta.53+ (transitional and current): audit events, keys,
/// trust anchors and consents, all below `/realms/:realmId/` too. Rules from
/// `apps/server-core/src/core/entities/{event,key,trust-anchor,consent}/service.ts` and core-kit
/// `domains/{key,trust-anchor}/validator.ts` at v1.0.0-beta.63 (the same at beta.56).
enum AuthInfrastructureDeclarations {
    static func all(_ generation: HubGeneration) -> [ResourceDefinition] {
        switch generation {
        case .legacy: []
        case .transitional, .current: [events(generation), keys(), trustAnchors(), consents()]
        }
    }

    /// `/events`: read-only (`controllers/entities/event/module.ts`: `@DGet` only). authup writes
    /// a row per log-in, failed log-in, token grant and entity change (`core/entities/event`);
    /// the emulator records the entity changes of its CRUD routes (``AuthEventLog``, behind
    /// ``HubEmulator/Switches/eventLogEnabled``), with authup's shape, filters and access
    /// (`event_read`, or the caller's own events).
    static func events(_ generation: HubGeneration) -> ResourceDefinition {
        var fields: [Field] = [
            .id(),
            .string("scope").filterable(), .string("name").filterable(),
            .string("refType").filterable(), .string("refId").filterable(),
            .uuid("clientId").filterable(),
            .string("actorType").filterable(), .uuid("actorId").filterable(), .string("actorName"),
            .string("requestPath"), .string("requestMethod"), .string("requestIpAddress"),
            .string("requestUserAgent"),
            .uuid("realmId").filterable(),
            .json("data"),
            .bool("expiring").defaults(false), .string("expiresAt"),
            .string("createdAt").defaults(.now).sortable(),
        ]
        switch generation {
        // `sessionId` is new in beta.60 (core-kit `domains/event/entity.ts`).
        case .legacy, .transitional: break
        case .current: fields.insert(.uuid("sessionId").filterable(), at: 6)
        }
        return ResourceDefinition(
            entity: "event", table: AuthTable.events, fields: fields,
            operations: [.list, .read],
            defaultSort: [("createdAt", true)],
            hooks: ResourceHooks(readable: { record, identity in
                guard let identity else { return false }
                return identity.has("event_read") || record["actorId"]?.stringValue == identity.id
            }))
    }

    /// Reads need one of `key_read|update|delete`, writes `key_create|update|delete`; keys and
    /// trust anchors share them (`PERMISSION_NAMES` in both services).
    static let keyAccess = AccessRules(
        list: AuthLinkDeclarations.oneOf(["key_read", "key_update", "key_delete"]),
        read: AuthLinkDeclarations.oneOf(["key_read", "key_update", "key_delete"]),
        create: .permission("key_create"), update: .permission("key_update"), delete: .permission("key_delete"))

    /// The name rule of keys and trust anchors: 3–128 characters, trimmed and lower-cased.
    static let name = Field.string("name").length(3...128).trimming().lowercased().filterable().sortable()

    /// `/keys`: generated unless `decryptionKey` imports one; a new key outranks the realm's keys
    /// of its use; the private part is stored but never answered (`decryptionKey: null` on every
    /// read and write). Only name, priority and status change.
    static func keys() -> ResourceDefinition {
        ResourceDefinition(
            entity: "key", table: AuthTable.keys,
            fields: [
                .id(),
                name.writable(),
                .string("type").filterable(),
                Field.enumeration("use", ["sig", "enc"]).createOnly(required: true).filterable(),
                Field.enumeration("signatureAlgorithm", ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512"])
                    .createOnly(),
                .integer("priority").writable().sortable(),
                Field.enumeration("status", ["active", "passive", "disabled"]).writable().defaults("active")
                    .filterable(),
                .string("certificate").createOnly().length(64...16384),
                .string("decryptionKey").createOnly().length(16...16384),
                .string("privateKey").hidden(),
                .string("encryptionKey").createOnly().length(16...16384),
                .uuid("realmId").createOnly().filterable().references(
                    AuthTable.realms, as: "realm", onDelete: .cascade),
            ] + Field.timestamps(),
            uniqueKeys: [["name", "realmId"]], lookupFields: ["name"],
            operations: [.list, .read, .create, .update, .delete],
            access: keyAccess,
            hooks: ResourceHooks(
                prepareCreate: { record, store, context in try prepareKey(&record, store, context) },
                present: { record, _ in record["decryptionKey"] = .null }))
    }

    static func invalid(_ message: String) -> EmulatorError {
        EmulatorError(.explicit(status: 400, code: "invalid_input", message: message))
    }

    /// `KeyService.create` (beta.63): realm defaults to the caller's and is required, priority
    /// to the highest of the realm's keys of that use + 1, name to `<use>-<random>`; a
    /// certificate needs an imported signing key.
    static func prepareKey(_ record: inout EmulatorJSONObject, _ store: Store, _ context: HookContext) throws {
        AuthDeclarations.defaultCallerRealm(&record, store, context)
        guard let realm = record["realmId"]?.stringValue else { throw invalid("A realm must be specified.") }
        let use = record["use"]?.stringValue ?? "sig"
        if record["name"] == nil || record["name"] == .null {
            record["name"] = .string("\(use)-\(Support.uuid().prefix(10).lowercased())")
        }
        if record["priority"] == nil || record["priority"] == .null {
            let highest = store.rows(AuthTable.keys) {
                $0["realmId"]?.stringValue == realm && $0["use"]?.stringValue == use
            }.compactMap { $0["priority"]?.intValue }.max()
            record["priority"] = .int(highest.map { $0 + 1 } ?? 0)
        }
        let imported = record["decryptionKey"]?.stringValue
        if record["certificate"]?.stringValue != nil, imported == nil || use != "sig" {
            throw invalid("A certificate requires imported signature key material.")
        }
        switch use {
        case "enc":
            // A symmetric (oct) key: no algorithm and no public part.
            record["type"] = "oct"
            record["signatureAlgorithm"] = .null
            record["encryptionKey"] = .null
            record["privateKey"] = .string(
                imported ?? Support.base64URL(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }))
        default:
            let algorithm = record["signatureAlgorithm"]?.stringValue ?? "RS256"
            record["signatureAlgorithm"] = .string(algorithm)
            let (type, privatePEM, publicPEM) = try keyMaterial(algorithm: algorithm, importing: imported)
            record["type"] = .string(type)
            record["privateKey"] = .string(privatePEM)
            record["encryptionKey"] = .string(publicPEM)
        }
        record["decryptionKey"] = .null
    }

    /// A generated or imported (PEM) key pair for `algorithm`: `(type, private PEM, public PEM)`.
    static func keyMaterial(algorithm: String, importing pem: String?) throws -> (String, String, String) {
        do {
            switch algorithm {
            case "ES256":
                let key =
                    try pem.map { try P256.Signing.PrivateKey(pemRepresentation: $0) } ?? P256.Signing.PrivateKey()
                return ("ec", key.pemRepresentation, key.publicKey.pemRepresentation)
            case "ES384":
                let key =
                    try pem.map { try P384.Signing.PrivateKey(pemRepresentation: $0) } ?? P384.Signing.PrivateKey()
                return ("ec", key.pemRepresentation, key.publicKey.pemRepresentation)
            case "ES512":
                let key =
                    try pem.map { try P521.Signing.PrivateKey(pemRepresentation: $0) } ?? P521.Signing.PrivateKey()
                return ("ec", key.pemRepresentation, key.publicKey.pemRepresentation)
            default:
                let key =
                    try pem.map { try _RSA.Signing.PrivateKey(pemRepresentation: $0) }
                    ?? _RSA.Signing.PrivateKey(keySize: .bits2048)
                return ("rsa", key.pemRepresentation, key.publicKey.pemRepresentation)
            }
        } catch {
            throw invalid("The key material could not be imported.")
        }
    }

    /// The row of the emulator's own signing key in the master realm, as authup lists the key it
    /// made at start-up: `sig`, RS256, priority 0, active, its `id` the JWKS `kid`.
    static func seedSigningKey(into store: inout Store, generation: HubGeneration) {
        switch generation {
        case .legacy: return
        case .transitional, .current: break
        }
        guard let signer = try? TokenSigner.shared(), let master = AuthDeclarations.masterRealm(store)?["id"] else {
            return
        }
        store.insert(
            keys(),
            [
                "id": .string(signer.keyId), "name": "sig-default", "type": "rsa", "use": "sig",
                "signatureAlgorithm": "RS256", "priority": 0, "status": "active",
                "privateKey": .string(signer.privateKey.pemRepresentation),
                "encryptionKey": .string(signer.privateKey.publicKey.pemRepresentation), "realmId": master,
            ])
    }

    /// `/trust-anchors`: a realm's CA certificates (name 3–128, certificate 64–65536 characters,
    /// which must hold a CA certificate); the certificate cannot change.
    static func trustAnchors() -> ResourceDefinition {
        ResourceDefinition(
            entity: "trust-anchor", table: AuthTable.trustAnchors,
            fields: [
                .id(),
                name.required(),
                .string("certificate").createOnly(required: true).length(64...65536),
                .bool("enabled").writable().defaults(true).filterable(),
                .uuid("realmId").createOnly().filterable().references(
                    AuthTable.realms, as: "realm", onDelete: .cascade),
            ] + Field.timestamps(),
            uniqueKeys: [["name", "realmId"]], lookupFields: ["name"],
            operations: [.list, .read, .create, .update, .delete],
            access: keyAccess,
            hooks: ResourceHooks(prepareCreate: { record, store, context in
                AuthDeclarations.defaultCallerRealm(&record, store, context)
                guard record["realmId"]?.stringValue != nil else { throw invalid("A realm must be specified.") }
                // The emulator checks the PEM armour, not the X.509 basic constraints authup checks.
                guard record["certificate"]?.stringValue?.contains("-----BEGIN CERTIFICATE-----") == true else {
                    throw invalid("A trust anchor must contain a CA certificate.")
                }
            }))
    }

    /// `/consents`: one row per scope a subject granted a client in the authorization-code flow,
    /// which the emulator does not run — a fresh installation has none. Readable by the subject
    /// itself or with `consent_read`; deleted with `consent_delete`.
    static func consents() -> ResourceDefinition {
        ResourceDefinition(
            entity: "consent", table: AuthTable.consents,
            fields: [
                .id(),
                .string("sub").filterable(), .string("subKind").filterable(), .string("scope").filterable(),
                .string("expiresAt"),
                .uuid("clientId").filterable().references(AuthTable.clients, as: "client", onDelete: .cascade),
                .uuid("realmId").filterable(),
                .uuid("userId").filterable().references(AuthTable.users, as: "user", onDelete: .cascade),
            ] + Field.timestamps(),
            operations: [.list, .read, .delete],
            access: AccessRules(delete: .permission("consent_delete")),
            hooks: ResourceHooks(readable: { record, identity in
                guard let identity else { return false }
                return identity.has("consent_read") || record["sub"]?.stringValue == identity.id
            }))
    }
}
