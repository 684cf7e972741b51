import ArgumentParser
import FlameHub

// The core service's operations beyond CRUD: analysis and registry commands, client and
// registry credentials, analysis client permissions, logs, master image sync and build.

extension AnalysisCommand: @retroactive ExpressibleByArgument {
    /// The commands of every generation (the connected Hub's generation is checked by the SDK).
    static var known: [AnalysisCommand] {
        var seen: Set<String> = []
        return (AnalysisCommand.all(for: .current) + AnalysisCommand.all(for: .legacy)).filter {
            seen.insert($0.rawValue).inserted
        }
    }

    public init?(argument: String) {
        guard let command = Self.known.first(where: { $0.rawValue.lowercased() == argument.lowercased() }) else {
            return nil
        }
        self = command
    }

    public static var allValueStrings: [String] { known.map(\.rawValue) }
}

extension RegistryCommand: @retroactive ExpressibleByArgument {
    static let known: [RegistryCommand] = [.setup, .cleanup, .delete, .projectLink, .projectUnlink]

    public init?(argument: String) {
        guard let command = Self.known.first(where: { $0.rawValue.lowercased() == argument.lowercased() }) else {
            return nil
        }
        self = command
    }

    public static var allValueStrings: [String] { known.map(\.rawValue) }
}

extension LogLevel: @retroactive ExpressibleByArgument {
    public init?(argument: String) {
        let known: [LogLevel] = [.emergency, .alert, .critical, .error, .warning, .notice, .info, .debug]
        guard let level = known.first(where: { $0.rawValue == argument.lowercased() }) else { return nil }
        self = level
    }

    public static var allValueStrings: [String] {
        ["emerg", "alert", "crit", "error", "warn", "notice", "info", "debug"]
    }
}

/// `flamehub analyses command ID buildStart`.
struct AnalysisCommandCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "command", abstract: "Send a command to an analysis and show the analysis.")

    @Argument(help: "The analysis' id.") var id: String
    @Argument(help: "The command (the connected Hub's generation decides which exist).") var command: AnalysisCommand
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await Session.run(global) { session in
            try session.output.record(try await session.core.sendAnalysisCommand(id, command))
        }
    }
}

/// `flamehub registries command setup ID`.
struct RegistryCommandCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "command",
        abstract:
            "Send a command to the registry service (setup, cleanup, delete: a registry id; projectLink, projectUnlink: a registry project id)."
    )

    @Argument(help: "The command.") var command: RegistryCommand
    @Argument(help: "The registry's or registry project's id.") var id: String
    @Option(
        name: .customLong("account-secret-file"), help: "Read the registry account's secret from this file.",
        completion: .file())
    var accountSecretFile: String?
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await Session.run(global) { session in
            let secret = try accountSecretFile.map { SecretString(try Settings.readSecret($0, what: "secret")) }
            try await session.core.sendRegistryCommand(command, id: id, secret: secret)
            try session.output.done(
                "sent \(command.rawValue) for \(id)", json: ["command": .string(command.rawValue), "id": .string(id)],
                id: id)
        }
    }
}

/// `--rotate` and `--secret-file` of the credentials commands.
struct RotationOptions: ParsableArguments {
    @Flag(help: "Set a new secret (random unless --new-secret-file) and show it.") var rotate = false
    @Option(
        name: .customLong("new-secret-file"), help: "The new secret for --rotate, read from this file.",
        completion: .file())
    var newSecretFile: String?

    func validate() throws {
        if newSecretFile != nil && !rotate { throw ValidationError("--new-secret-file goes with --rotate") }
    }

    var secret: SecretString? {
        get throws { try newSecretFile.map { SecretString(try Settings.readSecret($0, what: "secret")) } }
    }
}

/// A record with an OAuth2 client whose credentials can be read and rotated (current Hubs).
protocol ClientCredentialsOwner {
    /// `node`, `analysis`.
    static var noun: String { get }
    static func credentials(_ core: CoreClient, _ id: String, rotating: Bool, secret: SecretString?) async throws
        -> ClientCredentials
}

extension CoreResources.Nodes: ClientCredentialsOwner {
    static var noun: String { "node" }
    static func credentials(_ core: CoreClient, _ id: String, rotating: Bool, secret: SecretString?) async throws
        -> ClientCredentials
    {
        rotating
            ? try await core.rotateNodeClientCredentials(id, secret: secret)
            : try await core.getNodeClientCredentials(id)
    }
}

extension CoreResources.Analyses: ClientCredentialsOwner {
    static var noun: String { "analysis" }
    static func credentials(_ core: CoreClient, _ id: String, rotating: Bool, secret: SecretString?) async throws
        -> ClientCredentials
    {
        rotating
            ? try await core.rotateAnalysisClientCredentials(id, secret: secret)
            : try await core.getAnalysisClientCredentials(id)
    }
}

/// `flamehub nodes credentials ID [--rotate]`, `flamehub analyses credentials ID [--rotate]`.
struct ClientCredentialsCommand<Owner: ClientCredentialsOwner>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "credentials",
            abstract: "Show (or rotate) the \(Owner.noun)'s OAuth2 client credentials (current Hubs).")
    }

    @Argument(help: "The record's id.") var id: String
    @OptionGroup var rotation: RotationOptions
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await Session.run(global) { session in
            try session.output.record(
                try await Owner.credentials(session.core, id, rotating: rotation.rotate, secret: try rotation.secret))
        }
    }
}

