import FlameHub

/// Declarative description of one field of a resource.
///
/// Fields are declared with their internal camelCase name; the wire name is derived per
/// generation (`realmId` ↔ `realm_id`). Modifiers return a changed copy so a declaration reads
/// as one line: `.string("name").required().length(3...128).filterable().sortable()`.
struct Field: Sendable {
    /// JSON type of the field, used for validation and form-body coercion.
    enum Kind: Sendable, Equatable {
        case uuid, string, boolean, integer, number, timestamp, json
        case enumeration([String])
    }

    /// Where the field appears in read responses.
    enum Visibility: Sendable {
        /// In the default projection.
        case standard
        /// Allowed but only returned with `fields=+name` (secrets, e-mail).
        case optional
        /// Never readable (passwords); write hooks may echo it.
        case hidden
    }

    /// Whether a write body may set the field.
    enum Write: Sendable {
        case required, optional, readOnly
    }

    /// How a missing value is filled in on create.
    enum Default: Sendable {
        case value(EmulatorJSON)
        /// Current timestamp.
        case now
        /// New UUID.
        case uuid
        /// Copy of another field's (already validated) value, e.g. `displayName` ← `name`.
        case copy(String)
        /// Any generated value.
        case generated(@Sendable () -> EmulatorJSON)
    }

    /// Extra constraint on string values.
    struct Pattern: Sendable {
        var description: String
        var test: @Sendable (String) -> Bool

        /// authup's name rule: `[A-Za-z0-9._-]`, no whitespace.
        static let name = Pattern(description: "name") { text in
            text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
        }
        /// Lower-case variant used by the current generation.
        static let lowerName = Pattern(description: "lower-case name") { text in
            text.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || "._-".contains($0)) }
        }
        /// A plausible e-mail address.
        static let email = Pattern(description: "email") { text in
            let parts = text.split(separator: "@", omittingEmptySubsequences: false)
            return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ")
        }
    }

    var name: String
    var kind: Kind
    var nullable = true
    var visibility = Visibility.standard
    var onCreate = Write.readOnly
    var onUpdate = Write.readOnly
    var filterable = false
    var sortable = false
    var length: ClosedRange<Int>?
    var pattern: Pattern?
    var trimmed = false
    var lowercased = false
    var defaultValue: Default?
    /// Table (`service/path`) this field points into; writes with an unknown target fail with
    /// `Can't find <referenceName> entity by <field>`.
    var reference: String?
    var referenceName: String?
    /// Copied on create from the record referenced by another field: (foreign key, target field).
    var copiedFrom: (foreignKey: String, targetField: String)?
    /// What happens to this row when the referenced row is deleted.
    var onDelete = DeleteRule.keep
    /// On create, `null` and `""` count as not sent: the Hub replaces them before validation
    /// (Hub 0.13.0–0.14.0 analysis/project `service.ts` `create()`: `if (!input.name)
    /// input.name = generateName()`), so they never meet the field's type rule.
    var falsyIsUnsetOnCreate = false

    /// Reaction of a referencing row to the deletion of its target.
    enum DeleteRule: Sendable {
        /// Leave the row alone (dangling reference, or the target's hook handles it).
        case keep
        /// Delete the row too (junctions, owned rows).
        case cascade
        /// Set the foreign key to `null`.
        case setNull
    }

    // MARK: Constructors

    static func id() -> Field {
        Field(name: "id", kind: .uuid, nullable: false, filterable: true, sortable: true, defaultValue: .uuid)
    }
    static func uuid(_ name: String) -> Field { Field(name: name, kind: .uuid) }
    static func string(_ name: String) -> Field { Field(name: name, kind: .string) }
    static func bool(_ name: String) -> Field { Field(name: name, kind: .boolean, nullable: false) }
    static func integer(_ name: String) -> Field { Field(name: name, kind: .integer) }
    static func number(_ name: String) -> Field { Field(name: name, kind: .number) }
    static func json(_ name: String) -> Field { Field(name: name, kind: .json) }
    static func enumeration(_ name: String, _ values: [String]) -> Field {
        Field(name: name, kind: .enumeration(values))
    }

    /// `createdAt` and `updatedAt`, sortable, maintained by the engine.
    static func timestamps(filterable: Bool = false) -> [Field] {
        [
            Field(
                name: "createdAt", kind: .timestamp, nullable: false, filterable: filterable, sortable: true,
                defaultValue: .now),
            Field(
                name: "updatedAt", kind: .timestamp, nullable: false, filterable: filterable, sortable: true,
                defaultValue: .now),
        ]
    }

    // MARK: Modifiers

    /// Required on create, optional on update.
    func required() -> Field {
        with {
            $0.onCreate = .required; $0.onUpdate = .optional
        }
    }
    /// Optional on create and update.
    func writable() -> Field {
        with {
            $0.onCreate = .optional; $0.onUpdate = .optional
        }
    }
    /// Settable on create only (e.g. `realmId`).
    func createOnly(required: Bool = false) -> Field {
        with {
            $0.onCreate = required ? .required : .optional; $0.onUpdate = .readOnly
        }
    }
    func notNull() -> Field { with { $0.nullable = false } }
    func filterable(_ flag: Bool = true) -> Field { with { $0.filterable = flag } }
    func sortable(_ flag: Bool = true) -> Field { with { $0.sortable = flag } }
    /// Only returned with `fields=+name`.
    func optionalField() -> Field { with { $0.visibility = .optional } }
    /// Never returned by reads.
    func hidden() -> Field { with { $0.visibility = .hidden } }
    func length(_ range: ClosedRange<Int>) -> Field { with { $0.length = range } }
    func pattern(_ pattern: Pattern) -> Field { with { $0.pattern = pattern } }
    /// Trim and lower-case before validation (current-generation names, e-mails).
    func lowercased(_ flag: Bool = true) -> Field {
        with {
            $0.lowercased = flag; $0.trimmed = $0.trimmed || flag
        }
    }
    func trimming() -> Field { with { $0.trimmed = true } }
    /// See ``falsyIsUnsetOnCreate``.
    func falsyMeansUnsetOnCreate() -> Field { with { $0.falsyIsUnsetOnCreate = true } }
    func defaults(_ value: Default) -> Field { with { $0.defaultValue = value } }
    func defaults(_ value: EmulatorJSON) -> Field { with { $0.defaultValue = .value(value) } }
    /// Foreign key into `table`; `name` is the relation word used in error messages.
    func references(_ table: String, as name: String, onDelete: DeleteRule = .keep) -> Field {
        with {
            $0.reference = table
            $0.referenceName = name
            $0.onDelete = onDelete
        }
    }
    /// Value copied from the record `foreignKey` points to (e.g. `roleRealmId` ← role.realmId).
    func copied(from foreignKey: String, field: String) -> Field { with { $0.copiedFrom = (foreignKey, field) } }

    private func with(_ change: (inout Field) -> Void) -> Field {
        var copy = self
        change(&copy)
        return copy
    }
}

