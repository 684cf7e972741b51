import ArgumentParser
import FlameHub
import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `flamehub <path>`: the operations resource `D` has (from its descriptor's protocols), then
/// its table entry's extra commands.
struct ResourceGroup<D: ResourceDescriptor>: ParsableCommand {
    // ArgumentParser wants concrete command types: each cast asks whether the descriptor has an
    // operation's protocol and, when it has, opens it into that operation's generic command.
    // Made once per group: ArgumentParser asks for it many times a run, and the casts are
    // conformance lookups, each a scan of the binary's conformance records the first time.
    static var configuration: CommandConfiguration {
        let id = ObjectIdentifier(D.self)
        if let made = groupConfigurations.withLock({ $0[id] }) { return made }
        let made = makeConfiguration()
        groupConfigurations.withLock { $0[id] = made }
        return made
    }

    private static func makeConfiguration() -> CommandConfiguration {
        var operations: [any ParsableCommand.Type] = []
        if let listable = D.self as? any ListableResource.Type { operations.append(listCommand(listable)) }
        if let gettable = D.self as? any GettableResource.Type { operations.append(getCommand(gettable)) }
        if let creatable = D.self as? any CreatableResource.Type { operations.append(createCommand(creatable)) }
        if let updatable = D.self as? any UpdatableResource.Type { operations.append(updateCommand(updatable)) }
        if let deletable = D.self as? any DeletableResource.Type { operations.append(deleteCommand(deletable)) }
        if let replaceable = D.self as? any ReplaceableResource.Type { operations.append(replaceCommand(replaceable)) }
        if let readable = D.self as? any SelfReadableResource.Type { operations.append(meCommand(readable)) }
        let generations =
            D.generations.count == HubGeneration.allCases.count
            ? "" : " (\(D.generations.map(\.rawValue).sorted().joined(separator: ", ")) Hubs only)"
        return CommandConfiguration(
            commandName: D.path,
            abstract: "/\(D.path) of the \(ResourceTable.entry(D.self).service.rawValue) service\(generations).",
            subcommands: operations + ResourceTable.entry(D.self).extras)
    }
}

/// Every ``ResourceGroup``'s configuration made so far, by descriptor.
private let groupConfigurations = Mutex<[ObjectIdentifier: CommandConfiguration]>([:])

private func listCommand<D: ListableResource>(_: D.Type) -> any ParsableCommand.Type { ListCommand<D>.self }
private func getCommand<D: GettableResource>(_: D.Type) -> any ParsableCommand.Type { GetCommand<D>.self }
private func createCommand<D: CreatableResource>(_: D.Type) -> any ParsableCommand.Type { CreateCommand<D>.self }
private func updateCommand<D: UpdatableResource>(_: D.Type) -> any ParsableCommand.Type { UpdateCommand<D>.self }
private func deleteCommand<D: DeletableResource>(_: D.Type) -> any ParsableCommand.Type { DeleteCommand<D>.self }
private func replaceCommand<D: ReplaceableResource>(_: D.Type) -> any ParsableCommand.Type { ReplaceCommand<D>.self }
private func meCommand<D: SelfReadableResource>(_: D.Type) -> any ParsableCommand.Type { MeCommand<D>.self }

extension Session {
    /// The engine of `D` on the service its table entry names.
    func resource<D: ResourceDescriptor>(_ descriptor: D.Type) -> Resource<D> {
        resource(descriptor, of: ResourceTable.entry(descriptor).service)
    }
}

/// `--filter`, `--sort`, `--limit`, `--offset`, `--fields`, `--all`, `--meta`.
struct ListOptions: ParsableArguments {
    @Option(
        name: .customLong("filter"), parsing: .unconditionalSingleValue,
        help: ArgumentHelp(
            "A condition key=value (repeatable; AND-ed).",
            discussion: """
                The value is sent as written, in the Hub's query syntax: name=my-node (equal), \
                name=~my (like: starts with on legacy Hubs, ends with on current ones), name=my~ \
                (starts with, current), hidden=false, id=a,b (one of), realmId=null, realmId=!null, \
                name=!x (not), buildSize=>1000 (also <, <=, >=). Keys in either casing; dotted keys \
                filter through relations.
                """, valueName: "key=value"))
    var filters: [String] = []

    @Option(parsing: .unconditional, help: ArgumentHelp("Sort by a field; -field for descending.", valueName: "field"))
    var sort: String?

    @Option(help: "The page size, 1 to 50 (default 50).")
    var limit: Int?

    @Option(help: "Records to skip (default 0).")
    var offset: Int?

    @Option(
        help: ArgumentHelp(
            "Optional fields to include, e.g. secret (repeatable or comma-separated).", valueName: "field"))
    var fields: [String] = []

    @Flag(help: "Every matching record, page by page as they arrive (no --limit/--offset).")
    var all = false

    @Flag(help: "Print the list's totals (total, limit, offset) under the table.")
    var meta = false

    func validate() throws {
        if let limit, !(1...Page.defaultLimit).contains(limit) {
            throw ValidationError("--limit must be between 1 and \(Page.defaultLimit) (use --all for every record)")
        }
        if let offset, offset < 0 { throw ValidationError("--offset must not be negative") }
        if all && (limit != nil || offset != nil) {
            throw ValidationError("--all walks every page: no --limit or --offset")
        }
        for filter in filters where !filter.contains("=") || filter.hasPrefix("=") {
            throw ValidationError("--filter '\(filter)' is not key=value")
        }
    }

    var filter: Filter {
        var filter: Filter = [:]
        for condition in filters {
            let parts = condition.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            filter[String(parts[0])] = .raw(parts.count > 1 ? String(parts[1]) : "")
        }
        return filter
    }

    var sortOrder: Sort? {
        guard let sort, !sort.isEmpty else { return nil }
        if sort.hasPrefix("-") { return Sort(by: String(sort.dropFirst()), order: .descending) }
        return Sort(by: sort.hasPrefix("+") ? String(sort.dropFirst()) : sort)
    }

    var page: Page { Page(limit: limit ?? Page.defaultLimit, offset: offset ?? 0) }

    var fieldList: [String] {
        fields.flatMap { $0.split(separator: ",").map { String($0).trimmingSpacesAndNewlines } }.filter { !$0.isEmpty }
    }
}

/// `--fields` of `get` and `me`.
struct FieldOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Optional fields to include, e.g. secret (repeatable or comma-separated).", valueName: "field"))
    var fields: [String] = []

    var fieldList: [String] {
        fields.flatMap { $0.split(separator: ",").map { String($0).trimmingSpacesAndNewlines } }.filter { !$0.isEmpty }
    }
}

