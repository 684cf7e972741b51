import FlameHub

/// What the emulator imitates for each of the SDK's release lines. The generation is chosen once
/// at start; every wire detail (key casing, envelopes, error bodies, filter grammar, paging
/// defaults) follows from it:
///
/// - `legacy`: Hub 0.8.13 with authup 1.0.0-beta.26 — snake_case keys, bare records, robots,
///   `~x` = starts-with, no default page limit.
/// - `current`: Hub 0.14.0 with authup 1.0.0-beta.63 — camelCase keys, `{data, meta}` envelopes
///   with `meta.schema`, OAuth2 clients, `~x` = ends-with, default page limit 50.
extension HubGeneration {
    /// Hub core/storage version the emulator reports from `GET /`.
    public var hubVersion: String {
        switch self {
        case .legacy: "0.8.13"
        case .current: "0.14.0"
        }
    }

    /// authup version the emulator's auth service reports from `GET /`.
    public var authupVersion: String {
        switch self {
        case .legacy: "1.0.0-beta.26"
        case .current: "1.0.0-beta.63"
        }
    }

    /// How the emulated release spells keys. Stated here rather than derived from the SDK's
    /// version rules, so tests can check those rules against what the emulator serves.
    var keyCasing: KeyCasing {
        switch self {
        case .legacy: .snakeCase
        case .current: .camelCase
        }
    }

    /// The wire name of an internal camelCase name (`realmId` → `realm_id` on legacy), converted
    /// by the SDK's ``KeyCasing``, so emulator and client spell every key the same way.
    func wireName(_ camelName: String) -> String {
        keyCasing.convert(camelName)
    }
}

/// The emulator's former name for the era it imitates; the SDK's ``HubGeneration`` is the one type
/// for it now, so code that imports both modules sees one name.
@available(*, deprecated, renamed: "HubGeneration")
public typealias Generation = HubGeneration
