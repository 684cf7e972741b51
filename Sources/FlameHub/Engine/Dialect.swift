/// The FLAME Hub release lines an SDK client can talk to, oldest first.
///
/// The boundaries are those of the releases' own tags (`PrivateAIM/hub`, `authup/authup`):
///
/// - ``legacy``: Hub 0.8–0.12.2 with authup before 1.0.0-beta.54 — snake_case keys everywhere,
///   bare single records, robots as machine identities.
/// - ``transitional``: Hub 0.12.3–0.12.7 with authup 1.0.0-beta.54–56 — authup speaks camelCase
///   and has clients instead of robots, core and storage still speak snake_case; no service wraps
///   single records in `{data, meta}` yet.
/// - ``current``: Hub 0.13+ with authup 1.0.0-beta.57+ — camelCase keys and `{data, meta}`
///   envelopes everywhere, OAuth2 clients.
///
/// What differs per service is stated once, by ``keyCasing(of:)``, ``envelopesRecords(of:)`` and
/// ``hasRobots``, rather than in scattered comparisons.
public enum HubGeneration: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Hub 0.8–0.12.2 / authup < 1.0.0-beta.54.
    ///
    /// Hub 0.12.2 is the last release on authup 1.0.0-beta.52 (`apps/server-core/package.json`
    /// at `v0.12.2`); its nodes already carry a `client_id` column, but authup still serves robots.
    case legacy
    /// Hub 0.12.3–0.12.7 / authup 1.0.0-beta.54–56.
    ///
    /// Hub `v0.12.3` moved to authup 1.0.0-beta.54 and rapiq 2 (`apps/server-core/package.json`),
    /// `v0.12.4`–`v0.12.7` use beta.56, `v0.13.0` beta.57. authup beta.54 renamed every key to
    /// camelCase and removed robots (`packages/core-kit/src/domains` at `v1.0.0-beta.54`); the
    /// Hub's own entities stayed snake_case (`packages/core-kit/src/domains/node/entity.ts` at
    /// `v0.12.7`: `client_id`, and a deprecated `robot_id` that holds a client id). Neither
    /// service wraps single records yet: authup's envelopes start at beta.57, the Hub's at 0.13.0.
    case transitional
    /// Hub 0.13+ / authup ≥ 1.0.0-beta.57.
    case current

    public var description: String { rawValue }

    /// Every generation, built once: resources without limits check their operations against it
    /// on every call.
    static let all = Set(allCases)

    /// How `service` spells keys in this generation: authup turned camelCase one generation
    /// before the Hub's core and storage did.
    public func keyCasing(of service: HubService) -> KeyCasing {
        switch self {
        case .legacy: .snakeCase
        case .transitional: service == .auth ? .camelCase : .snakeCase
        case .current: .camelCase
        }
    }

    /// Whether `service` wraps single records in `{data, meta}` in this generation (lists are
    /// `{data, meta}` in every generation).
    public func envelopesRecords(of service: HubService) -> Bool {
        switch self {
        case .legacy, .transitional: false
        case .current: true
        }
    }

    /// Whether machine identities are authup robots (`robot_id`, `/robots`,
    /// `robot_credentials`); from the transitional generation on they are OAuth2 clients.
    public var hasRobots: Bool {
        switch self {
        case .legacy: true
        case .transitional, .current: false
        }
    }
}