/// Prints one page (or, with `--all`, every page as it arrives) of `records`.
enum Listing {
    static func print<Model: HubModel>(
        _ options: ListOptions, columns: [String], output: Output, framed: Bool = true, withheld: [String] = [],
        page: (Page) async throws -> ResourceList<Model>, all: () -> ResourcePages<Model>
    ) async throws {
        var writer = output.list(columns: columns, framed: framed)
        if options.all {
            var buffer: [Model] = []
            var count = 0
            for try await record in all() {
                buffer.append(record)
                count += 1
                if buffer.count == Page.defaultLimit {
                    try writer.page(buffer.map { Withheld($0, withheld) })
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            try writer.page(buffer.map { Withheld($0, withheld) })
            try writer.finish(meta: ListMeta(total: count), showMeta: options.meta)
        } else {
            let list = try await page(options.page)
            try writer.page(list.items.map { Withheld($0, withheld) })
            try writer.finish(meta: list.meta, showMeta: options.meta)
        }
    }
}

struct ListCommand<D: ListableResource>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "list", abstract: "List \(D.path) (the first 50 unless --limit/--offset/--all).")
    }

    @OptionGroup var list: ListOptions
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await Session.run(global) { session in
            let resource = session.resource(D.self)
            let (filter, sort, fields) = (list.filter, list.sortOrder, list.fieldList)
            let entry = ResourceTable.entry(D.self)
            try await Listing.print(
                list, columns: entry.columns, output: session.output, withheld: entry.withheld,
                page: { try await resource.find(filter: filter, sort: sort, page: $0, fields: fields) },
                all: { resource.findAll(filter: filter, sort: sort, fields: fields) })
        }
    }
}

