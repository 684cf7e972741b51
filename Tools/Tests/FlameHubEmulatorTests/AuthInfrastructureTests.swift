import FlameHub
import FlameHubEmulator
import Testing

/// The emulator's audit events, keys, trust anchors and consents (authup beta.53+: transitional
/// and current; legacy's beta.26 answers 404).
@Suite struct AuthInfrastructureTests {
    /// A PEM-armoured stand-in: the emulator checks the armour, not the X.509 content.
    static let certificate =
        "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2hhbmdlTWVQbGVhc2VUaGlzSXNBVGVzdA\n-----END CERTIFICATE-----"

    @Test(arguments: HubGeneration.allCases)
    func eventsAreAnEmptyReadOnlyLog(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let admin = try await hub.adminToken()
            let listed = try await hub.get("/auth/events", token: admin)
            switch generation {
            case .legacy:
                #expect(listed.status == 404)
            case .transitional, .current:
                #expect(listed.status == 200, "\(listed.text)")
                #expect(listed.rows.isEmpty && listed.json?["meta"]?["total"] == 0)
                #expect(try await hub.get("/auth/realms/master/events", token: admin).status == 200)
                #expect(
                    try await hub.get("/auth/events/0b9f8c2e-5d41-4a7e-9c3b-2e6f1a8d4c70", token: admin).status == 404)
                #expect(try await hub.post("/auth/events", ["scope": "oauth2"], token: admin).status == 404)
                #expect(try await hub.get("/auth/events").status == 401)
            }
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func keysListTheSigningKeyAndNeverTheirPrivatePart(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let admin = try await hub.adminToken()
            let listed = try await hub.get("/auth/keys", token: admin)
            guard generation != .legacy else {
                #expect(listed.status == 404)
                return
            }
            #expect(listed.status == 200, "\(listed.text)")
            let signing = try #require(listed.rows.first)
            #expect(signing["use"] == "sig" && signing["signatureAlgorithm"] == "RS256" && signing["type"] == "rsa")
            #expect(signing["status"] == "active" && signing["priority"] == 0)
            #expect(signing["decryptionKey"] == .null && listed.text.contains("PRIVATE KEY") == false)
            #expect(signing["encryptionKey"]?.stringValue?.hasPrefix("-----BEGIN PUBLIC KEY-----") == true)
            // authup's JWKS names a key by its row id.
            let jwks = try await hub.get("/auth/jwks")
            #expect(jwks.json?["keys"]?.arrayValue?.first?["kid"] == signing["id"])

            let created = try await hub.post(
                "/auth/keys", ["use": "sig", "signatureAlgorithm": "ES256"], token: admin)
            #expect(created.status == 201, "\(created.text)")
            let key = created.record(generation)
            #expect(key["type"] == "ec" && key["priority"] == 1 && key["decryptionKey"] == .null)
            #expect(key["name"]?.stringValue?.hasPrefix("sig-") == true && !created.text.contains("PRIVATE KEY"))
            let id = try #require(key["id"]?.stringValue)
            let updated = try await hub.post("/auth/keys/\(id)", ["status": "passive"], token: admin)
            #expect(updated.record(generation)["status"] == "passive", "\(updated.text)")
            let scoped = try await hub.get("/auth/realms/master/keys?filter[use]=sig", token: admin)
            #expect(scoped.rows.count == 2)
            let certified = try await hub.post(
                "/auth/keys", ["use": "sig", "certificate": .string(Self.certificate)], token: admin)
            #expect(certified.status == 400, "\(certified.text)")
            #expect(try await hub.send(.delete, "/auth/keys/\(id)", token: admin).status < 300)
            #expect(try await hub.get("/auth/keys/\(id)", token: admin).status == 404)
            #expect(try await hub.get("/auth/keys").status == 401)
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func trustAnchorsHoldCACertificates(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let admin = try await hub.adminToken()
            let created = try await hub.post(
                "/auth/trust-anchors", ["name": "Corp-CA", "certificate": .string(Self.certificate)], token: admin)
            guard generation != .legacy else {
                #expect(created.status == 404)
                return
            }
            #expect(created.status == 201, "\(created.text)")
            let anchor = created.record(generation)
            #expect(anchor["name"] == "corp-ca" && anchor["enabled"] == true && anchor["realmId"] != .null)
            let id = try #require(anchor["id"]?.stringValue)
            let notCA = String(repeating: "x", count: 80)
            let refused = try await hub.post(
                "/auth/trust-anchors", ["name": "other", "certificate": .string(notCA)], token: admin)
            #expect(refused.status == 400)
            let duplicate = try await hub.post(
                "/auth/trust-anchors", ["name": "corp-ca", "certificate": .string(Self.certificate)], token: admin)
            #expect(duplicate.status == 409)
            let updated = try await hub.post("/auth/trust-anchors/\(id)", ["enabled": false], token: admin)
            #expect(updated.record(generation)["enabled"] == false, "\(updated.text)")
            #expect(try await hub.get("/auth/realms/master/trust-anchors", token: admin).rows.count == 1)
            #expect(try await hub.send(.delete, "/auth/trust-anchors/\(id)", token: admin).status < 300)
            #expect(try await hub.get("/auth/trust-anchors", token: admin).rows.isEmpty)
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func consentsStartEmpty(generation: HubGeneration) async throws {
        try await withHub(generation) { hub in
            let admin = try await hub.adminToken()
            let listed = try await hub.get("/auth/consents", token: admin)
            switch generation {
            case .legacy:
                #expect(listed.status == 404)
            case .transitional, .current:
                #expect(listed.status == 200 && listed.rows.isEmpty, "\(listed.text)")
                #expect(try await hub.get("/auth/realms/master/consents", token: admin).status == 200)
                let missing = try await hub.send(
                    .delete, "/auth/consents/0b9f8c2e-5d41-4a7e-9c3b-2e6f1a8d4c70", token: admin)
                #expect(missing.status == 404)
                #expect(try await hub.get("/auth/consents").status == 401)
            }
        }
    }
}