/// A relation that `include=` can embed.
struct Relation: Sendable {
    /// camelCase property name (`realm`, `masterImage`); wire name derived per generation.
    var name: String
    /// Local foreign-key field (`realmId`).
    var localField: String
    /// Target table (`service/path`).
    var target: String
    /// Key compared on the target (normally `id`).
    var targetField = "id"
    /// Honoured on list requests.
    var includableOnList = true
    /// Honoured on single GETs (several authup resources ignore includes there).
    var includableOnRead = true
    /// Dotted filters through this relation (`filter[realm.name]`) allowed for these target fields.
    var filterFields: [String] = []
    /// Sorts through this relation (`sort=project.name`) allowed for these target fields.
    var sortFields: [String] = []
}

/// Who may call an operation. Permission names are authup permission names.
enum Access: Sendable {
    case `public`
    case authenticated
    case permission(String)
    /// Anything else; throw an ``EmulatorError`` to reject.
    case custom(@Sendable (Identity?) throws -> Void)
}

/// The generic operations the engine provides for a resource.
enum Operation: Sendable, Hashable {
    case list, read, create, update, replace, delete
}

/// Context handed to resource hooks.
struct HookContext: Sendable {
    var generation: HubGeneration
    var identity: Identity?
    /// The request body after wire-name mapping (internal names), as sent.
    var body: EmulatorJSONObject
    var configuration: HubEmulator.Configuration
    /// Schedules deferred work (asynchronous side effects such as build-status changes).
    var scheduler: EffectScheduler
}

/// Behaviour that does not fit a declaration. Every hook is optional; hooks receive the store
/// so they can read or change other tables inside the same atomic write.
struct ResourceHooks: Sendable {
    /// After validation and defaults, before the unique check: adjust the new record or throw.
    var prepareCreate: (@Sendable (inout EmulatorJSONObject, inout Store, HookContext) throws -> Void)?
    /// Same for updates; receives the stored record as third argument.
    var prepareUpdate:
        (@Sendable (inout EmulatorJSONObject, EmulatorJSONObject, inout Store, HookContext) throws -> Void)?
    /// Side effects after a create or update was stored (counters, bindings, async effects).
    var afterWrite: (@Sendable (EmulatorJSONObject, inout Store, HookContext) throws -> Void)?
    /// Side effects of a create only (runs after `afterWrite`; the write response sees them).
    var afterCreate: (@Sendable (EmulatorJSONObject, inout Store, HookContext) throws -> Void)?
    /// Refuse a delete (built-ins) by throwing.
    var beforeDelete: (@Sendable (EmulatorJSONObject, inout Store, HookContext) throws -> Void)?
    /// Side effects after a delete.
    var afterDelete: (@Sendable (EmulatorJSONObject, inout Store, HookContext) throws -> Void)?
    /// Computed fields, applied to every record before projection (reads and writes).
    var present: (@Sendable (inout EmulatorJSONObject, Store) -> Void)?
    /// Extra keys (internal names) for a write response, e.g. an echoed plaintext secret. The
    /// record passed in still carries the transient `$`-prefixed keys that
    /// `prepareCreate`/`prepareUpdate` left (they are never stored).
    var presentWrite: (@Sendable (inout EmulatorJSONObject, EmulatorJSONObject, HookContext) -> Void)?
    /// Row-level read filter (e.g. realm scoping); rows failing it are neither listed nor counted.
    var readable: (@Sendable (EmulatorJSONObject, Identity?) -> Bool)?
}