struct GetCommand<D: GettableResource>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "get", abstract: "Show one of \(D.path) (exit 69 when there is none).")
    }

    @Argument(help: "The record's id.") var id: String
    @OptionGroup var fields: FieldOptions
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await Session.run(global) { session in
            guard let record = try await session.resource(D.self).get(id, fields: fields.fieldList) else {
                throw CLIError(.notFound, "there is no record \(id) in \(D.path)")
            }
            try session.output.record(ResourceTable.entry(D.self).shown(record))
        }
    }
}

/// `--set key=value`, `--set-file key=PATH`, `--json-body FILE|-`: the fields of a body.
struct BodyOptions: ParsableArguments {
    @Option(
        name: .customLong("set"), parsing: .unconditionalSingleValue,
        help: ArgumentHelp(
            "A field key=value (repeatable).",
            discussion: """
                The value is JSON when it parses as JSON (true, 12, null, "12", [..], {..}), else \
                a string. Keys in either casing. For secrets use --set-file or --json-body.
                """, valueName: "key=value"))
    var assignments: [String] = []

    @Option(
        name: .customLong("set-file"), parsing: .unconditionalSingleValue,
        help: ArgumentHelp(
            "A string field read from a file, key=PATH (first line; for secrets).", valueName: "key=path"))
    var fileAssignments: [String] = []

    @Option(
        name: .customLong("json-body"),
        help: ArgumentHelp(
            "The fields as a JSON object from a file ('-': standard input); --set applies on top.", valueName: "file"),
        completion: .file(extensions: ["json"]))
    var jsonBody: String?

    func validate() throws {
        for assignment in assignments + fileAssignments where !assignment.contains("=") || assignment.hasPrefix("=") {
            throw ValidationError("'\(assignment)' is not key=value")
        }
    }

