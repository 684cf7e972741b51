@_spi(FlameHubTools) @testable import FlameHub
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

/// The text every request is built from (ids in paths, key casing, URL joining) has byte-wise
/// fast paths; they must give what the general code gives.
@Suite("Request text: ids, key casing and URL joins")
struct RequestTextTests {
    @Test("a UUID's lowercase text equals uuidString.lowercased()")
    func uuidText() {
        var generator = SystemRandomNumberGenerator()
        var ids = [UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))]
        ids.append(UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255)))
        for _ in 0..<500 { ids.append(UUID(uuid: generator.next128())) }
        for id in ids {
            #expect(id.lowercasedString == id.uuidString.lowercased())
            #expect(UUID(uuidString: id.lowercasedString) == id)
        }
    }

    @Test(
        "key casing converts what needs it and returns the rest unchanged",
        arguments: [
            // name, camelCase, snakeCase
            ("realmId", "realmId", "realm_id"),
            ("realm_id", "realmId", "realm_id"),
            ("name", "name", "name"),
            ("realm.name", "realm.name", "realm.name"),
            ("registry_project.realm_id", "registryProject.realmId", "registry_project.realm_id"),
            ("+client_secret", "+clientSecret", "+client_secret"),
            ("-createdAt", "-createdAt", "-created_at"),
            ("a-b+c", "a-b+c", "a-b+c"),
            ("_private", "private", "_private"),
            ("ÉtatId", "ÉtatId", "état_id"),
            ("état_ïd", "étatÏd", "état_ïd"),
            ("", "", ""),
        ])
    func keyCasing(name: String, camel: String, snake: String) {
        #expect(KeyCasing.camelCase.convert(name) == camel)
        #expect(KeyCasing.snakeCase.convert(name) == snake)
    }

    @Test(
        "base URL and path are joined with exactly one slash",
        arguments: [
            ("http://hub/core/", "nodes", "http://hub/core/nodes"),
            ("http://hub/core", "nodes", "http://hub/core/nodes"),
            ("http://hub/core//", "nodes", "http://hub/core/nodes"),
            ("http://hub/core/", "/nodes", "http://hub/core/nodes"),
            ("http://hub/core/", "", "http://hub/core/"),
            ("http://hub/core", "//nodes/x", "http://hub/core/nodes/x"),
        ])
    func urlJoin(base: String, path: String, joined: String) {
        #expect(HubURL.join(base, path) == joined)
    }
}

extension SystemRandomNumberGenerator {
    fileprivate mutating func next128() -> uuid_t {
        let (a, b) = (next() as UInt64, next() as UInt64)
        return withUnsafeBytes(of: (a, b)) { raw in
            raw.load(as: uuid_t.self)
        }
    }
}
