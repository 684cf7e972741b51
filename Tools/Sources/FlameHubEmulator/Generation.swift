/// The Hub release line an emulator instance imitates. Chosen once at start; every wire detail
/// (key casing, envelopes, error bodies, filter grammar, paging defaults) follows from it.
public enum Generation: String, Sendable, CaseIterable, Codable {
    /// Hub 0.8.13 with authup 1.0.0-beta.26: snake_case keys, bare records, robots,
    /// `~x` = starts-with, no default page limit.
    case legacy
    /// Hub 0.14.0 with authup 1.0.0-beta.62: camelCase keys, `{data, meta}` envelopes with
    /// `meta.schema`, OAuth2 clients, `~x` = ends-with, default page limit 50.
    case current

    /// Hub core/storage version reported by `GET /`.
    public var hubVersion: String {
        switch self {
        case .legacy: "0.8.13"
        case .current: "0.14.0"
        }
    }

    /// authup version reported by the auth service's `GET /`.
    public var authupVersion: String {
        switch self {
        case .legacy: "1.0.0-beta.26"
        case .current: "1.0.0-beta.62"
        }
    }

    /// Converts an internal camelCase name to this generation's wire name.
    func wireName(_ camelName: String) -> String {
        self == .legacy ? Naming.snakeCase(camelName) : camelName
    }
}

/// Name conversions between the internal camelCase and the legacy snake_case wire names.
enum Naming {
    /// `realmId` → `realm_id`, `statusMessage` → `status_message`.
    static func snakeCase(_ name: String) -> String {
        var result = ""
        result.reserveCapacity(name.count + 4)
        for character in name {
            if character.isUppercase {
                if !result.isEmpty { result.append("_") }
                result.append(contentsOf: character.lowercased())
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// `realm_id` → `realmId`.
    static func camelCase(_ name: String) -> String {
        var result = ""
        var upperNext = false
        for character in name {
            if character == "_" {
                upperNext = true
            } else if upperNext {
                result.append(contentsOf: character.uppercased())
                upperNext = false
            } else {
                result.append(character)
            }
        }
        return result
    }
}