    /// The merged fields, keys in camelCase.
    func fields() throws -> [String: JSONValue] {
        var object: [String: JSONValue] = [:]
        if let jsonBody {
            let bytes = try StandardInput.contents(of: jsonBody, what: "body")
            guard case .object(let members)? = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)) else {
                throw CLIError(
                    .dataError,
                    "the body \(jsonBody == "-" ? "from standard input" : "'\(jsonBody)'") is not a JSON object")
            }
            for (key, value) in members { object[KeyCasing.camelCase.convert(key)] = value }
        }
        for assignment in assignments {
            let (key, text) = Self.split(assignment)
            object[key] = (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .string(text)
        }
        for assignment in fileAssignments {
            let (key, path) = Self.split(assignment)
            object[key] = .string(try Settings.readSecret(path, what: "field"))
        }
        return object
    }

    private static func split(_ assignment: String) -> (String, String) {
        let parts = assignment.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        return (KeyCasing.camelCase.convert(String(parts[0])), parts.count > 1 ? String(parts[1]) : "")
    }

    /// The fields decoded into the SDK's body type (its own `Decodable` conformance, so every
    /// check of the body applies), or an error naming the field; a field the body does not have
    /// is rejected instead of being dropped silently.
    func body<Body>(_ type: Body.Type) throws -> Body {
        let fields = try fields()
        guard let decodable = type as? any (Decodable & Encodable).Type else {
            throw CLIError(.usage, "\(Body.self) cannot be given on the command line")
        }
        do {
            guard let body = try Self.decode(decodable, fields) as? Body else {
                throw CLIError(.usage, "\(Body.self) cannot be given on the command line")
            }
            return body
        } catch let error as DecodingError {
            var sentence = "invalid \(Body.self): \(Failure.describe(error))"
            // A missing required field is often a misspelt one: show what was given.
            if case .keyNotFound = error {
                sentence += " (fields given: \(fields.keys.sorted().joined(separator: ", ")))"
            }
            throw CLIError(.dataError, sentence)
        }
    }

    private static func decode<T: Decodable & Encodable>(_ type: T.Type, _ fields: [String: JSONValue]) throws -> T {
        let body = try JSONDecoder().decode(T.self, from: try JSONEncoder().encode(JSONValue.object(fields)))
        let unknown = try unknownFields(T.self, fields, decoded: body)
        if let first = unknown.first {
            throw CLIError(
                .dataError,
                "invalid \(T.self): it has no field '\(first)'"
                    + (unknown.count > 1 ? " (nor \(unknown.dropFirst().joined(separator: ", ")))" : ""))
        }
        return body
    }

    /// The given fields that `T` did not read. Synthesized decoding ignores unknown keys, so the
    /// decoded body is encoded again: a field it sends was read. A field given as `null` that is
    /// not sent (an optional create field) is probed with a value no field type accepts: a
    /// known field then fails to decode, an unknown one is still ignored.
    private static func unknownFields<T: Decodable & Encodable>(
        _ type: T.Type, _ fields: [String: JSONValue], decoded: T
    ) throws -> [String] {
        guard case .object(let sent) = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(decoded))
        else { return [] }
        return try fields.keys.filter { sent[$0] == nil }.sorted().filter { key in
            guard fields[key] == .null else { return true }
            var probe = fields
            probe[key] = .array([.array([.array([])])])
            let data = try JSONEncoder().encode(JSONValue.object(probe))
            return (try? JSONDecoder().decode(T.self, from: data)) != nil
        }
    }
}

struct CreateCommand<D: CreatableResource>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "create", abstract: "Create one of \(D.path) from --set/--json-body fields (\(D.Create.self))."
        )
    }

    @OptionGroup var body: BodyOptions
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await Session.run(global) { session in
            let payload = try body.body(D.Create.self)
            try session.output.record(
                ResourceTable.entry(D.self).shown(try await session.resource(D.self).create(payload)))
        }
    }
}

struct UpdateCommand<D: UpdatableResource>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "update",
            abstract: "Change the given fields of one of \(D.path) (\(D.Update.self)); null clears a field.")
    }

    @Argument(help: "The record's id.") var id: String
    @OptionGroup var body: BodyOptions
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await Session.run(global) { session in
            let payload = try body.body(D.Update.self)
            try session.output.record(
                ResourceTable.entry(D.self).shown(try await session.resource(D.self).update(id, payload)))
        }
    }
}

struct ReplaceCommand<D: ReplaceableResource>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "replace", abstract: "Create one of \(D.path) with this id, or replace its fields (PUT).")
    }

    @Argument(help: "The record's id.") var id: String
    @OptionGroup var body: BodyOptions
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await Session.run(global) { session in
            let payload = try body.body(D.Create.self)
            try session.output.record(
                ResourceTable.entry(D.self).shown(try await session.resource(D.self).replace(id, payload)))
        }
    }
}

struct DeleteCommand<D: DeletableResource>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "delete", abstract: "Delete one of \(D.path).")
    }

    @Argument(help: "The record's id.") var id: String
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await Session.run(global) { session in
            try await session.resource(D.self).delete(id)
            let shown = id.lowercased()
            try session.output.done(
                "deleted \(D.path) \(shown)", json: ["id": .string(shown), "deleted": .bool(true)], id: shown)
        }
    }
}

struct MeCommand<D: SelfReadableResource>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "me", abstract: "Show the caller's own record in \(D.path).")
    }

    @OptionGroup var fields: FieldOptions
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await Session.run(global) { session in
            try session.output.record(
                ResourceTable.entry(D.self).shown(try await session.resource(D.self).me(fields: fields.fieldList)))
        }
    }
}
