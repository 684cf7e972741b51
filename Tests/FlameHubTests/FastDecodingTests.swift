import FlameHub
import FoundationEssentials
import Testing

@Suite("FastJSONDecoder through HubJSON")
struct FastDecodingTests {
    func realm(_ fields: String) -> [UInt8] {
        Array(
            """
            {"id":"\(Fixture.realmID)","name":"master",\(fields)"created_at":"2025-05-12T09:44:08.284Z",\
            "updatedAt":"2025-05-12T09:44:08Z"}
            """.utf8)
    }

    @Test func escapesAndUnicode() throws {
        let decoded = try HubJSON.decodeRecord(
            Realm.self, from: realm(#""description":"line\nbreak \"quoted\" caf\u00e9 \ud83d\ude00 \\ \/ \t","#))
        #expect(decoded.description == "line\nbreak \"quoted\" café 😀 \\ / \t")
        let raw = try HubJSON.decodeRecord(Realm.self, from: realm(#""display_name":"Grüße 世界","#))
        #expect(raw.displayName == "Grüße 世界")
    }

    @Test func mixedCasingNullsAndUnknownKeys() throws {
        let decoded = try HubJSON.decodeRecord(
            Realm.self,
            from: realm(#""displayName":null,"built_in":false,"extra":{"deep":[1,2,{"x":[true,null]}]},"n":-1.5e3,"#))
        #expect(decoded.displayName == nil)
        #expect(decoded.builtIn == false)
        #expect(decoded.createdAt.timeIntervalSince1970 > decoded.updatedAt.timeIntervalSince1970)
    }

    @Test("keys in any order, absent keys and keys with escapes are found or missed correctly")
    func keyLookupOrderAndAbsence() throws {
        // Reverse order: every lookup wraps around from where the last one matched.
        let reversed = Array(
            """
            {"updated_at":"2025-05-12T09:44:08Z","createdAt":"2025-05-12T09:44:08.284Z","built_in":true,\
            "description":"d","display_name":"Master","name":"master","id":"\(Fixture.realmID)"}
            """.utf8)
        let decoded = try HubJSON.decodeRecord(Realm.self, from: reversed)
        #expect(decoded.name == "master" && decoded.displayName == "Master" && decoded.description == "d")
        #expect(decoded.builtIn == true && decoded.id.uuidString.lowercased() == Fixture.realmID)
        // Optional keys that are absent stay nil; an escaped key is not mistaken for another.
        let sparse = try HubJSON.decodeRecord(Realm.self, from: realm(#""na\u006de_x":"other","#))
        #expect(sparse.name == "master" && sparse.displayName == nil && sparse.builtIn == nil)
        // A required key that is absent is reported by name.
        let missing = Array(#"{"id":"\#(Fixture.realmID)","createdAt":"2025-05-12T09:44:08Z"}"#.utf8)
        let error = #expect(throws: HubDecodingError.self) { try HubJSON.decodeRecord(Realm.self, from: missing) }
        #expect(error?.keyPath == "name")
    }

    @Test("UUIDs: either case is read, a malformed one is an error naming the key")
    func uuids() throws {
        let upper = Fixture.realmID.uppercased()
        let decoded = try HubJSON.decodeRecord(
            Realm.self,
            from: Array(String(decoding: realm(""), as: UTF8.self).replacing(Fixture.realmID, with: upper).utf8))
        #expect(decoded.id.uuidString == upper)
        for bad in ["794f2375-f043-4789-bd0c-e5534e8deeag", "794f2375f043-4789-bd0c-e5534e8deeaa0", "794f2375-f043"] {
            let body = String(decoding: realm(""), as: UTF8.self).replacing(Fixture.realmID, with: bad)
            let error = #expect(throws: HubDecodingError.self) {
                try HubJSON.decodeRecord(Realm.self, from: Array(body.utf8))
            }
            #expect(error?.keyPath == "id")
        }
    }

    @Test func listsBareAndEnveloped() throws {
        let item = String(decoding: realm(""), as: UTF8.self)
        let enveloped = try HubJSON.decodeList(
            Realm.self, from: Array(#"{"data":[\#(item),\#(item)],"meta":{"total":7}}"#.utf8))
        #expect(enveloped.count == 2 && enveloped.meta.total == 7 && enveloped.meta.limit == nil)
        let bare = try HubJSON.decodeList(Realm.self, from: Array("[\(item)]".utf8))
        #expect(bare.count == 1 && bare.meta.total == 1)
        let empty = try HubJSON.decodeList(Realm.self, from: Array(#" { "data" : [ ] , "meta" : { } } "#.utf8))
        #expect(empty.isEmpty)
    }

    @Test(arguments: [
        "", "{", #"{"data":[}"#, #"{"id" "x"}"#, #"{"a":tru}"#, #"{"a":"unterminated}"#, "[1,]", "{} x",
    ])
    func malformedJSONIsADecodingError(text: String) {
        #expect(throws: HubDecodingError.self) { try HubJSON.decodeList(Realm.self, from: Array(text.utf8)) }
    }

    @Test func wrongTypesNameThePath() throws {
        let error = #expect(throws: HubDecodingError.self) {
            try HubJSON.decodeRecord(Realm.self, from: self.realm(#""built_in":"yes","#))
        }
        #expect(error?.keyPath == "builtIn")
        let badID = #expect(throws: HubDecodingError.self) {
            try HubJSON.decodeRecord(
                Realm.self,
                from: Array(
                    #"{"id":"nope","name":"x","createdAt":"2025-05-12T09:44:08Z","updatedAt":"2025-05-12T09:44:08Z"}"#
                        .utf8))
        }
        #expect(badID?.keyPath == "id")
    }

    @Test func agreesWithJSONDecoder() throws {
        let node = """
            {"id":"\(Fixture.userID)","name":"n","externalName":"e","publicKey":null,"hidden":true,"type":"aggregator",\
            "online":false,"registryId":null,"realmId":"\(Fixture.realmID)","registry":{"id":"\(Fixture.realmID)",\
            "name":"r","host":"h","accountName":null,"createdAt":"2025-05-12T09:44:08.100Z","updatedAt":"2025-05-12T09:44:08.100Z"},\
            "createdAt":"2025-05-12T09:44:08.100Z","updatedAt":"2025-05-12T09:44:08.100Z"}
            """
        let fast = try HubJSON.decodeRecord(Node.self, from: Array(node.utf8))
        let reference = JSONDecoder()
        reference.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            return try Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true))
        }
        var plain = try reference.decode(Node.self, from: Data(node.utf8))
        // Date parsers may round the last binary digit differently.
        #expect(abs(fast.createdAt.timeIntervalSince(plain.createdAt)) < 1e-6)
        plain.createdAt = fast.createdAt
        plain.updatedAt = fast.updatedAt
        plain.registry?.createdAt = fast.createdAt
        plain.registry?.updatedAt = fast.updatedAt
        #expect(fast == plain)
        #expect(fast.registry?.name == "r" && fast.type == .aggregator)
    }
}
