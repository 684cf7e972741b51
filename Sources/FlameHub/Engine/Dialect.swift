/// The FLAME Hub release lines an SDK client can talk to.
///
/// - ``legacy``: Hub 0.8–0.12 and authup before 1.0.0-beta.54 — snake_case keys, bare single
///   records, robots as machine identities.
/// - ``current``: Hub 0.13+ and authup 1.0.0-beta.54+ — camelCase keys, `{data, meta}` envelopes,
///   OAuth2 clients instead of robots.
public enum HubGeneration: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Hub 0.8–0.12 / authup < 1.0.0-beta.54.
    case legacy
    /// Hub 0.13+ / authup ≥ 1.0.0-beta.54.
    case current

    public var description: String { rawValue }
}

/// Which Hub service a client talks to; it decides how a `GET /` version string is read.
public enum HubService: String, Sendable, Hashable, CaseIterable {
    /// authup, the identity service (versions `1.0.0-beta.N`).
    case auth
    /// The Hub core service (versions `0.x.y`).
    case core
    /// The Hub storage service (versions `0.x.y`).
    case storage
}

/// How property names are spelled on the wire.
public enum KeyCasing: String, Sendable, Hashable {
    /// `realm_id` (legacy generation).
    case snakeCase
    /// `realmId` (current generation).
    case camelCase

    /// `name` in this casing; dotted paths are converted segment by segment and a leading `+`/`-`
    /// (field selection) is kept. Either casing is accepted as input.
    public func convert(_ name: String) -> String {
        if name.contains(".") {
            return name.split(separator: ".", omittingEmptySubsequences: false).map { convert(String($0)) }
                .joined(separator: ".")
        }
        if let first = name.first, first == "+" || first == "-" {
            return String(first) + convert(String(name.dropFirst()))
        }
        switch self {
        case .snakeCase: return Self.snakeCased(name)
        case .camelCase: return Self.camelCased(name)
        }
    }

    static func snakeCased(_ name: String) -> String {
        guard name.contains(where: \.isUppercase) else { return name }
        var result = ""
        result.reserveCapacity(name.utf8.count + 4)
        for character in name {
            if character.isUppercase {
                if !result.isEmpty && result.last != "_" { result.append("_") }
                result.append(contentsOf: character.lowercased())
            } else {
                result.append(character)
            }
        }
        return result
    }

