// String vocabularies of the core service. Unknown values decode as they are.

/// The state of a build, distribution or execution (`buildStatus`, `executionStatus`, …).
///
/// Hub 0.8.27+ uses `starting, started, stopping, stopped, executing, executed, failed`; legacy
/// Hubs also send `running` and `finished`, which decode as those values.
public struct ProcessStatus: HubStringEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `starting`.
    public static let starting = Self(rawValue: "starting")
    /// `started`.
    public static let started = Self(rawValue: "started")
    /// `stopping`.
    public static let stopping = Self(rawValue: "stopping")
    /// `stopped`.
    public static let stopped = Self(rawValue: "stopped")
    /// `executing` (current generation).
    public static let executing = Self(rawValue: "executing")
    /// `executed` (current generation).
    public static let executed = Self(rawValue: "executed")
    /// `failed`.
    public static let failed = Self(rawValue: "failed")
    /// `running` (legacy run status).
    public static let running = Self(rawValue: "running")
    /// `finished` (legacy build and run status).
    public static let finished = Self(rawValue: "finished")
}

/// A node's answer to a project or analysis (`approvalStatus`); `nil` means pending.
public struct ApprovalStatus: HubStringEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `approved`.
    public static let approved = Self(rawValue: "approved")
    /// `rejected`.
    public static let rejected = Self(rawValue: "rejected")
}

/// The role of an analysis bucket (`type`).
public struct AnalysisBucketType: HubStringEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `CODE`: the analysis' code files.
    public static let code = Self(rawValue: "CODE")
    /// `RESULT`: results.
    public static let result = Self(rawValue: "RESULT")
    /// `TEMP`: intermediate files.
    public static let temp = Self(rawValue: "TEMP")
}

/// The severity of a telemetry log line (`level`).
public struct LogLevel: HubStringEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `emerg`.
    public static let emergency = Self(rawValue: "emerg")
    /// `alert`.
    public static let alert = Self(rawValue: "alert")
    /// `crit`.
    public static let critical = Self(rawValue: "crit")
    /// `error`.
    public static let error = Self(rawValue: "error")
    /// `warn`.
    public static let warning = Self(rawValue: "warn")
    /// `notice`.
    public static let notice = Self(rawValue: "notice")
    /// `info`.
    public static let info = Self(rawValue: "info")
    /// `debug`.
    public static let debug = Self(rawValue: "debug")

    /// Whether the level is `error` or more severe.
    public var isError: Bool { [Self.emergency, .alert, .critical, .error].contains(self) }
}

/// Where an image command argument goes relative to the image's command (`position`).
public struct ArgumentPosition: HubStringEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `before`.
    public static let before = Self(rawValue: "before")
    /// `after`.
    public static let after = Self(rawValue: "after")
}

/// One argument of a master image's or an analysis' command (`{value, position?}`).
public struct CommandArgument: Codable, Sendable, Hashable {
    /// The argument.
    public var value: String
    /// Before or after the image's own arguments; absent means after.
    public var position: ArgumentPosition?

    /// An argument `value` at `position`.
    public init(_ value: String, position: ArgumentPosition? = nil) {
        self.value = value
        self.position = position
    }
}
