import FlameHub

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension HubEmulator {
    /// The deployment switches of the real Hub that change what its API answers, under the
    /// environment names the Hub's services read (server-core: hub v0.8.13
    /// `packages/server-core/src/config/env/module.ts`, v0.14.0
    /// `apps/server-core/src/app/modules/config/read.ts`; authup: v1.0.0-beta.26
    /// `packages/server-core/src/config/read/env.ts`, v1.0.0-beta.62
    /// `apps/server-core/src/app/modules/config/read/env.ts`).
    ///
    /// Set them in code, with `flame-hub-emulator` flags, or through the environment
    /// (``Configuration/applyEnvironment(_:)``). The other values the Hub reads from its
    /// environment map to ``Configuration``: `USER_ADMIN_PASSWORD` → ``Configuration/adminPassword``,
    /// `ROBOT_ADMIN_SECRET` / `CLIENT_SYSTEM_SECRET` → ``Configuration/systemSecret``,
    /// `TOKEN_ACCESS_MAX_AGE` / `TOKEN_REFRESH_MAX_AGE` → the token lifetimes.
    public struct Switches: Sendable, Equatable {
        /// `SKIP_PROJECT_APPROVAL` (server-core, default `false`): a node added to a project starts
        /// `approved` instead of awaiting the node's approval (aggregators always do).
        public var skipProjectApproval: Bool
        /// `SKIP_ANALYSIS_APPROVAL` (server-core, default `false`): a node added to an analysis
        /// starts `approved`, unlocking the configuration keeps the approvals, and (Hub 0.14) an
        /// analysis may be built without them.
        public var skipAnalysisApproval: Bool
        /// `USER_ADMIN_ENABLED` (authup, default `true`): whether the seeded `admin` user is active;
        /// an inactive one cannot get a token.
        public var userAdminEnabled: Bool
        /// `USER_ADMIN_NAME` (authup beta.26, default `admin`): the seeded admin user's name. Later
        /// releases always call it `admin`, so the current generation ignores it.
        public var userAdminName: String
        /// `ROBOT_ADMIN_ENABLED` (authup beta.26: the `system` robot) / `CLIENT_SYSTEM_ENABLED`
        /// (beta.62: the `system` client): whether the seeded machine identity is active.
        /// authup's default is `false`; the emulator's is `true`, the value test setups use
        /// (the Python client's own test fixtures set `ROBOT_ADMIN_ENABLED=true`).
        public var systemEnabled: Bool
        /// `ROBOT_ADMIN_NAME` (authup beta.26, default `system`): the seeded robot's name.
        public var robotAdminName: String
        /// `PERMISSIONS` (authup beta.26, comma-separated, default none): further permissions its
        /// seeder creates as built-in and grants the `admin` role. beta.62 reads but no longer
        /// uses it, so the current generation ignores it.
        public var permissions: [String]
        /// `MFA_ENABLED` (authup ≥ beta.53, default `false`: `normalize.ts` at v1.0.0-beta.53, .56
        /// and .63): second factors. Off, every enrolment is refused (400 `mfa_not_configurable`,
        /// "Multi-factor authentication is not enabled.") and the password grant asks no device
        /// for a code, though devices can still be listed, confirmed and removed. The Hub's own
        /// deployment files (v0.12.7, v0.14.0) never set it, so a Hub's authup runs without MFA.
        public var mfaEnabled: Bool
        /// `EVENT_LOG_ENABLED` (authup ≥ beta.53, default `true`: `normalize.ts` at v1.0.0-beta.56
        /// and .63): whether authup keeps its audit log in `/events`. Off, nothing is recorded.
        public var eventLogEnabled: Bool
        /// `EVENT_LOG_ENTITY_ENABLED` (authup ≥ beta.53, default `true`): with ``eventLogEnabled``,
        /// every create, update and delete of an auth entity adds an event of scope `entity`
        /// (expiring after 7 days, `eventLogEntityRetentionDays`).
        public var eventLogEntityEnabled: Bool

        public init(
            skipProjectApproval: Bool = false, skipAnalysisApproval: Bool = false, userAdminEnabled: Bool = true,
            userAdminName: String = "admin", systemEnabled: Bool = true, robotAdminName: String = "system",
            permissions: [String] = [], mfaEnabled: Bool = false, eventLogEnabled: Bool = true,
            eventLogEntityEnabled: Bool = true
        ) {
            self.skipProjectApproval = skipProjectApproval
            self.skipAnalysisApproval = skipAnalysisApproval
            self.userAdminEnabled = userAdminEnabled
            self.userAdminName = userAdminName
            self.systemEnabled = systemEnabled
            self.robotAdminName = robotAdminName
            self.permissions = permissions
            self.mfaEnabled = mfaEnabled
            self.eventLogEnabled = eventLogEnabled
            self.eventLogEntityEnabled = eventLogEntityEnabled
        }
    }

    /// An environment variable with a value the Hub would not accept.
    public struct EnvironmentError: Error, CustomStringConvertible, Equatable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }

        public var description: String { "\(name): \"\(value)\" is not a valid value" }
    }
}

