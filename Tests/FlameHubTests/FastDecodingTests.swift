import FlameHub
import FlameHubTesting
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
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

    @Test("duplicate keys: the first occurrence wins, in either casing; later keys are still found")
    func duplicateKeys() throws {
        // Inside an array inside the record too, so that objects at several depths are parsed.
        let body = """
            {"name":"first","id":"\(Fixture.realmID)","name":"second","x":[{"a":1,"a":2}],"realm_id":"x",\
            "display_name":"snake","displayName":"camel","created_at":"2025-05-12T09:44:08Z",\
            "updatedAt":"2025-05-12T09:44:08Z","builtIn":true,"builtIn":"not a bool"}
            """
        let decoded = try HubJSON.decodeRecord(Realm.self, from: Array(body.utf8))
        #expect(decoded.name == "first" && decoded.id.uuidString.lowercased() == Fixture.realmID)
        // An exact spelling wins over another casing, whichever comes first.
        #expect(decoded.displayName == "camel" && decoded.builtIn == true)
        let escaped = try HubJSON.decodeRecord(
            Realm.self, from: Array(body.replacing(#""name":"first","#, with: #""n\u0061me":"escaped","#).utf8))
        #expect(escaped.name == "escaped" && escaped.builtIn == true)
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

@Suite("Decoding errors say what happened")
struct FastDecodingErrorTests {
    static let realm = Fixture.realmCurrent()

    func recordError(_ body: String) -> HubDecodingError? {
        #expect(throws: HubDecodingError.self) { try HubJSON.decodeRecord(Realm.self, from: Array(body.utf8)) }
    }

    func listError(_ body: String) -> HubDecodingError? {
        #expect(throws: HubDecodingError.self) { try HubJSON.decodeList(Realm.self, from: Array(body.utf8)) }
    }

    @Test("nesting past the limit is named as such, with the limit")
    func nestingTooDeep() throws {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        let error = listError(#"{"data":[],"meta":{"extra":\#(deep)}}"#)
        #expect(error?.reason.contains("deeper than the limit of 512") == true, "\(error as Any)")
        #expect(error?.reason.contains("not valid JSON") == false)
        // Up to the limit it decodes: the root object, meta and 510 arrays make 512.
        let fits = String(repeating: "[", count: 510) + String(repeating: "]", count: 510)
        #expect(try HubJSON.decodeList(Realm.self, from: Array(#"{"data":[],"meta":{"extra":\#(fits)}}"#.utf8)).isEmpty)
    }

    @Test("a record envelope without meta decodes; one with other keys says what it got")
    func envelopeWithoutMeta() async throws {
        let decoded = try HubJSON.decodeRecord(Realm.self, from: Array(#"{"data":\#(Self.realm)}"#.utf8))
        #expect(decoded.name == "master")
        let mock = MockTransport()
        mock.enqueue(.json(200, #"{"data":\#(Self.realm)}"#))
        #expect(try await Fixture.authClient(mock).realms.get(Fixture.realmID)?.name == "master")

        let error = recordError(#"{"data":\#(Self.realm),"links":{"self":"x"}}"#)
        #expect(error?.model == "Realm")
        #expect(
            error?.reason
                == "expected a record or a {data, meta} envelope; got an object with keys `data`, `links` "
                + "(not a record: its required key `id` is missing)")
        // A bare record that lacks a key still names the key.
        #expect(recordError(#"{"id":"\#(Fixture.realmID)"}"#)?.keyPath == "name")
    }

    @Test("an array, null or a scalar where a record or list belongs is named")
    func wrongShapes() throws {
        #expect(recordError("[\(Self.realm)]")?.reason == "expected a record or a {data, meta} envelope; got an array")
        #expect(recordError("null")?.reason == "expected a record or a {data, meta} envelope; got null")
        #expect(
            listError(#"{"statusCode":500,"message":"boom"}"#)?.reason
                == "expected a list (a {data, meta} envelope or an array); got an object with keys `statusCode`, `message`"
        )
        #expect(listError(#""text""#)?.reason == "expected a list (a {data, meta} envelope or an array); got a string")
        let nested = recordError(Self.realm.replacing(#""name":"master""#, with: #""name":["master"]"#))
        #expect(nested?.keyPath == "name")
        #expect(nested?.reason == "expected a string but found an array")
        let object = listError(#"{"data":{"id":"x"},"meta":{}}"#)
        #expect(object?.keyPath == "data" && object?.reason == "expected an array but found an object")
        let nullOptional = Self.realm.replacing(#""builtIn":true"#, with: #""builtIn":null"#)
        #expect(try HubJSON.decodeRecord(Realm.self, from: Array(nullOptional.utf8)).builtIn == nil)
        let null = recordError(Self.realm.replacing(#""name":"master""#, with: #""name":null"#))
        #expect(null?.keyPath == "name" && null?.reason == "expected a string but found null")
    }

    @Test("an empty body and a body that is not JSON are named, without the body")
    func notJSON() async throws {
        #expect(listError("")?.reason == "the body is empty (expected JSON)")
        #expect(listError(" \n ")?.reason == "the body is empty (expected JSON)")
        #expect(listError("Bad Gateway")?.reason == "not JSON: the body starts with `B`")
        let html = "<html><head><title>502 Bad Gateway</title></head><body>secret-ish proxy page</body></html>"
        let mock = MockTransport()
        mock.enqueue(.response(200, body: Array(html.utf8)))
        let error = await #expect(throws: HubDecodingError.self) { try await Fixture.authClient(mock).realms.list() }
        let text = try #require(error).description
        #expect(text.contains("not JSON: the body starts with `<` (an HTML or XML page, e.g. from a proxy)"), "\(text)")
        #expect(text.contains("GET http://hub.test/auth/realms"))
        for leaked in ["html>", "502", "Gateway", "secret-ish"] { #expect(!text.contains(leaked), "\(text)") }
    }

    @Test("syntax errors name the problem and the byte offset, not the content")
    func syntaxErrors() {
        #expect(listError(#"{"data":[tru]}"#)?.reason == "invalid JSON at byte 9: expected a value")
        #expect(listError(#"{"data":[1,]}"#)?.reason == "invalid JSON at byte 11: expected a value")
        #expect(listError(#"{"data":[] "meta":{}}"#)?.reason == "invalid JSON at byte 11: expected ',' or '}'")
        #expect(listError(#"{"data":[],"meta":{"total":01}}"#)?.reason == "invalid JSON at byte 27: malformed number")
        #expect(
            listError(#"{"data":[{"name":"secret\ud800"}]}"#)?.reason
                == "invalid JSON at byte 24: \\u escape of an unpaired UTF-16 surrogate")
        #expect(
            listError(#"{"data":[],"meta":{"total":1}} trailing"#)?.reason
                == "invalid JSON at byte 31: unexpected data after the JSON value")
        let truncated = listError(#"{"data":[{"name":"sec"#)
        #expect(truncated?.reason == "invalid JSON: the body ends at byte 21 in the middle of a value (truncated?)")
        #expect(truncated?.description.contains("sec") == false)
        let control = listError("{\"data\":[],\"x\":\"a\u{1}b\"}")
        #expect(control?.reason == "invalid JSON at byte 17: a control character in a string must be escaped")
        var invalidUTF8 = Array(#"{"data":[],"x":"ab"}"#.utf8)
        invalidUTF8.insert(0xC0, at: 17)
        #expect(
            (#expect(throws: HubDecodingError.self) { try HubJSON.decodeList(Realm.self, from: invalidUTF8) })?.reason
                == "invalid JSON at byte 17: the string is not valid UTF-8")
    }
}
