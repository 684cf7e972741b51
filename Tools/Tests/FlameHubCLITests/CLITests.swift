import Crypto
import FlameHub
import FlameHubEmulator
import FlameHubTestSupport
import Foundation
import Testing

/// An emulator of one generation and the `flamehub` command pointed at it as `admin`.
struct CLIHub {
    static let password = "pw-of-the-cli-tests-7f3a"

    let emulator: HubEmulator
    let legacy: Bool

    var url: String { emulator.baseURL.absoluteString }
    /// The admin's credentials, as a CI step would pass them.
    var adminEnvironment: [String: String] { ["FLAME_HUB_USERNAME": "admin", "FLAME_HUB_PASSWORD": Self.password] }

    /// `flamehub arguments… --hub URL --no-proxy --retries 0`, as admin unless `environment` says otherwise.
    func run(
        _ arguments: [String], environment: [String: String]? = nil, stdin: String? = nil, stderrTerminal: Bool = false
    ) async throws -> CLIResult {
        try await CLIRunner.run(
            arguments + ["--hub", url, "--no-proxy", "--retries", "0"], environment: environment ?? adminEnvironment,
            stdin: stdin, stderrTerminal: stderrTerminal)
    }

    /// Like ``run(_:environment:stdin:stderrTerminal:)``, failing the test unless the exit status is 0.
    func ok(_ arguments: [String], environment: [String: String]? = nil) async throws -> CLIResult {
        let result = try await run(arguments, environment: environment)
        try #require(result.status == 0, "flamehub \(arguments.joined(separator: " ")): \(result)")
        return result
    }

    /// A core client of the SDK as admin, to seed data quickly.
    var core: CoreClient {
        CoreClient(
            baseURL: emulator.coreURL.absoluteString,
            auth: PasswordAuth(username: "admin", password: Self.password, baseURL: emulator.authURL.absoluteString))
    }

    static func with(_ generation: String, _ body: (CLIHub) async throws -> Void) async throws {
        let emulator = try await HubEmulator.start(
            generation: HubGeneration(rawValue: generation) ?? .current,
            configuration: HubEmulator.Configuration(asyncEffectDelay: .milliseconds(20), adminPassword: password))
        do {
            try await body(CLIHub(emulator: emulator, legacy: generation == "legacy"))
        } catch {
            await emulator.stop()
            throw error
        }
        await emulator.stop()
    }
}

@Suite("flamehub against the emulator")
struct CLITests {
    static let generations = ["legacy", "transitional", "current"]

