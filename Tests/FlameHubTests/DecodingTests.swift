import FlameHub
import FlameHubTesting
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

@Suite("Decoding both generations' payloads")
struct DecodingTests {
    @Test func legacyBareRecordsAndSnakeCase() async throws {
        let mock = MockTransport()
        mock.enqueue(.json(200, Fixture.list([Fixture.realmLegacy()], total: 1)), .json(200, Fixture.realmLegacy()))
        let client = Fixture.authClient(mock, dialect: .legacy)
        let realms = try await client.realms.list()
        #expect(realms.count == 1)
        #expect(realms.meta == ListMeta(total: 1, limit: 50, offset: 0))
        let realm = try #require(realms.first)
        #expect(realm.name == "master")
        #expect(realm.builtIn == true)
        #expect(realm.displayName == nil)
        #expect(abs(realm.createdAt.timeIntervalSince1970 - 1_747_043_048.284) < 0.000_5)
        #expect(realm.updatedAt.timeIntervalSince1970 == 1_747_043_048)
        let single = try await client.realms.get(Fixture.realmID)
        #expect(single == realm.with(updatedAt: realm.updatedAt))
    }

    @Test func currentEnvelopesAndCamelCase() async throws {
        let mock = MockTransport()
        mock.enqueue(
            .json(200, Fixture.list([Fixture.realmCurrent()], schema: true)),
            .json(200, Fixture.enveloped(Fixture.realmCurrent())))
        let client = Fixture.authClient(mock, dialect: .current)
        let realms = try await client.realms.list()
        let single = try #require(try await client.realms.get(Fixture.realmID))
        #expect(realms.first == single)
        #expect(single.createdAt == single.updatedAt)
    }

    @Test func decodingIgnoresTheDialect() async throws {
        // A legacy-configured client still reads current payloads and vice versa.
        let mock = MockTransport()
        mock.enqueue(.json(200, Fixture.enveloped(Fixture.realmCurrent())), .json(200, Fixture.realmLegacy()))
        let legacyClient = Fixture.authClient(mock, dialect: .legacy)
        let currentClient = Fixture.authClient(mock, dialect: .current)
        let a = try await legacyClient.realms.get(Fixture.realmID)
        let b = try await currentClient.realms.get(Fixture.realmID)
        #expect(a?.id == b?.id)
        #expect(a?.builtIn == true && b?.builtIn == true)
    }

    @Test func nestedRelationsDecode() async throws {
        let user = """
            {"id":"\(Fixture.userID)","name":"admin","name_locked":true,"first_name":null,"last_name":null,\
            "display_name":"admin","active":true,"avatar":null,"cover":null,"realm_id":"\(Fixture.realmID)",\
            "realm":\(Fixture.realmLegacy()),"created_at":"2025-05-12T09:44:08.284Z","updated_at":"2025-05-12T09:44:08.284Z"}
            """
        let mock = MockTransport()
        mock.enqueue(.json(200, Fixture.list([user])))
        let admin = try #require(
            try await Fixture.authClient(mock, dialect: .legacy).users.find(filter: ["name": "admin"]).first)
        #expect(admin.realm?.name == "master")
        #expect(admin.realmId == admin.realm?.id)
        #expect(mock.requests.first?.target.hasSuffix("&include=realm") == true)
    }

    @Test func unknownEnumValuesAreKept() async throws {
        let client = """
            {"data":{"id":"\(Fixture.userID)","name":"node-1","authMethod":"quantum","tokenBindingMethod":"tls",\
            "realmId":"\(Fixture.realmID)","someFutureKey":{"x":1},\
            "createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00.5+01:00"},"meta":{}}
            """
        let mock = MockTransport()
        mock.enqueue(.json(200, client))
        let decoded = try #require(try await Fixture.authClient(mock).clients.get(Fixture.userID))
        #expect(decoded.authMethod == ClientAuthMethod(rawValue: "quantum"))
        #expect(decoded.authMethod != .secret)
        #expect(decoded.tokenBindingMethod == .tls)
        #expect(decoded.updatedAt.timeIntervalSince(decoded.createdAt) == -3599.5)
    }

    @Test func decodingErrorsNameModelKeyPathAndRequest() async throws {
        let broken = Fixture.realmCurrent().replacing(
            #""createdAt":"2025-05-12T09:44:08.284Z""#, with: #""createdAt":"yesterday""#)
        let mock = MockTransport()
        mock.enqueue(.json(200, Fixture.list([Fixture.realmCurrent(), broken])))
        let error = await #expect(throws: HubDecodingError.self) {
            try await Fixture.authClient(mock).realms.find(filter: ["name": "x"])
        }
        let text = try #require(error).description
        #expect(text.contains("ResourceList<Realm>"))
        #expect(text.contains("data[1].createdAt"))
        #expect(text.contains("GET http://hub.test/auth/realms?page%5Blimit%5D=50"))
        #expect(!text.contains("yesterday"))
    }

    @Test func missingKeyIsNamed() async throws {
        let mock = MockTransport()
        mock.enqueue(.json(200, #"{"data":{"id":"\#(Fixture.realmID)"},"meta":{}}"#))
        let error = await #expect(throws: HubDecodingError.self) {
            try await Fixture.authClient(mock).realms.get(Fixture.realmID)
        }
        #expect(error?.keyPath == "data.name" || error?.keyPath == "name")
        #expect(error?.model == "RecordBody<Realm>" || error?.model.contains("Realm") == true)
    }

    @Test func secretsDoNotShowInDescriptions() async throws {
        let robot = """
            {"id":"\(Fixture.robotID)","name":"system","secret":"$2y$10$KUOKEwbbnaUDo41e7XBKGek4hggD6z6R95I69Cv3mTeBcx0hifBAC",\
            "realm_id":"\(Fixture.realmID)","created_at":"2025-05-12T09:44:08.284Z","updated_at":"2025-05-12T09:44:08.284Z"}
            """
        let mock = MockTransport()
        mock.enqueue(.json(200, Fixture.list([robot])))
        let decoded = try #require(
            try await Fixture.authClient(mock, dialect: .legacy).robots.find(
                filter: ["name": "system"], fields: ["secret"]
            ).first)
        #expect(decoded.secret?.revealed.hasPrefix("$2y$10$") == true)
        for text in ["\(decoded)", String(reflecting: decoded), "\(decoded.secret as Any)"] {
            #expect(!text.contains("KUOKEwbb"))
        }
        var dumped = ""
        dump(decoded, to: &dumped)
        #expect(!dumped.contains("KUOKEwbb"))
    }
}

extension Realm {
    func with(updatedAt: Date) -> Realm {
        var copy = self
        copy.updatedAt = updatedAt
        return copy
    }
}