/// Declarative description of a REST collection served by the generic engine.
///
/// ```swift
/// ResourceDefinition(entity: "realm", table: "auth/realms", fields: [
///     .id(),
///     .string("name").required().length(3...128).pattern(.name).filterable().sortable(),
///     .bool("builtIn").defaults(false).filterable(),
/// ] + Field.timestamps(), uniqueKeys: [["name"]], lookupFields: ["name"])
/// ```
struct ResourceDefinition: Sendable {
    /// Entity name for messages and `meta.schema.name` (`realm`, `role-permission`).
    var entity: String
    /// `service/path`, e.g. `auth/realms`; the path is the URL segment after the service prefix.
    var table: String
    var fields: [Field]
    var relations: [Relation] = []
    /// Sets of fields that must be unique together (NULL counts as a value, as authup pre-checks).
    var uniqueKeys: [[String]] = []
    /// SQL semantics for ``uniqueKeys``: a key with a NULL part never clashes (the Hub's unique
    /// indexes); `false` keeps authup's pre-check, where NULL counts as a value.
    var uniqueNullsDistinct = false
    /// Fields that `:id` may also match (names).
    var lookupFields: [String] = []
    var operations: Set<Operation> = [.list, .read, .create, .update, .delete]
    var access = AccessRules()
    /// Single GET applies `fields`/`include` (otherwise query parameters are ignored there).
    var readHonoursQuery = true
    /// Replaces the default projection on single GETs (legacy role GET).
    var readProjection: [String]?
    /// Sort applied when the request has none.
    var defaultSort: [(field: String, descending: Bool)] = []
    /// `PUT /:id` of an unknown UUID creates (`true`) or answers 404 (`false`).
    var replaceCreatesUnknownIDs = true
    /// `:id` aliases resolved to the caller's own record, e.g. `@me` on users for user tokens.
    var selfAliases: [String: IdentityKind] = [:]
    /// Fields added to the projection when reading through a self alias (legacy `users/@me` shows `email`).
    var selfExtraFields: [String] = []
    /// Delete requires a UUID `:id` (legacy authup answers 400 for names).
    var deleteRequiresUUID = false
    /// Status codes (the Hub answers 202 for some creates).
    var createStatus = 201
    /// 409 text when a unique key clashes (`nil` = the service's standard text).
    var conflictMessage: String?
    /// Validate the body of creates/updates before the permission check (Hub 0.13+ core);
    /// authentication still comes first.
    var validatesBeforeAccess = false
    /// Error of a single GET whose row `hooks.readable` hides (`nil` = 404 as if missing).
    var unreadableError: EmulatorError?
    var hooks = ResourceHooks()

    var path: String { String(table.split(separator: "/").last ?? "") }
    var service: String { String(table.split(separator: "/").first ?? "") }

    func field(_ name: String) -> Field? { fields.first { $0.name == name } }
    func relation(_ name: String) -> Relation? { relations.first { $0.name == name } }
}

/// Access per operation; defaults: reads need a token, writes `<entity>_create|_update|_delete`.
struct AccessRules: Sendable {
    var list = Access.authenticated
    var read = Access.authenticated
    var create = Access.authenticated
    var update = Access.authenticated
    var delete = Access.authenticated

    init(
        list: Access = .authenticated, read: Access = .authenticated, create: Access = .authenticated,
        update: Access = .authenticated, delete: Access = .authenticated
    ) {
        self.list = list
        self.read = read
        self.create = create
        self.update = update
        self.delete = delete
    }

    /// Reads need `read`, writes need `<prefix>_create`, `<prefix>_update`, `<prefix>_delete`.
    static func permissions(_ prefix: String, read: Access = .authenticated) -> AccessRules {
        AccessRules(
            list: read, read: read, create: .permission("\(prefix)_create"), update: .permission("\(prefix)_update"),
            delete: .permission("\(prefix)_delete"))
    }
}
