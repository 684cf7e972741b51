import FlameHub
import FlameHubEmulator
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

/// authup's audit events, keys, trust anchors and consents through `CurlTransport`: against the
/// emulator of each generation (authup ≥ 1.0.0-beta.53 serves them: transitional and current;
/// legacy gets the SDK's refusal before any request), and consents with records from a scripted
/// beta.63 answer, since the emulator runs no authorization-code flow that would grant one.
@Suite("authup events, keys, trust anchors and consents through curl")
struct AuthInfrastructureIntegrationTests {
    static let unknown = "0b9f8c2e-5d41-4a7e-9c3b-2e6f1a8d4c70"

    /// The emulator and an admin client, as the link tests make them (one copy of the helper).
    func withHub(_ generation: HubGeneration, _ body: (AuthClient) async throws -> Void) async throws {
        try await AuthLinkIntegrationTests().withHub(generation, body)
    }

    /// `call` fails with the SDK's clear refusal, naming the generation, and not with an API or
    /// decoding error.
    func expectRefused(
        _ generation: HubGeneration, _ call: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        let error = await #expect(throws: HubClientError.self, sourceLocation: sourceLocation) { try await call() }
        #expect(error?.code == .unsupportedByServer, sourceLocation: sourceLocation)
        #expect(error?.message.contains("does not exist on \(generation)") == true, sourceLocation: sourceLocation)
    }