    @Test(arguments: generations)
    func tableJSONAndQuietOutput(generation: String) async throws {
        try await CLIHub.with(generation) { hub in
            let created = try await hub.ok(["nodes", "create", "--set", "name=table-node", "--json"]).object()
            let id = try #require(created["id"] as? String)

            let table = try await hub.ok(["nodes", "list", "--filter", "name=table-node", "--meta"])
            let lines = table.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("ID") == true)
            #expect(lines.first?.contains("NAME") == true && lines.first?.contains("CREATED_AT") == true)
            #expect(lines.contains { $0.hasPrefix(id) && $0.contains("table-node") })
            #expect(lines.last?.hasPrefix("total: 1") == true)
            // Columns are aligned: the row's name starts where the header's NAME does.
            let header = try #require(lines.first)
            let nameColumn = try #require(header.range(of: "NAME")).lowerBound.utf16Offset(in: header)
            #expect(String(lines[1].dropFirst(nameColumn)).hasPrefix("table-node"), "\(table)")

            let json = try await hub.ok(["nodes", "list", "--filter", "name=table-node", "--json"]).object()
            let data = try #require(json["data"] as? [[String: Any]])
            #expect(data.map { $0["id"] as? String } == [id])
            let meta = try #require(json["meta"] as? [String: Any])
            #expect(meta["total"] as? Int == 1)
            #expect(meta["limit"] as? Int == 50)
            #expect(data.first?["hidden"] as? Bool == false)
            #expect((data.first?["createdAt"] as? String)?.hasSuffix("Z") == true)

            let record = try await hub.ok(["nodes", "get", id, "--json"]).object()
            #expect(record["name"] as? String == "table-node")

            let quiet = try await hub.ok(["nodes", "list", "--filter", "name=table-node", "--quiet"])
            #expect(quiet.stdout == id + "\n")

            let shown = try await hub.ok(["nodes", "get", id])
            #expect(shown.stdout.hasPrefix("id  ") && shown.stdout.contains("table-node"))
        }
    }

    @Test(arguments: generations)
    func createUpdateDeleteANode(generation: String) async throws {
        try await CLIHub.with(generation) { hub in
            let created = try await hub.ok([
                "nodes", "create", "--set", "name=crud-node", "--set", "hidden=true", "--set", "external_name=outside",
                "--json",
            ]).object()
            let id = try #require(created["id"] as? String)
            #expect(created["hidden"] as? Bool == true)
            #expect(created["externalName"] as? String == "outside")

            let body = try CLIRunner.temporaryDirectory().appendingPathComponent("update.json")
            try Data(#"{"hidden": false}"#.utf8).write(to: body)
            let updated = try await hub.ok([
                "nodes", "update", id, "--json-body", body.path, "--set", "externalName=null", "--json",
            ]).object()
            #expect(updated["hidden"] as? Bool == false)
            #expect(updated["externalName"] == nil)
            #expect(updated["name"] as? String == "crud-node")

            let fromStdin = try await hub.run(
                ["nodes", "update", id, "--json-body", "-", "--json"], stdin: #"{"name": "renamed"}"#)
            #expect(fromStdin.status == 0, "\(fromStdin)")
            #expect(try fromStdin.object()["name"] as? String == "renamed")

            let deleted = try await hub.ok(["nodes", "delete", id, "--json"]).object()
            #expect(deleted["deleted"] as? Bool == true)
            let gone = try await hub.run(["nodes", "get", id])
            #expect(gone.status == 69, "\(gone)")
            #expect(gone.stderr.contains(id))
        }
    }

    @Test(arguments: generations)
    func exitCodes(generation: String) async throws {
        try await CLIHub.with(generation) { hub in
            let usage = try await hub.run(["nodes", "list", "--limit", "500"])
            #expect(usage.status == 64, "\(usage)")
            #expect(try await hub.run(["nodes", "frobnicate"]).status == 64)

            let missing = try await hub.run(["nodes", "get", UUID().uuidString])
            #expect(missing.status == 69, "\(missing)")
            #expect(missing.stdout.isEmpty)

            let malformed = try await hub.run(["nodes", "get", "not-a-uuid"])
            #expect(malformed.status == 65, "\(malformed)")
            let typo = try await hub.run(["nodes", "create", "--set", "nmae=x"])
            #expect(typo.status == 65, "\(typo)")
            #expect(typo.stderr.contains("nmae") && typo.stderr.split(separator: "\n").count == 1)
            let wrongType = try await hub.run(["nodes", "create", "--set", "name=x", "--set", "hidden=maybe"])
            #expect(wrongType.status == 65 && wrongType.stderr.contains("hidden"), "\(wrongType)")
            let rejected = try await hub.run([
                "nodes", "create", "--set", "name=x", "--set", "realmId=\(UUID().uuidString)",
            ])
            #expect(rejected.status == 65 || rejected.status == 69, "\(rejected)")
            #expect(rejected.stderr.contains("the Hub answered"))

            let wrongPassword = try await hub.run(
                ["nodes", "list"], environment: ["FLAME_HUB_USERNAME": "admin", "FLAME_HUB_PASSWORD": "wrong"])
            #expect(wrongPassword.status == 67, "\(wrongPassword)")
            #expect(!wrongPassword.stderr.contains("wrong"))
            let anonymous = try await hub.run(["nodes", "list"], environment: [:])
            #expect(anonymous.status == 67, "\(anonymous)")
            #expect(anonymous.stderr.contains("FLAME_HUB_USERNAME"))

            // The port stays bound (not listening) while the CLI runs, so no other test's server takes it.
            let closed = try await TestNetwork.withRefusingPort { port in
                try await CLIRunner.run(
                    ["nodes", "list", "--hub", "http://127.0.0.1:\(port)/", "--retries", "0", "--no-proxy"],
                    environment: hub.adminEnvironment)
            }
            #expect(closed.status == 75, "\(closed)")
            #expect(closed.stderr.hasPrefix("flamehub: network error"))

            if !hub.legacy {
                let unsupported = try await hub.run(["robots", "list"])
                #expect(unsupported.status == 70 && unsupported.stderr.contains("robots"), "\(unsupported)")
            }
        }
    }

    @Test(arguments: generations)
    func credentialsFromEnvironmentAndFiles(generation: String) async throws {
        try await CLIHub.with(generation) { hub in
            let directory = try CLIRunner.temporaryDirectory()
            let passwordFile = directory.appendingPathComponent("password")
            try Data((CLIHub.password + "\n").utf8).write(to: passwordFile)

            let fromFile = try await hub.run(
                ["users", "me", "--username", "admin", "--password-file", passwordFile.path, "--json"], environment: [:]
            )
            #expect(fromFile.status == 0, "\(fromFile)")
            #expect(try fromFile.object()["name"] as? String == "admin")

            // The configuration file names the user and the password file; the flag --config is the weakest source.
            let config = directory.appendingPathComponent("config.json")
            try Data(#"{"hub": "\#(hub.url)", "username": "admin", "passwordFile": "\#(passwordFile.path)"}"#.utf8)
                .write(to: config)
            let configured = try await CLIRunner.run(
                ["users", "me", "--config", config.path, "--quiet", "--no-proxy"], environment: [:])
            #expect(configured.status == 0, "\(configured)")
            // The environment beats the file: a wrong password there fails.
            let overridden = try await CLIRunner.run(
                ["users", "me", "--config", config.path, "--no-proxy"],
                environment: ["FLAME_HUB_USERNAME": "admin", "FLAME_HUB_PASSWORD": "not-it"])
            #expect(overridden.status == 67, "\(overridden)")
            // The default location is $XDG_CONFIG_HOME/flamehub/config.json.
            let home = try CLIRunner.temporaryDirectory()
            try FileManager.default.createDirectory(
                at: home.appendingPathComponent("flamehub"), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: config, to: home.appendingPathComponent("flamehub/config.json"))
            let byDefault = try await CLIRunner.run(
                ["users", "me", "--quiet", "--no-proxy"], environment: [:], home: home)
            #expect(byDefault.status == 0, "\(byDefault)")

            // The machine identity seeded by the emulator: the system robot (legacy) or client (current).
            let secretFile = directory.appendingPathComponent("secret")
            try Data("start123".utf8).write(to: secretFile)
            let machine = hub.legacy ? ["FLAME_HUB_ROBOT_ID": "system"] : ["FLAME_HUB_CLIENT_ID": "system"]
            let identity = try await hub.run(
                ["nodes", "list", "--secret-file", secretFile.path, "--quiet"], environment: machine)
            #expect(identity.status == 0, "\(identity)")
            let secretVariable = hub.legacy ? "FLAME_HUB_ROBOT_SECRET" : "FLAME_HUB_CLIENT_SECRET"
            let fromEnvironment = try await hub.run(
                ["nodes", "list", "--quiet"], environment: machine.merging([secretVariable: "start123"]) { $1 })
            #expect(fromEnvironment.status == 0, "\(fromEnvironment)")

            // A bearer token obtained elsewhere, from the environment or a file.
            let token = try await PasswordAuth(
                username: "admin", password: CLIHub.password, baseURL: hub.emulator.authURL.absoluteString
            ).accessToken(using: CurlTransport.shared)
            let tokenFile = directory.appendingPathComponent("token")
            try Data(token.utf8).write(to: tokenFile)
            let bearer = try await hub.run(["users", "me", "--quiet"], environment: ["FLAME_HUB_TOKEN": token])
            #expect(bearer.status == 0, "\(bearer)")
            let bearerFile = try await hub.run(
                ["users", "me", "--quiet", "--token-file", tokenFile.path], environment: [:])
            #expect(bearerFile.status == 0 && bearerFile.stdout == bearer.stdout, "\(bearerFile)")
        }
    }

    @Test(arguments: generations)
    func allWalksEveryPage(generation: String) async throws {
        try await CLIHub.with(generation) { hub in
            let core = hub.core
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<57 {
                    group.addTask { _ = try await core.nodes.create(CreateNode(name: "paged-\(index)")) }
                }
                try await group.waitForAll()
            }
            let total = try #require(try await core.nodes.find().meta.total)
            #expect(total >= 57)

            let quiet = try await hub.ok(["nodes", "list", "--all", "--quiet", "--sort", "-createdAt"])
            let ids = quiet.stdout.split(separator: "\n")
            #expect(ids.count == total)
            #expect(Set(ids).count == total)

            let json = try await hub.ok(["nodes", "list", "--all", "--json"]).object()
            #expect((json["data"] as? [Any])?.count == total)
            #expect((json["meta"] as? [String: Any])?["total"] as? Int == total)

            let table = try await hub.ok(["nodes", "list", "--all", "--meta"])
            #expect(table.stdout.split(separator: "\n").count == total + 2)  // header and totals
            let firstPage = try await hub.ok(["nodes", "list", "--quiet"])
            #expect(firstPage.stdout.split(separator: "\n").count == 50)
        }
    }

    @Test(arguments: generations)
    func uploadAndDownloadRoundTrip(generation: String) async throws {
        try await CLIHub.with(generation) { hub in
            let directory = try CLIRunner.temporaryDirectory()
            let tree = directory.appendingPathComponent("results")
            try FileManager.default.createDirectory(
                at: tree.appendingPathComponent("nested"), withIntermediateDirectories: true)
            // Not `UInt8.random`: 3 Mi system calls held a thread of the concurrency pool for seconds.
            let big = Data(patternBytes(count: 3 << 20, seed: 0x5eed_c11))
            try big.write(to: directory.appendingPathComponent("model.bin"))
            try Data("a,b\n1,2\n".utf8).write(to: tree.appendingPathComponent("table.csv"))
            try Data("nested\n".utf8).write(to: tree.appendingPathComponent("nested/readme.txt"))

            let bucket = try await hub.ok(["buckets", "create", "--set", "name=cli-bucket", "--json"]).object()
            let bucketID = try #require(bucket["id"] as? String)
            let uploaded = try await hub.ok([
                "buckets", "upload", "cli-bucket", tree.path, directory.appendingPathComponent("model.bin").path,
                "--json",
            ]).object()
            let files = try #require(uploaded["data"] as? [[String: Any]])
            let names = files.compactMap { ($0["path"] as? String) ?? ($0["name"] as? String) }
            #expect(files.count == 3, "\(uploaded)")
            #expect(names.contains { $0.hasSuffix("nested/readme.txt") }, "\(names)")

            let model = try #require(
                files.first { (($0["path"] as? String) ?? ($0["name"] as? String ?? "")).hasSuffix("model.bin") })
            let modelID = try #require(model["id"] as? String)
            let copy = directory.appendingPathComponent("copy.bin")
            _ = try await hub.ok(["bucket-files", "download", modelID, "-o", copy.path])
            #expect(SHA256.hash(data: try Data(contentsOf: copy)) == SHA256.hash(data: big))

            let out = directory.appendingPathComponent("out")
            let extracted = try await hub.ok(["buckets", "download", bucketID, "-o", out.path, "--json"]).object()
            #expect((extracted["files"] as? [String])?.count == 3, "\(extracted)")
            let downloadedModel = try #require(
                FileManager.default.subpaths(atPath: out.path)?.first { $0.hasSuffix("model.bin") })
            #expect(
                SHA256.hash(data: try Data(contentsOf: out.appendingPathComponent(downloadedModel)))
                    == SHA256.hash(data: big))
            let downloadedReadme = try #require(
                FileManager.default.subpaths(atPath: out.path)?.first { $0.hasSuffix("nested/readme.txt") })
            #expect(try String(contentsOf: out.appendingPathComponent(downloadedReadme), encoding: .utf8) == "nested\n")
        }
    }

    @Test func progressOnlyOnATerminal() async throws {
        try await CLIHub.with("current") { hub in
            let directory = try CLIRunner.temporaryDirectory()
            let file = directory.appendingPathComponent("payload.bin")
            try Data(repeating: 7, count: 1 << 20).write(to: file)
            _ = try await hub.ok(["buckets", "create", "--set", "name=progress"])

            let piped = try await hub.run(["buckets", "upload", "progress", file.path, "--quiet"])
            #expect(piped.status == 0, "\(piped)")
            #expect(piped.stderr.isEmpty, "\(piped)")

            let terminal = try await hub.run(
                ["buckets", "upload", "progress", file.path, "--prefix", "again", "--quiet"], stderrTerminal: true)
            #expect(terminal.status == 0, "\(terminal)")
            #expect(terminal.stderr.contains("upload ["), "\(terminal)")
            #expect(terminal.stderr.contains("100%") && terminal.stderr.contains("1.0 MiB"), "\(terminal)")
            #expect(terminal.stdout.split(separator: "\n").count == 1)  // the id only: the bar is on stderr
        }
    }

    @Test(arguments: generations)
    func noSecretInTraceLogs(generation: String) async throws {
        try await CLIHub.with(generation) { hub in
            let result = try await hub.run(["nodes", "list", "-vv", "--quiet"])
            #expect(result.status == 0, "\(result)")
            #expect(result.stderr.contains("GET"), "trace logs are written: \(result)")
            #expect(result.stderr.lowercased().contains("authorization"), "\(result)")
            #expect(!result.stderr.contains(CLIHub.password))
            #expect(!result.stderr.contains("eyJ"), "no token (a JWT starts with eyJ) in \(result.stderr)")
        }
    }

    /// Every resource command of `flamehub --help` lists in every generation: 0 with a JSON
    /// list, or 70 naming the generation that lacks the resource.
    @Test(arguments: generations)
    func everyResourceLists(generation: String) async throws {
        let help = try await CLIRunner.run(["--help"])
        let commands =
            help.stdout.components(separatedBy: "SUBCOMMANDS:").last?.split(separator: "\n")
            .compactMap { line -> String? in
                // Command lines are indented by two spaces; wrapped help text by more.
                guard line.hasPrefix("  "), !line.hasPrefix("   "), let first = line.split(separator: " ").first,
                    first.allSatisfy({ $0.isLowercase || $0 == "-" }), !["help", "token", "messages"].contains(first)
                else { return nil }
                return String(first)
            } ?? []
        #expect(commands.count >= 30 && commands.contains("analysis-bucket-files"), "\(help)")
        try await CLIHub.with(generation) { hub in
            try await withThrowingTaskGroup(of: (String, CLIResult).self) { group in
                for command in commands {
                    group.addTask { (command, try await hub.run([command, "list", "--json", "--limit", "3"])) }
                }
                for try await (command, result) in group {
                    if result.status == 0 {
                        #expect(try result.object()["data"] is [Any], "\(command): \(result)")
                    } else if hub.legacy && ["client-permissions", "client-roles"].contains(command) {
                        // The legacy emulator does not serve these (authup beta.26 does): a 404.
                        #expect(result.status == 69, "\(command): \(result)")
                    } else if ["permission-policies", "identity-provider-accounts", "identity-provider-role-mappings"]
                        .contains(command)
                    {
                        // authup serves these where the generation has them; the emulator does
                        // not yet (a known gap): a 404, or the SDK's refusal where the generation lacks them.
                        #expect(
                            result.status == 69
                                || (result.status == 70 && result.stderr.contains("does not exist on \(generation)")),
                            "\(command): \(result)")
                    } else {
                        #expect(
                            result.status == 70 && result.stderr.contains("does not exist on \(generation)"),
                            "\(command): \(result)")
                    }
                }
            }
        }
    }

    /// `flamehub token …`: the token to inspect comes from standard input, never the command line.
    @Test(arguments: generations)
    func tokenCommands(generation: String) async throws {
        try await CLIHub.with(generation) { hub in
            let token = try await PasswordAuth(
                username: "admin", password: CLIHub.password, baseURL: hub.emulator.authURL.absoluteString
            ).accessToken(using: CurlTransport())
            let active = try await hub.run(["token", "introspect", "--json"], stdin: token + "\n")
            #expect(active.status == 0, "\(active)")
            #expect(try active.object()["active"] as? Bool == true)
            #expect(!active.stderr.contains(token))
            let revoked = try await hub.run(["token", "revoke", "--json"], stdin: token)
            #expect(revoked.status == 0, "\(revoked)")
            let dead = try await hub.run(["token", "introspect", "--json"], stdin: token)
            #expect(try dead.object()["active"] as? Bool == false, "\(dead)")
            let user = try await hub.ok(["token", "userinfo", "--json"]).object()
            #expect(user["name"] as? String == "admin")
            let keys = try await hub.ok(["token", "jwks", "--json"]).object()
            #expect((keys["keys"] as? [Any])?.isEmpty == false)
        }
    }

    @Test func completionScripts() async throws {
        for shell in ["bash", "zsh", "fish"] {
            let result = try await CLIRunner.run(["--generate-completion-script", shell])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("bucket-files") && result.stdout.contains("analyses"), "\(shell)")
        }
    }
}
