import FlameHub

/// What the emulator imitates for each of the SDK's release lines. The generation is chosen once
/// at start; every wire detail (key casing, envelopes, error bodies, filter grammar, paging
/// defaults) follows from it:
///
/// - `legacy`: Hub 0.8.13 with authup 1.0.0-beta.26 — snake_case keys, bare records, robots,
///   `~x` = starts-with, no default page limit.
/// - `transitional`: Hub 0.12.7 with authup 1.0.0-beta.56 — authup camelCase, core and storage
///   snake_case, bare records everywhere, OAuth2 clients (no robot routes), nodes and analyses
///   with `client_id`; authup parses rapiq 0.9 filters, the Hub rapiq 2. Everything else follows
///   the current generation, which these releases already resemble (see ``HubGeneration``).
/// - `current`: Hub 0.14.0 with authup 1.0.0-beta.63 — camelCase keys, `{data, meta}` envelopes
///   with `meta.schema`, OAuth2 clients, `~x` = ends-with, default page limit 50.
extension HubGeneration {
    /// Hub core/storage version the emulator reports from `GET /`.
    public var hubVersion: String {
        switch self {
        case .legacy: "0.8.13"
        case .transitional: "0.12.7"
        case .current: "0.14.0"
        }
    }

    /// authup version the emulator's auth service reports from `GET /`.
    public var authupVersion: String {
        switch self {
        case .legacy: "1.0.0-beta.26"
        // Hub 0.12.4–0.12.7 pin authup ^1.0.0-beta.56 (`apps/server-core/package.json` at `v0.12.7`).
        case .transitional: "1.0.0-beta.56"
        case .current: "1.0.0-beta.63"
        }
    }

    /// The wire name of an internal camelCase name in `service` (`realmId` → `realm_id` on legacy
    /// and on transitional core), by the SDK's per-service ``HubGeneration/keyCasing(of:)`` (the
    /// seam tests check it against the SDK's version rules for the versions reported above), so
    /// emulator and client spell every key the same way.
    func wireName(_ camelName: String, in service: HubService) -> String {
        keyCasing(of: service).convert(camelName)
    }

    /// The generation whose query parser `service` runs: authup's transitional releases still
    /// parse rapiq 0.9 like legacy ones, the Hub's (0.12.3+) rapiq 2 like current ones.
    func filterDialect(of service: HubService) -> HubGeneration {
        switch self {
        case .legacy: .legacy
        case .transitional: service == .auth ? .legacy : .current
        case .current: .current
        }
    }
}

extension ResourceDefinition {
    /// The service a resource belongs to, from its table's namespace (`auth/users`).
    var hubService: HubService {
        HubService.emulated(table.split(separator: "/").first.map(String.init) ?? "")
    }
}

extension HandlerContext {
    /// The service this request is for.
    var hubService: HubService { HubService.emulated(service.name) }

    /// `camelName` as this service spells it.
    func wireName(_ camelName: String) -> String { generation.wireName(camelName, in: hubService) }

    /// Whether this service wraps single records in `{data, meta}`.
    var envelopesRecords: Bool { generation.envelopesRecords(of: hubService) }
}

extension HubService {
    /// The service mounted under `name` (`auth`, `core`, `storage`); unknown names are the Hub's.
    static func emulated(_ name: String) -> HubService {
        HubService(rawValue: name) ?? .core
    }
}

/// The emulator's former name for the era it imitates; the SDK's ``HubGeneration`` is the one type
/// for it now, so code that imports both modules sees one name.
@available(*, deprecated, renamed: "HubGeneration")
public typealias Generation = HubGeneration
