import Crypto
import FlameHub
import Foundation
import FlameHubTestSupport
import Testing

/// `flamehub events|keys|trust-anchors|consents` against the emulator: authup ≥ 1.0.0-beta.53
/// serves them (transitional and current); on a legacy Hub every command names the generation.
@Suite("flamehub events, keys, trust anchors and consents")
struct AuthInfrastructureCLITests {
    /// A PEM-armoured stand-in: the emulator checks the armour, not the X.509 content.
    static let certificate =
        "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2hhbmdlTWVQbGVhc2VUaGlzSXNBVGVzdA\n-----END CERTIFICATE-----"
    /// An id no record has.
    static let unknown = "0b9f8c2e-5d41-4a7e-9c3b-2e6f1a8d4c70"

    /// On legacy, `arguments` exits 70 naming the generation, and true is returned.
    func refusedOnLegacy(_ hub: CLIHub, _ arguments: [String]) async throws -> Bool {
        guard hub.legacy else { return false }
        let refused = try await hub.run(arguments)
        #expect(refused.status == 70 && refused.stderr.contains("does not exist on legacy"), "\(refused)")
        #expect(refused.stdout.isEmpty)
        return true
    }

    /// The header line of a table.
    func header(_ result: CLIResult) -> String { result.stdout.split(separator: "\n").first.map(String.init) ?? "" }