    @Test(arguments: HubGeneration.allCases)
    func eventsRecordEntityChanges(generation: HubGeneration) async throws {
        try await withHub(generation) { client in
            switch generation {
            case .legacy:
                await expectRefused(generation) { _ = try await client.events.list() }
                await expectRefused(generation) { _ = try await client.events.get(Self.unknown) }
                await expectRefused(generation) { _ = try await client.inRealm("master").events.list() }
            case .transitional, .current:
                // A fresh Hub's log is empty: the emulator records authup's entity events only
                // (`EntityEventHandler`), not its log-in events.
                #expect(try await client.events.list().meta.total == 0)
                let role = try await client.roles.create(CreateRole(name: "auditors"))
                _ = try await client.roles.update(role.id, UpdateRole(description: "reads the log"))
                try await client.roles.delete(role.id)

                let listed = try await client.events.find(
                    filter: ["refId": .equals(role.id.uuidString.lowercased())],
                    sort: Sort(by: "createdAt", order: .descending))
                #expect(Set(listed.items.map(\.name)) == ["created", "updated", "deleted"])
                for event in listed.items {
                    #expect(event.scope == "entity" && event.refType == "role" && event.realmId == role.realmId)
                    #expect(event.actorType == "user" && event.actorName == "admin" && event.actorId != nil)
                    #expect(event.expiring == true && event.expiresAt != nil && event.createdAt != nil)
                }
                let update = try #require(listed.items.first { $0.name == "updated" })
                #expect(update.data?["diff"]?["description"]?["next"] == .string("reads the log"))
                #expect(try await client.events.get(update.id)?.requestMethod == "POST")

                let paged = try await client.events.find(
                    filter: ["scope": .equals("oauth2")], sort: Sort(by: "createdAt", order: .descending),
                    page: Page(limit: 5, offset: 10))
                #expect(paged.items.isEmpty && paged.meta.limit == 5 && paged.meta.offset == 10)
                var walked = 0
                for try await _ in client.events.findAll() { walked += 1 }
                #expect(walked == 3)
                #expect(try await client.events.get(Self.unknown) == nil)
            }
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func keysRotateWithoutShowingTheirPrivatePart(generation: HubGeneration) async throws {
        // A real P-256 private key (PKCS#8 PEM) made by openssl, as an operator would import one.
        let pem = try await TestCertificates.with { try String(contentsOfFile: $0.clientKey, encoding: .utf8) }
        try await withHub(generation) { client in
            let secretLine = try #require(pem.split(separator: "\n").dropFirst().first.map(String.init))
            switch generation {
            case .legacy:
                await expectRefused(generation) { _ = try await client.keys.list() }
                await expectRefused(generation) {
                    _ = try await client.keys.create(CreateKey(use: "sig", decryptionKey: SecretString(pem)))
                }
                await expectRefused(generation) { try await client.keys.delete(Self.unknown) }
            case .transitional, .current:
                let signing = try #require(try await client.keys.find(filter: ["name": .equals("sig-default")]).first)
                #expect(signing.use == "sig" && signing.signatureAlgorithm == "RS256" && signing.priority == 0)
                #expect(signing.decryptionKey == nil)
                // A new key outranks the realm's keys of its use (authup's rotation).
                let rotated = try await client.keys.create(CreateKey(use: "sig", signatureAlgorithm: "ES256"))
                #expect(rotated.type == "ec" && rotated.priority == 1 && rotated.status == "active")
                #expect(rotated.realmId == signing.realmId && rotated.decryptionKey == nil)

                let imported = try await client.keys.create(
                    CreateKey(
                        use: "sig", name: "Imported-Key", signatureAlgorithm: "ES256", decryptionKey: SecretString(pem))
                )
                #expect(imported.name == "imported-key" && imported.decryptionKey == nil)
                #expect(imported.encryptionKey?.hasPrefix("-----BEGIN PUBLIC KEY-----") == true)
                for text in [String(describing: imported), String(reflecting: imported)] {
                    #expect(!text.contains(secretLine) && !text.contains("PRIVATE KEY"))
                }
                // A key that cannot be imported: authup's 400, whose text does not echo the key.
                let broken = SecretString(String(pem.dropLast(40)))
                let error = await #expect(throws: HubAPIError.self) {
                    _ = try await client.keys.create(
                        CreateKey(use: "sig", signatureAlgorithm: "ES256", decryptionKey: broken))
                }
                #expect(error?.status == 400)
                #expect(error.map { !"\($0)".contains(secretLine) && !$0.message.contains(secretLine) } == true)

                let passive = try await client.keys.update(imported, UpdateKey(status: "passive"))
                #expect(passive.status == "passive" && passive.name == "imported-key")
                let inMaster = try await client.inRealm("master").keys.find(filter: ["use": .equals("sig")])
                #expect(Set(inMaster.map(\.id)) == [signing.id, rotated.id, imported.id])
                #expect(try await client.keys.get(imported)?.status == "passive")
                try await client.keys.delete(imported)
                try await client.inRealm("master").keys.delete(rotated)
                #expect(try await client.keys.get(imported) == nil)
                #expect(try await client.keys.list().items.map(\.id) == [signing.id])
            }
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func trustAnchorsCRUD(generation: HubGeneration) async throws {
        // A real CA certificate (openssl's, basicConstraints CA:TRUE), as authup wants one.
        let certificate = try await TestCertificates.with {
            try String(contentsOfFile: $0.caCertificate, encoding: .utf8)
        }
        try await withHub(generation) { client in
            let body = CreateTrustAnchor(name: "Corp-CA", certificate: certificate)
            switch generation {
            case .legacy:
                await expectRefused(generation) { _ = try await client.trustAnchors.create(body) }
                await expectRefused(generation) { _ = try await client.trustAnchors.list() }
                await expectRefused(generation) {
                    _ = try await client.trustAnchors.update(Self.unknown, UpdateTrustAnchor(enabled: false))
                }
            case .transitional, .current:
                let anchor = try await client.trustAnchors.create(body)
                #expect(anchor.name == "corp-ca" && anchor.enabled == true && anchor.realmId != nil)
                #expect(anchor.certificate == certificate)
                let duplicate = await #expect(throws: HubAPIError.self) {
                    _ = try await client.trustAnchors.create(body)
                }
                #expect(duplicate?.status == 409)
                let notCA = await #expect(throws: HubAPIError.self) {
                    _ = try await client.trustAnchors.create(
                        CreateTrustAnchor(name: "other", certificate: String(repeating: "x", count: 80)))
                }
                #expect(notCA?.status == 400)
                let disabled = try await client.trustAnchors.update(
                    anchor, UpdateTrustAnchor(name: "corp-root", enabled: false))
                #expect(disabled.name == "corp-root" && disabled.enabled == false)
                #expect(try await client.trustAnchors.get(anchor)?.enabled == false)
                let scoped = try await client.inRealm("master").trustAnchors.find(filter: ["enabled": false])
                #expect(scoped.map(\.id) == [anchor.id])
                try await client.trustAnchors.delete(anchor)
                #expect(try await client.trustAnchors.get(anchor) == nil)
                let gone = await #expect(throws: HubAPIError.self) { try await client.trustAnchors.delete(anchor) }
                #expect(gone?.status == 404)
            }
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func consentsOfAFreshHub(generation: HubGeneration) async throws {
        try await withHub(generation) { client in
            switch generation {
            case .legacy:
                await expectRefused(generation) { _ = try await client.consents.list() }
                await expectRefused(generation) { _ = try await client.consents.get(Self.unknown) }
                await expectRefused(generation) { try await client.consents.delete(Self.unknown) }
            case .transitional, .current:
                let listed = try await client.consents.list()
                #expect(listed.items.isEmpty && listed.meta.total == 0)
                #expect(try await client.inRealm("master").consents.list().items.isEmpty)
                #expect(try await client.consents.get(Self.unknown) == nil)
                let missing = await #expect(throws: HubAPIError.self) { try await client.consents.delete(Self.unknown) }
                #expect(missing?.status == 404)
            }
        }
    }

    /// Consents as authup beta.63 answers them (`controllers/entities/consent`): one row per
    /// granted scope, deleted to make the client ask again.
    @Test func consentsWithRecords() async throws {
        let id = "6e1c8d6f-8b7c-4a6f-8b62-4a2e3d5c7b81"
        let client = "4f0a7a52-3c1e-4d2b-9a6f-1b2c3d4e5f60"
        let user = "794f2375-f043-4789-bd0c-e5534e8deeaa"
        let record = """
            {"id":"\(id)","sub":"\(user)","subKind":"user","scope":"openid","expiresAt":null,\
            "clientId":"\(client)","realmId":"\(user)","userId":"\(user)",\
            "createdAt":"2026-05-12T09:44:08.284Z","updatedAt":"2026-05-12T09:44:08.284Z"}
            """
        try await ScriptedServer.with({ request in
            switch (request.method, request.target) {
            case ("GET", let target) where target.hasPrefix("/auth/consents?"):
                .respond(
                    status: 200, body: #"{"data":[\#(record)],"meta":{"total":1,"limit":50,"offset":0}}"#,
                    headers: ["Content-Type: application/json"])
            case ("GET", "/auth/consents/\(id)"), ("DELETE", "/auth/consents/\(id)"):
                .respond(status: 200, body: #"{"data":\#(record)}"#, headers: ["Content-Type: application/json"])
            default:
                .respond(
                    status: 404, body: #"{"statusCode":404,"code":"not_found","message":"Not found."}"#,
                    headers: ["Content-Type: application/json"])
            }
        }) { server in
            let auth = AuthClient(
                context: HubContext(
                    baseURL: server.baseURL + "/auth/", service: .auth, auth: StaticAuth("scripted-token"),
                    transport: CurlTransport(), dialect: .current))
            let consents = try await auth.consents.find(filter: ["clientId": .equals(client)])
            let consent = try #require(consents.first)
            #expect(consent.scope == "openid" && consent.subKind == "user" && consent.expiresAt == nil)
            #expect(consent.clientId.uuidString.lowercased() == client && consent.userId != nil)
            #expect(try await auth.consents.get(consent)?.sub == user)
            try await auth.consents.delete(consent)
            #expect(server.count("DELETE", "/auth/consents/\(id)") == 1)
            #expect(try await auth.consents.get(Self.unknown) == nil)
        }
    }
}