/// Which Hub service a client talks to; it decides how a `GET /` version string is read.
public enum HubService: String, Sendable, Hashable, CaseIterable {
    /// authup, the identity service (versions `1.0.0-beta.N`).
    case auth
    /// The Hub core service (versions `0.x.y`).
    case core
    /// The Hub storage service (versions `0.x.y`).
    case storage
    /// The Hub messenger (Hub 0.11.5+; its `GET /` names no version).
    case messenger
    /// The Hub telemetry service (versions `0.x.y`; Hub 0.8.14+).
    case telemetry
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
        // Almost every name is ASCII and already in this casing; a byte scan finds that without
        // walking Characters (every query's `include` comes through here on every call). `.`,
        // `+` and `-` change nothing by themselves.
        let needsWork = name.utf8.contains { byte in
            switch self {
            case .camelCase: byte == UInt8(ascii: "_") || byte >= 0x80
            case .snakeCase: (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || byte >= 0x80
            }
        }
        guard needsWork else { return name }
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
/// explicitly (``legacy``, ``transitional``, ``current``, ``auth(version:)``, ``hub(version:)``,
/// ``init(generation:service:filterGrammar:version:)``) to skip detection.
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

    /// Hub 0.12.3–0.12.7 / authup 1.0.0-beta.54–56 as the Hub's core and storage speak it:
    /// snake_case, bare records, clients, `~x` = ends-with. authup of that era is
    /// `HubDialect(generation: .transitional, service: .auth)` (camelCase, rapiq 0.9 filters).
    public static let transitional = HubDialect(generation: .transitional, service: .core)

    /// Hub 0.13+ / authup 1.0.0-beta.57+: camelCase, envelopes, clients, `~x` = ends-with.
    public static let current = HubDialect(
        generation: .current, keyCasing: .camelCase, envelopesRecords: true, filterGrammar: .rapiq2)

    /// The dialect of an authup release, e.g. `auth(version: "1.0.0-beta.26")`.
    ///
    /// Legacy up to beta.53, transitional (camelCase, clients, bare records, rapiq 0.9 filters)
    /// for beta.54–56, current (envelopes, rapiq 2) from beta.57. Unparseable versions and
    /// releases after 1.0.0-beta are taken as current.
    public static func auth(version: String) -> HubDialect {
        var generation = HubGeneration.current
        if let parsed = SemanticVersion(version),
            parsed.major < 1
                || (parsed.major == 1 && parsed.minor == 0 && parsed.patch == 0 && parsed.betaNumber != nil)
        {
            let number = parsed.betaNumber ?? 0
            generation = number < 54 ? .legacy : number < 57 ? .transitional : .current
        }
        return HubDialect(
            generation: generation, service: .auth, filterGrammar: generation == .current ? .rapiq2 : .rapiq09,
            version: version)
    }

    /// The dialect of a Hub core or storage release, e.g. `hub(version: "0.8.13")`.
    ///
    /// Legacy up to 0.12.2, transitional for 0.12.3–0.12.7 (authup beta.54–56 behind it),
    /// current from 0.13.0; rapiq 2 filters from 0.12.3. Unparseable versions are taken as
    /// current.
    public static func hub(version: String) -> HubDialect {
        var generation = HubGeneration.current
        var grammar = FilterGrammar.rapiq2
        if let parsed = SemanticVersion(version) {
            let triple = (parsed.major, parsed.minor, parsed.patch)
            if triple < (0, 12, 3) {
                generation = .legacy
                grammar = .rapiq09
            } else if triple < (0, 13, 0) {
                generation = .transitional
            }
        }
        return HubDialect(
            generation: generation, service: .core, filterGrammar: grammar, version: version)
    }

    /// The dialect that `service` speaks in `generation`, with the filter grammar of the
    /// generation's newest release (authup's transitional releases still parse rapiq 0.9).
    public init(
        generation: HubGeneration, service: HubService, filterGrammar: FilterGrammar? = nil, version: String? = nil
    ) {
        let grammar: FilterGrammar
        switch generation {
        case .legacy: grammar = .rapiq09
        case .transitional: grammar = service == .auth ? .rapiq09 : .rapiq2
        case .current: grammar = .rapiq2
        }
        self.init(
            generation: generation, keyCasing: generation.keyCasing(of: service),
            envelopesRecords: generation.envelopesRecords(of: service), filterGrammar: filterGrammar ?? grammar,
            version: version)
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