    @Test(arguments: CLITests.generations)
    func eventsListAsAnEmptyReadOnlyLog(generation: String) async throws {
        try await CLIHub.with(generation) { hub in
            guard try await !refusedOnLegacy(hub, ["events", "list"]) else { return }
            // The emulator records no events (authup writes them per log-in and change): the
            // table is its header, the JSON an empty page with authup's meta.
            let table = try await hub.ok(["events", "list", "--meta"])
            #expect(
                header(table).split(separator: " ").filter { !$0.isEmpty } == [
                    "ID", "SCOPE", "NAME", "ACTOR_NAME", "REF_TYPE", "REALM_ID", "CREATED_AT",
                ])
            #expect(table.stdout.contains("total: 0"), "\(table)")
            let json = try await hub.ok(["events", "list", "--json", "--limit", "5", "--offset", "5"]).object()
            #expect((json["data"] as? [Any])?.isEmpty == true)
            let meta = try #require(json["meta"] as? [String: Any])
            #expect(meta["total"] as? Int == 0 && meta["limit"] as? Int == 5 && meta["offset"] as? Int == 5)
            let all = try await hub.ok(["events", "list", "--all", "--filter", "scope=oauth2", "--json"]).object()
            #expect((all["data"] as? [Any])?.isEmpty == true)

            let missing = try await hub.run(["events", "get", Self.unknown])
            #expect(missing.status == 69 && missing.stderr.contains(Self.unknown), "\(missing)")
            // Read-only: there is no create, update or delete to call.
            for operation in ["create", "update", "delete"] {
                let refused = try await hub.run(["events", operation, Self.unknown])
                #expect(refused.status == 64, "events \(operation): \(refused)")
            }
            let badLimit = try await hub.run(["events", "list", "--limit", "0"])
            #expect(badLimit.status == 64 && badLimit.stderr.contains("--limit"), "\(badLimit)")
        }
    }

    @Test(arguments: CLITests.generations)
    func keysNeverPrintTheirPrivatePart(generation: String) async throws {
        try await CLIHub.with(generation) { hub in
            guard try await !refusedOnLegacy(hub, ["keys", "list"]) else { return }
            // The emulator's own signing key, as authup lists the key it made at start-up.
            let table = try await hub.ok(["keys", "list"])
            #expect(header(table).contains("SIGNATURE_ALGORITHM") && header(table).contains("PRIORITY"), "\(table)")
            let signing = try #require(table.stdout.split(separator: "\n").first { $0.contains("sig-default") })
            #expect(signing.contains("RS256") && signing.contains("active"), "\(table)")

            let created = try await hub.ok([
                "keys", "create", "--set", "use=sig", "--set", "signature_algorithm=ES256", "--json",
            ]).object()
            let id = try #require(created["id"] as? String)
            #expect(created["type"] as? String == "ec" && created["priority"] as? Int == 1)
            #expect(created.keys.contains("decryptionKey") == false)
            #expect((created["encryptionKey"] as? String)?.hasPrefix("-----BEGIN PUBLIC KEY-----") == true)

            let passive = try await hub.ok(["keys", "update", id, "--set", "status=passive", "--json"]).object()
            #expect(passive["status"] as? String == "passive")
            let shown = try await hub.ok(["keys", "get", id])
            #expect(shown.stdout.contains("passive") && !shown.stdout.contains("decryptionKey"), "\(shown)")
            let filtered = try await hub.ok(["keys", "list", "--filter", "status=passive", "--quiet"])
            #expect(filtered.stdout == id + "\n")

            // An imported private key goes to the Hub and nowhere else: not into the answer, the
            // table, the JSON or the trace log.
            let pem = P256.Signing.PrivateKey().pemRepresentation
            let secretLine = try #require(pem.split(separator: "\n").dropFirst().first.map(String.init))
            let body = try CLIRunner.temporaryDirectory().appendingPathComponent("key.json")
            let fields: [String: String] = ["use": "sig", "signatureAlgorithm": "ES256", "decryptionKey": pem]
            try JSONSerialization.data(withJSONObject: fields).write(to: body)
            let imported = try await hub.run(["keys", "create", "--json-body", body.path, "--json", "-vv"])
            #expect(imported.status == 0, "\(imported)")
            let importedID = try #require(try imported.object()["id"] as? String)
            let listed = try await hub.ok(["keys", "list", "--json"])
            for output in [imported, listed, try await hub.ok(["keys", "get", importedID])] {
                #expect(!output.stdout.contains(secretLine) && !output.stdout.contains("PRIVATE KEY"), "\(output)")
                #expect(!output.stderr.contains(secretLine), "\(output)")
            }
            #expect(try await hub.ok(["keys", "get", importedID, "--json"]).object()["type"] as? String == "ec")

            // Bad arguments: a field keys do not have, a use authup does not know, a field that
            // cannot change.
            let typo = try await hub.run(["keys", "create", "--set", "usage=sig"])
            #expect(typo.status == 65 && typo.stderr.contains("usage"), "\(typo)")
            let badUse = try await hub.run(["keys", "create", "--set", "use=sign"])
            #expect(badUse.status == 65 && badUse.stderr.contains("the Hub answered 400"), "\(badUse)")
            let fixed = try await hub.run(["keys", "update", id, "--set", "use=enc"])
            #expect(fixed.status == 65 && fixed.stderr.contains("'use'"), "\(fixed)")

            for key in [id, importedID] {
                let deleted = try await hub.ok(["keys", "delete", key, "--json"]).object()
                #expect(deleted["deleted"] as? Bool == true)
            }
            let gone = try await hub.run(["keys", "get", id])
            #expect(gone.status == 69, "\(gone)")
        }
    }

    @Test(arguments: CLITests.generations)
    func trustAnchorsCreateUpdateDelete(generation: String) async throws {
        try await CLIHub.with(generation) { hub in
            guard try await !refusedOnLegacy(hub, ["trust-anchors", "list"]) else { return }
            let body = try CLIRunner.temporaryDirectory().appendingPathComponent("anchor.json")
            try JSONSerialization.data(withJSONObject: ["name": "Corp-CA", "certificate": Self.certificate])
                .write(to: body)
            let created = try await hub.ok(["trust-anchors", "create", "--json-body", body.path, "--json"]).object()
            let id = try #require(created["id"] as? String)
            // authup trims and lower-cases the name; the realm defaults to the caller's.
            #expect(created["name"] as? String == "corp-ca" && created["enabled"] as? Bool == true)
            #expect(created["realmId"] is String)

            let table = try await hub.ok(["trust-anchors", "list"])
            #expect(
                header(table).split(separator: " ").filter { !$0.isEmpty } == [
                    "ID", "NAME", "ENABLED", "REALM_ID", "CREATED_AT",
                ])
            #expect(table.stdout.contains("corp-ca"), "\(table)")
            let disabled = try await hub.ok(["trust-anchors", "update", id, "--set", "enabled=false", "--json"])
            #expect(try disabled.object()["enabled"] as? Bool == false)
            let realm = try #require(created["realmId"] as? String)
            let inRealm = try await hub.ok([
                "trust-anchors", "list", "--filter", "realmId=\(realm)", "--filter", "enabled=false", "--quiet",
            ])
            #expect(inRealm.stdout == id + "\n")
            let shown = try await hub.ok(["trust-anchors", "get", id])
            #expect(shown.stdout.contains("BEGIN CERTIFICATE"), "\(shown)")

            // Bad arguments: no certificate armour, a duplicate name, a certificate change.
            let notCA = try await hub.run([
                "trust-anchors", "create", "--set", "name=other", "--set",
                "certificate=\(String(repeating: "x", count: 80))",
            ])
            #expect(notCA.status == 65 && notCA.stderr.contains("CA certificate"), "\(notCA)")
            let duplicate = try await hub.run(["trust-anchors", "create", "--json-body", body.path])
            #expect(duplicate.status == 70 && duplicate.stderr.contains("409"), "\(duplicate)")
            let missing = try await hub.run(["trust-anchors", "create", "--set", "name=no-certificate"])
            #expect(missing.status == 65 && missing.stderr.contains("'certificate' is missing"), "\(missing)")
            let frozen = try await hub.run(["trust-anchors", "update", id, "--set", "certificate=x"])
            #expect(frozen.status == 65 && frozen.stderr.contains("'certificate'"), "\(frozen)")

            #expect(try await hub.ok(["trust-anchors", "delete", id, "--quiet"]).stdout == id + "\n")
            let empty = try await hub.ok(["trust-anchors", "list", "--json"]).object()
            #expect((empty["data"] as? [Any])?.isEmpty == true)
        }
    }

    @Test(arguments: CLITests.generations)
    func consentsListGetDelete(generation: String) async throws {
        try await CLIHub.with(generation) { hub in
            guard try await !refusedOnLegacy(hub, ["consents", "list"]) else { return }
            // Consents come from the authorization-code flow, which the emulator does not run:
            // a fresh Hub has none.
            let table = try await hub.ok(["consents", "list", "--meta"])
            #expect(
                header(table).split(separator: " ").filter { !$0.isEmpty } == [
                    "ID", "SCOPE", "SUB_KIND", "SUB", "CLIENT_ID", "REALM_ID", "CREATED_AT",
                ])
            #expect(table.stdout.contains("total: 0"), "\(table)")
            let missing = try await hub.run(["consents", "get", Self.unknown])
            #expect(missing.status == 69 && missing.stdout.isEmpty, "\(missing)")
            let notThere = try await hub.run(["consents", "delete", Self.unknown])
            #expect(notThere.status == 69 && notThere.stderr.contains("404"), "\(notThere)")
            let malformed = try await hub.run(["consents", "delete", "not-a-uuid"])
            #expect(malformed.status == 65, "\(malformed)")
            // Consents are granted by their subject, not made: no create or update.
            let create = try await hub.run(["consents", "create", "--set", "scope=openid"])
            #expect(create.status == 64, "\(create)")
        }
    }

    /// A server that did answer a key's private part (authup never does: its read projection
    /// leaves it out and the service nulls it): nginx serves such a list below `a/` and such a
    /// record below `b/`, and no output mode prints it.
    @Test(.enabled(if: TestTools.shouldRun("nginx")))
    func aPrivateKeyInAnAnswerIsNeverPrinted() async throws {
        let id = "6e1c8d6f-8b7c-4a6f-8b62-4a2e3d5c7b81"
        let secret = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg-not-a-real-key"
        let record = """
            {"id":"\(id)","name":"sig-leaky","type":"ec","use":"sig","signatureAlgorithm":"ES256",\
            "priority":3,"status":"active","certificate":null,\
            "decryptionKey":"-----BEGIN PRIVATE KEY-----\\n\(secret)\\n-----END PRIVATE KEY-----",\
            "encryptionKey":"-----BEGIN PUBLIC KEY-----","realmId":null,\
            "createdAt":"2026-05-12T09:44:08.284Z","updatedAt":"2026-05-12T09:44:08.284Z"}
            """
        try await NginxServer.with { nginx in
            for directory in ["a/auth", "b/auth/keys"] {
                try FileManager.default.createDirectory(
                    atPath: "\(nginx.www)/\(directory)", withIntermediateDirectories: true)
            }
            try nginx.serve(
                Array(#"{"data":[\#(record)],"meta":{"total":1,"limit":50,"offset":0}}"#.utf8), as: "a/auth/keys")
            try nginx.serve(Array(#"{"data":\#(record)}"#.utf8), as: "b/auth/keys/\(id)")
            let runs = [
                ["a", "keys", "list"], ["a", "keys", "list", "--json"], ["a", "keys", "list", "--all", "--json"],
                ["b", "keys", "get", id], ["b", "keys", "get", id, "--json"],
            ]
            for run in runs {
                let result = try await CLIRunner.run(
                    Array(run.dropFirst()) + [
                        "--hub", "\(nginx.baseURL)/\(run[0])/", "--generation", "current", "--no-proxy", "--retries",
                        "0",
                    ],
                    environment: ["FLAME_HUB_TOKEN": "a-static-test-token"])
                #expect(result.status == 0, "\(run): \(result)")
                #expect(result.stdout.contains("sig-leaky"), "\(run): \(result)")
                #expect(!result.stdout.contains(secret) && !result.stdout.contains("PRIVATE KEY"), "\(run): \(result)")
                #expect(!result.stdout.contains("decryptionKey") && !result.stderr.contains(secret), "\(run)")
            }
        }
    }
}