extension HubEmulator.Configuration {
    /// Environment variables (the Hub's own names) this configuration reads in
    /// ``applyEnvironment(_:)``.
    public static let environmentNames = [
        "SKIP_PROJECT_APPROVAL", "SKIP_ANALYSIS_APPROVAL", "USER_ADMIN_ENABLED", "USER_ADMIN_NAME",
        "USER_ADMIN_PASSWORD", "ROBOT_ADMIN_ENABLED", "CLIENT_SYSTEM_ENABLED", "ROBOT_ADMIN_NAME", "ROBOT_ADMIN_SECRET",
        "CLIENT_SYSTEM_SECRET", "PERMISSIONS", "TOKEN_ACCESS_MAX_AGE", "TOKEN_REFRESH_MAX_AGE",
        "MFA_ENABLED", "EVENT_LOG_ENABLED", "EVENT_LOG_ENTITY_ENABLED",
    ]

    /// Sets the switches and values named in `environment` (e.g. `ProcessInfo.processInfo
    /// .environment`); variables that are absent or empty keep their current value, as in the Hub.
    /// Booleans read as envix's `readBool` does (`true`/`false`, `1`/`0`, `yes`/`no`, `t`/`f`, `y`/`n`).
    public mutating func applyEnvironment(_ environment: [String: String]) throws {
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        func flag(_ name: String) throws -> Bool? {
            guard let raw = value(name) else { return nil }
            switch raw.lowercased() {
            case "true", "1", "yes", "y", "t": return true
            case "false", "0", "no", "n", "f": return false
            default: throw HubEmulator.EnvironmentError(name: name, value: raw)
            }
        }
        func seconds(_ name: String) throws -> Duration? {
            guard let raw = value(name) else { return nil }
            guard let number = Int(raw), number > 0 else { throw HubEmulator.EnvironmentError(name: name, value: raw) }
            return .seconds(number)
        }
        if let on = try flag("SKIP_PROJECT_APPROVAL") { switches.skipProjectApproval = on }
        if let on = try flag("SKIP_ANALYSIS_APPROVAL") { switches.skipAnalysisApproval = on }
        if let on = try flag("USER_ADMIN_ENABLED") { switches.userAdminEnabled = on }
        if let name = value("USER_ADMIN_NAME") { switches.userAdminName = name }
        if let password = value("USER_ADMIN_PASSWORD") { adminPassword = password }
        // One identity per generation; each authup release reads only its own name.
        if let on = try flag("ROBOT_ADMIN_ENABLED") ?? flag("CLIENT_SYSTEM_ENABLED") { switches.systemEnabled = on }
        if let name = value("ROBOT_ADMIN_NAME") { switches.robotAdminName = name }
        if let secret = value("ROBOT_ADMIN_SECRET") ?? value("CLIENT_SYSTEM_SECRET") { systemSecret = secret }
        if let list = value("PERMISSIONS") {
            switches.permissions = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        }
        if let on = try flag("MFA_ENABLED") { switches.mfaEnabled = on }
        if let on = try flag("EVENT_LOG_ENABLED") { switches.eventLogEnabled = on }
        if let on = try flag("EVENT_LOG_ENTITY_ENABLED") { switches.eventLogEntityEnabled = on }
        if let lifetime = try seconds("TOKEN_ACCESS_MAX_AGE") { accessTokenLifetime = lifetime }
        if let lifetime = try seconds("TOKEN_REFRESH_MAX_AGE") { refreshTokenLifetime = lifetime }
    }
}
