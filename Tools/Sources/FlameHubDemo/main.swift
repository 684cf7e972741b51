// flamehub-demo: the user guide's walk-through — finding, nested relations, optional fields,
// meta, the node quickstart, errors, storage upload and streamed download, and the analysis flow
// (project → nodes → analysis → buckets appear → files → commands → logs) — run against an
// embedded Hub emulator (default) or a Hub you name with --hub. `swift run flamehub-demo --generation legacy` shows the old wire.
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
        try await storageRoundTrip(base: base, auth: auth)
        try await analysisFlow(
            core: core, storage: StorageClient(baseURL: base + "storage/", auth: auth), dialect: dialect)
        print("\nDone.")
    }

    /// The guide's storage part: a multipart upload, a streamed download, a bucket as a tar stream.
    private func storageRoundTrip(base: String, auth: PasswordAuth) async throws {
        section("Storage: upload, streamed download")
        let storage = StorageClient(baseURL: base + "storage/", auth: auth)
        let bucket = try await storage.createBucket(
            CreateBucket(name: "demo-\(UUID().uuidString.prefix(8).lowercased())"))
        let csv = "site,count\na,12\nb,30\n"
        let files = try await storage.upload(
            [
                .string(csv, name: "counts.csv", contentType: "text/csv"),
                .bytes(Array(repeating: 7, count: 1 << 16), name: "blob.bin"),
            ],
            to: bucket)
        print(
            "uploaded \(files.map { "\($0.name) (\($0.size.map(String.init) ?? "?") bytes)" }) to bucket \(bucket.name)"
        )
        guard let counts = files.first(where: { $0.name == "counts.csv" }) else {
            throw ValidationError("upload lost counts.csv")
        }
        var received: [UInt8] = []
        var chunks = 0
        for try await chunk in try await storage.streamBucketFile(counts) {
            received += chunk
            chunks += 1
        }
        print(
            "streamed counts.csv back in \(chunks) chunk(s): \(String(decoding: received, as: UTF8.self) == csv ? "identical" : "DIFFERENT")"
        )
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "flamehub-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let extracted = try await storage.extractBucket(bucket, into: directory.path)
        print("bucket as a tar stream, extracted: \(extracted.sorted())")
        for file in files { try await storage.deleteBucketFile(file) }
        try await storage.deleteBucket(bucket)
    }

    /// The analysis flow: project → nodes → analysis → buckets appear → files → commands → logs.
    private func analysisFlow(core: CoreClient, storage: StorageClient, dialect: HubDialect) async throws {
        section("The analysis flow")
        let suffix = UUID().uuidString.prefix(8).lowercased()
        guard let image = try await core.getMasterImages().first else {
            print("no master images on this Hub: skipped")
            return
        }
        let project = try await core.createProject(
            CreateProject(name: "demo-project-\(suffix)", masterImageId: AnyResourceID(image)))
        let node = try await core.createNode(CreateNode(name: "demo-site-\(suffix)"))
        let aggregator = try await core.createNode(CreateNode(name: "demo-aggregator-\(suffix)", type: .aggregator))
        for member in [node, aggregator] {
            let membership = try await core.createProjectNode(CreateProjectNode(project: project, node: member))
            _ = try await core.updateProjectNode(membership, UpdateProjectNode(approvalStatus: .set(.approved)))
        }
        print("project \(project.name) with nodes \(node.name) and \(aggregator.name), both approved")

        let analysis = try await core.createAnalysis(
            CreateAnalysis(project: project, name: "demo-analysis-\(suffix)", masterImageId: AnyResourceID(image)))
        for member in [node, aggregator] {
            let existing = try await core.findAnalysisNodes(
                filter: ["analysisId": .equals(analysis.id), "nodeId": .equals(member.id)]
            ).first
            let analysisNode: AnalysisNode
            if let existing {
                analysisNode = existing
            } else {
                analysisNode = try await core.createAnalysisNode(CreateAnalysisNode(analysis: analysis, node: member))
            }
            if analysisNode.approvalStatus != .approved {
                _ = try await core.updateAnalysisNode(analysisNode, UpdateAnalysisNode(approvalStatus: .set(.approved)))
            }
        }
        let code = try await eventually("the CODE bucket") {
            try await core.findAnalysisBuckets(filter: ["analysisId": .equals(analysis.id), "type": "CODE"]).first
        }
        let buckets = try await core.findAnalysisBuckets(filter: ["analysisId": .equals(analysis.id)])
        print(
            "analysis \(analysis.name ?? analysis.id.uuidString.lowercased()): the Hub made its buckets \(buckets.map(\.type.rawValue).sorted())"
        )

        guard let storageBucket = code.bucketId else { throw ValidationError("the CODE bucket has no storage bucket") }
        _ = try await storage.upload([.string("print('hello from FLAME')\n", name: "main.py")], to: storageBucket)
        let entrypoint = try await eventually("the analysis bucket file of main.py") {
            try await core.findAnalysisBucketFiles(filter: ["analysisId": .equals(analysis.id)]).first {
                $0.path == "main.py"
            }
        }
        _ = try await core.updateAnalysisBucketFile(entrypoint, UpdateAnalysisBucketFile(root: true))
        print("uploaded main.py to the CODE bucket and marked it as the entrypoint")

        _ = try await eventually("the configuration lock") {
            try await core.sendAnalysisCommand(analysis, .configurationLock)
        }
        let started = try await core.sendAnalysisCommand(analysis, .buildStart)
        print("commands: configurationLock, buildStart → build \(started.buildStatus?.rawValue ?? "-")")
        let built: ProcessStatus
        switch dialect.generation {
        case .legacy: built = .finished
        case .transitional, .current: built = .executed
        }
        try await eventually("the build") { try await core.getAnalysis(analysis)?.buildStatus == built }
        print("build \(built.rawValue)")

        _ = try await core.createAnalysisNodeLog(
            analysisId: analysis, nodeId: node, level: .info, message: "node started", status: "started")
        let logged = try await eventually("the node log line") {
            try await core.findAnalysisNodeLogs(analysisId: analysis, nodeId: node).first {
                $0.message == "node started"
            }
        }
        print("node log: [\(logged.level?.rawValue ?? "-")] \(logged.message ?? "")")
        try await core.deleteAnalysisNodeLogs(analysisId: analysis, nodeId: node)
        try await core.deleteAnalysis(analysis)
        try await core.deleteProject(project)
        for member in [node, aggregator] { try await core.deleteNode(member) }
        print("cleaned up the analysis, its project and nodes")
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
