// flamehub-demo: the user guide's walk-through, run against an embedded Hub emulator (default)
// or a Hub you name with --hub. `swift run flamehub-demo --generation legacy` shows the old wire.
import ArgumentParser
import FlameHub
import FlameHubEmulator
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

@main
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flamehub-demo",
        abstract: "Runs the FlameHub Swift user-guide examples against an embedded Hub emulator.")

    @Option(
        help:
            "The emulated Hub generation: legacy (Hub 0.8, robots), transitional (Hub 0.12.7, clients) or current (Hub 0.14, clients)."
    )
    var generation: HubGeneration = .current

    @Option(help: "A running Hub's base URL (serving /auth/, /core/, /storage/) instead of the emulator.")
    var hub: String?

    @Option(help: "The user to log in as.")
    var username = "admin"

    @Option(help: "That user's password (never printed).")
    var password = "start123"

    func run() async throws {
        let emulator = hub == nil ? try await HubEmulator.start(generation: generation) : nil
        let base = hub.map { $0.hasSuffix("/") ? $0 : $0 + "/" } ?? emulator?.baseURL.absoluteString ?? ""
        print("FlameHub Swift \(FlameHubVersion.sdk) on \(CurlTransport.libcurlVersion.prefix { $0 != " " })")
        if let emulator { print("Embedded \(emulator.generation) Hub emulator at \(base)") }
        do {
            try await walkThrough(base: base)
        } catch {
            await emulator?.stop()
            throw error
        }
        await emulator?.stop()
    }

    private func walkThrough(base: String) async throws {
        let auth = PasswordAuth(username: username, password: password, baseURL: base + "auth/")
        let authClient = AuthClient(baseURL: base + "auth/", auth: auth)
        let core = CoreClient(baseURL: base + "core/", auth: auth)
        let dialect = try await authClient.dialect()
        print(
            "\nServer dialect: \(dialect.generation) (keys \(dialect.keyCasing), envelopes: \(dialect.envelopesRecords))"
        )

        section("Finding resources and nested relations")
        let admin = try await authClient.findUsers(filter: ["name": .equals(username)]).first
        guard let admin else { throw ValidationError("user \(username) not found") }
        print("user \(admin.name) \(admin.id.lowercased) in realm \(admin.realm?.name ?? "?") (included automatically)")
        let permissions = try await authClient.getPermissions()
        let meta = permissions.meta
        print(
            "permissions: \(permissions.count) on the first page; meta total \(meta.total ?? 0), limit \(meta.limit ?? 0), offset \(meta.offset ?? 0)"
        )

        section("Optional fields")
        if dialect.generation == .legacy {
            let robot = try await authClient.findRobots(filter: ["name": "system"], fields: ["secret"]).first
            print(
                "system robot \(robot?.id.lowercased ?? "-"), secret requested: \(robot?.secret != nil) (value \(robot?.secret?.description ?? "-"))"
            )
        } else {
            let client = try await authClient.findClients(filter: ["name": "system"], fields: ["secret"]).first
            print(
                "system client \(client?.id.lowercased ?? "-"), secret requested: \(client?.secret != nil) (value \(client?.secret?.description ?? "-"))"
            )
        }

        section("Quickstart: create a node, hide it, delete it")
        let name = "demo-node-\(UUID().uuidString.prefix(8).lowercased())"
        let node = try await core.createNode(CreateNode(name: name, realmId: AnyResourceID(admin.realmId)))
        print("created \(node.name) \(node.id.lowercased), hidden: \(node.hidden.map(String.init) ?? "-")")
        let found = try await core.findNodes(filter: ["name": .startsWith("demo-node-")], sort: Sort(by: "createdAt"))
        print("findNodes(name starts with demo-node-): \(found.map(\.name))")
        let hidden = try await core.updateNode(node, UpdateNode(hidden: .set(true)))
        print("updated: hidden \(hidden.hidden.map(String.init) ?? "-")")
        try await core.deleteNode(node)
        print("deleted; getNode now returns \(try await core.getNode(node).map { "\($0.name)" } ?? "nil")")

        section("Handling errors")
        let first = try await core.createNode(CreateNode(name: name, realmId: AnyResourceID(admin.realmId)))
        do {
            _ = try await core.createNode(CreateNode(name: name, realmId: AnyResourceID(admin.realmId)))
            print("a second node named \(name) was accepted")
        } catch let error as HubAPIError {
            print("HubAPIError: \(error)")
        }
        try await core.deleteNode(first)
        do {
            _ = try await core.getNode("not-a-uuid")
        } catch let error as HubClientError {
            print("HubClientError (nothing was sent): \(error)")
        }
        print("\nDone.")
    }

    private func section(_ title: String) {
        print("\n== \(title)")
    }
}

// The SDK has no argument-parser dependency and will never add this conformance itself.
extension HubGeneration: @retroactive ExpressibleByArgument {}

extension UUID {
    /// The Hub writes ids in lower case.
    fileprivate var lowercased: String { uuidString.lowercased() }
}