/// `flamehub nodes registry-credentials ID`.
struct NodeRegistryCredentialsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry-credentials", abstract: "Show the registry account the node uses (current Hubs).")

    @Argument(help: "The node's id.") var id: String
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await Session.run(global) { session in
            try session.output.record(try await session.core.getNodeRegistryCredentials(id))
        }
    }
}

/// `flamehub analyses permissions ID [--grant P | --revoke P]`.
struct AnalysisPermissionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "permissions",
        abstract: "List, grant or revoke the permissions of the analysis' client (current Hubs).")

    @Argument(help: "The analysis' id.") var id: String
    @Option(help: "Grant this permission (id).") var grant: String?
    @Option(help: "Revoke this permission (id).") var revoke: String?
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if grant != nil && revoke != nil { throw ValidationError("--grant and --revoke exclude each other") }
    }

    func run() async throws {
        try await Session.run(global) { session in
            let core = session.core
            if let grant {
                try session.output.record(try await core.addAnalysisClientPermission(id, permission: grant))
            } else if let revoke {
                try await core.removeAnalysisClientPermission(id, permission: revoke)
                try session.output.done(
                    "revoked \(revoke) from analysis \(id)",
                    json: ["permissionId": .string(revoke), "revoked": .bool(true)],
                    id: revoke)
            } else {
                try session.output.page(
                    try await core.getAnalysisClientPermissions(id),
                    columns: ["permissionId", "permission", "realmScope"])
            }
        }
    }
}

/// `flamehub analyses logs ID [--node NODE] [--level L] [--delete]`.
struct AnalysisLogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs", abstract: "Show (or delete) the log lines of an analysis, or of one of its nodes.")

    @Argument(help: "The analysis' id.") var id: String
    @Option(help: "Only this node's lines (its id).") var node: String?
    @Option(help: "Only lines of this level (current Hubs).") var level: LogLevel?
    @Option(help: "The page size, 1 to 50 (default 50).") var limit: Int?
    @Option(help: "Lines to skip (default 0).") var offset: Int?
    @Flag(help: "Delete the lines instead of showing them.") var delete = false
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if let limit, !(1...Page.defaultLimit).contains(limit) {
            throw ValidationError("--limit must be between 1 and \(Page.defaultLimit)")
        }
        if delete && (level != nil || limit != nil || offset != nil) {
            throw ValidationError("--delete removes every line: no --level, --limit or --offset")
        }
    }

    func run() async throws {
        try await Session.run(global) { session in
            let core = session.core
            if delete {
                if let node {
                    try await core.deleteAnalysisNodeLogs(analysisId: id, nodeId: node)
                } else {
                    try await core.deleteAnalysisLogs(analysisId: id)
                }
                try session.output.done(
                    "deleted the logs of analysis \(id)", json: ["analysisId": .string(id), "deleted": .bool(true)])
                return
            }
            let page = Page(limit: limit ?? Page.defaultLimit, offset: offset ?? 0)
            let lines =
                if let node {
                    try await core.findAnalysisNodeLogs(analysisId: id, nodeId: node, level: level, page: page)
                } else {
                    try await core.findAnalysisLogs(analysisId: id, level: level, page: page)
                }
            try session.output.page(lines, columns: ["time", "level", "service", "message"], framed: false)
        }
    }
}

/// `flamehub analyses log ID --node NODE --level info --message TEXT`.
struct AnalysisWriteLogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Write a log line for a node of an analysis.")

    @Argument(help: "The analysis' id.") var id: String
    @Option(help: "The node's id.") var node: String
    @Option(help: "The line's level.") var level: LogLevel = .info
    @Option(help: "The text.") var message: String
    @Option(help: "A status (legacy rows: default the level's name).") var status: String?
    @Option(help: "An error code.") var code: String?
    @Option(
        parsing: .unconditionalSingleValue,
        help: ArgumentHelp("A label key=value (repeatable; current Hubs).", valueName: "key=value"))
    var label: [String] = []
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        for pair in label where !pair.contains("=") { throw ValidationError("--label '\(pair)' is not key=value") }
    }

    func run() async throws {
        try await Session.run(global) { session in
            var labels: [String: String] = [:]
            for pair in label {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                labels[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
            }
            let entry = try await session.core.createAnalysisNodeLog(
                analysisId: id, nodeId: node, level: level, message: message, status: status, code: code, labels: labels
            )
            try session.output.record(entry)
        }
    }
}

/// `flamehub master-images sync`.
struct MasterImagesSyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Re-import master images and groups from the configured repository.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await Session.run(global) { session in
            try await session.core.syncMasterImages()
            try session.output.done("master image sync started", json: ["command": .string("sync")])
        }
    }
}

/// `flamehub master-images build ID`.
struct MasterImageBuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build", abstract: "Start building a master image (current Hubs) and show it.")

    @Argument(help: "The master image's id.") var id: String
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await Session.run(global) { session in
            guard let image = try await session.core.buildMasterImage(id) else {
                throw CLIError(.notFound, "there is no master image \(id)")
            }
            try session.output.record(image)
        }
    }
}
