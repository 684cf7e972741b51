#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

@testable import FlameHub

/// A model whose `init(from:)` keeps the decoder and its containers: legal Swift, and what a
/// careless (or hostile) model may do. Using them after the decode call returned must read the
/// body the decoder was given, never memory that has been freed or reused since.
struct Escapee: Decodable {
    enum Keys: String, CodingKey {
        case name, tags, child, count
    }

    let decoder: any Decoder
    let keyed: KeyedDecodingContainer<Keys>
    let unkeyed: any UnkeyedDecodingContainer
    let child: any Decoder
    let single: any SingleValueDecodingContainer

    init(from decoder: any Decoder) throws {
        self.decoder = decoder
        keyed = try decoder.container(keyedBy: Keys.self)
        unkeyed = try keyed.nestedUnkeyedContainer(forKey: .tags)
        child = try keyed.superDecoder(forKey: .child)
        single = try keyed.superDecoder(forKey: .name).singleValueContainer()
    }
}

@Suite("FastJSONDecoder: decoders and containers that escape init(from:)")
struct FastDecodingEscapeTests {
    static let name = "escaped-\u{1F600}-value-with-some-length-to-span-an-allocation"

    /// Decodes from a body built here, so that the only owner of its bytes is this call's array.
    static func decodeEscapee(seed: Int) throws -> Escapee {
        let body = """
            {"name":"\(name)","count":\(seed),"tags":["a\\nb","\(seed)",{"x":[1,2,3]}],\
            "child":{"id":"\(Fixture.realmID)","name":"c","createdAt":"2025-05-12T09:44:08.284Z",\
            "updatedAt":"2025-05-12T09:44:08Z"}}
            """
        return try FastJSONDecoder().decode(Escapee.self, from: Array(body.utf8))
    }

    /// Allocates and fills buffers of the body's size, so that freed body storage is reused.
    static func churnTheHeap() -> Int {
        var total = 0
        for round in 0..<256 {
            let junk = [UInt8](repeating: UInt8(truncatingIfNeeded: round), count: 64 + round % 512)
            total &+= junk.count
        }
        return total
    }

    @Test("an escaped keyed container still reads the body after the decode call returned")
    func escapedKeyedContainer() throws {
        let escapees = try (0..<8).map { try Self.decodeEscapee(seed: $0) }
        #expect(Self.churnTheHeap() > 0)
        for (seed, escapee) in escapees.enumerated() {
            #expect(try escapee.keyed.decode(String.self, forKey: .name) == Self.name)
            #expect(try escapee.keyed.decode(Int.self, forKey: .count) == seed)
            #expect(escapee.keyed.allKeys.map(\.stringValue) == ["name", "count", "tags", "child"])
            // A fresh container from the escaped decoder works as well.
            let again = try escapee.decoder.container(keyedBy: Escapee.Keys.self)
            #expect(try again.decode(String.self, forKey: .name) == Self.name)
        }
    }

    @Test("escaped unkeyed, single-value containers and child decoders still work")
    func escapedOtherContainers() throws {
        let escapee = try Self.decodeEscapee(seed: 42)
        #expect(Self.churnTheHeap() > 0)
        var tags = escapee.unkeyed
        #expect(try tags.decode(String.self) == "a\nb")
        #expect(try tags.decode(String.self) == "42")
        let nested = try tags.nestedContainer(keyedBy: Escapee.Keys.self)
        #expect(try nested.decodeIfPresent(String.self, forKey: .name) == nil)
        #expect(tags.isAtEnd)
        #expect(try escapee.single.decode(String.self) == Self.name)
        let realm = try Realm(from: escapee.child)
        #expect(realm.name == "c" && realm.id.uuidString.lowercased() == Fixture.realmID)
    }

    @Test("using an escaped container wrongly throws a DecodingError, as during the decode")
    func escapedContainerErrors() throws {
        let escapee = try Self.decodeEscapee(seed: 1)
        #expect(Self.churnTheHeap() > 0)
        #expect(throws: DecodingError.self) { try escapee.keyed.decode(Int.self, forKey: .name) }
        #expect(throws: DecodingError.self) { try escapee.decoder.unkeyedContainer() }
        var tags = escapee.unkeyed
        _ = try tags.decode(String.self)
        _ = try tags.decode(String.self)
        _ = try tags.superDecoder()
        #expect(throws: DecodingError.self) { try tags.decode(String.self) }
    }
}