    static func camelCased(_ name: String) -> String {
        guard name.contains("_") else { return name }
        var result = ""
        var upperNext = false
        for character in name {
            if character == "_" {
                upperNext = !result.isEmpty
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

/// How filter values are read by the server's query library (rapiq).
public enum FilterGrammar: String, Sendable, Hashable {
    /// rapiq 0.9 (Hub ≤ 0.12.2, authup < 1.0.0-beta.57): `~x` is *starts with*; there is no
    /// *ends with* or *contains*.
    case rapiq09
    /// rapiq 2 (Hub ≥ 0.12.3, authup ≥ 1.0.0-beta.57): `~x` is *ends with*, `x~` *starts with*,
    /// `~x~` *contains*.
    case rapiq2
}

/// Everything that differs on the wire between Hub releases, derived from a service's version.
///
/// A client detects its dialect once from the service's `GET /` and caches it; pass one
/// explicitly (``legacy``, ``current``, ``auth(version:)``, ``hub(version:)``) to skip detection.
/// Responses are decoded in either casing and envelope shape whatever the dialect says.
public struct HubDialect: Sendable, Hashable, CustomStringConvertible {
    /// The release line (decides robots vs clients and which endpoints exist).
    public var generation: HubGeneration
    /// How keys are spelled in bodies and queries.
    public var keyCasing: KeyCasing
    /// Whether single records come wrapped in `{data, meta}`.
    public var envelopesRecords: Bool
    /// How filter operators are written.
    public var filterGrammar: FilterGrammar
    /// The version string the dialect was derived from, if any.
    public var version: String?

    /// Creates a dialect from its parts.
    public init(
        generation: HubGeneration, keyCasing: KeyCasing, envelopesRecords: Bool, filterGrammar: FilterGrammar,
        version: String? = nil
    ) {
        self.generation = generation
        self.keyCasing = keyCasing
        self.envelopesRecords = envelopesRecords
        self.filterGrammar = filterGrammar
        self.version = version
    }

    /// Hub 0.8.13 / authup 1.0.0-beta.26: snake_case, bare records, robots, `~x` = starts-with.
    public static let legacy = HubDialect(
        generation: .legacy, keyCasing: .snakeCase, envelopesRecords: false, filterGrammar: .rapiq09)

    /// Hub 0.13+ / authup 1.0.0-beta.57+: camelCase, envelopes, clients, `~x` = ends-with.
    public static let current = HubDialect(
        generation: .current, keyCasing: .camelCase, envelopesRecords: true, filterGrammar: .rapiq2)

    /// The dialect of an authup release, e.g. `auth(version: "1.0.0-beta.26")`.
    ///
    /// snake_case and robots up to beta.53; camelCase without robots from beta.54; envelopes and
    /// rapiq 2 filters from beta.57. Unparseable versions are taken as current.
    public static func auth(version: String) -> HubDialect {
        var dialect = HubDialect.current
        dialect.version = version
        guard let parsed = SemanticVersion(version) else { return dialect }
        let beta = parsed.betaNumber
        if parsed.major < 1 || (parsed.major == 1 && parsed.minor == 0 && parsed.patch == 0 && beta != nil) {
            let number = beta ?? 0
            if number < 54 {
                dialect.generation = .legacy
                dialect.keyCasing = .snakeCase
            }
            dialect.envelopesRecords = number >= 57
            dialect.filterGrammar = number >= 57 ? .rapiq2 : .rapiq09
        }
        return dialect
    }

    /// The dialect of a Hub core or storage release, e.g. `hub(version: "0.8.13")`.
    ///
    /// snake_case and bare records before 0.13.0; rapiq 2 filters from 0.12.3. Unparseable
    /// versions are taken as current.
    public static func hub(version: String) -> HubDialect {
        var dialect = HubDialect.current
        dialect.version = version
        guard let parsed = SemanticVersion(version) else { return dialect }
        let triple = (parsed.major, parsed.minor, parsed.patch)
        if triple < (0, 13, 0) {
            dialect.generation = .legacy
            dialect.keyCasing = .snakeCase
            dialect.envelopesRecords = false
        }
        dialect.filterGrammar = triple < (0, 12, 3) ? .rapiq09 : .rapiq2
        return dialect
    }

    /// The dialect of `service` at `version`.
    public static func forService(_ service: HubService, version: String) -> HubDialect {
        service == .auth ? auth(version: version) : hub(version: version)
    }

    public var description: String {
        var text = "\(generation) (\(keyCasing), \(envelopesRecords ? "enveloped" : "bare") records, \(filterGrammar))"
        if let version { text += " from version \(version)" }
        return text
    }
}

/// `major.minor.patch[-prerelease]`, with an optional leading `v`.
struct SemanticVersion: Hashable {
    var major: Int
    var minor: Int
    var patch: Int
    var prerelease: String?

    init?(_ text: String) {
        var text = Substring(text.trimmingSpaces())
        if text.first == "v" || text.first == "V" { text = text.dropFirst() }
        var prerelease: String?
        if let dash = text.firstIndex(of: "-") {
            prerelease = String(text[text.index(after: dash)...])
            text = text[..<dash]
        }
        if let plus = text.firstIndex(of: "+") { text = text[..<plus] }
        let parts = text.split(separator: ".").map { Int($0) }
        guard (1...3).contains(parts.count), let major = parts[0] else { return nil }
        let minor = parts.count > 1 ? parts[1] : 0
        let patch = parts.count > 2 ? parts[2] : 0
        guard let minor, let patch else { return nil }
        self.major = major
        self.minor = minor
        self.patch = patch
        self.prerelease = prerelease
    }

    /// `26` for `beta.26` (any alphabetic tag followed by a number).
    var betaNumber: Int? {
        guard let prerelease, let last = prerelease.split(separator: ".").last else { return nil }
        return Int(last)
    }
}
