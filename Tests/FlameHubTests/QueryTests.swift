import FlameHub
import FlameHubTesting
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

@Suite("Query rendering per dialect (golden query strings)")
struct QueryTests {
    func requestedTarget(
        dialect: HubDialect, _ call: @Sendable (AuthClient) async throws -> Void
    ) async throws -> String {
        let mock = MockTransport { _ in .json(200, Fixture.list([])) }
        try await call(Fixture.authClient(mock, dialect: dialect))
        return try #require(mock.requests.last).target
    }

    @Test func defaultPageIsAlwaysSentAndRelationsIncluded() async throws {
        let target = try await requestedTarget(dialect: .current) { _ = try await $0.users.list() }
        #expect(target == "/auth/users?page%5Blimit%5D=50&page%5Boffset%5D=0&include=realm")
        let realms = try await requestedTarget(dialect: .legacy) { _ = try await $0.realms.list() }
        #expect(realms == "/auth/realms?page%5Blimit%5D=50&page%5Boffset%5D=0")
    }

    @Test func filterSortPageCurrent() async throws {
        let target = try await requestedTarget(dialect: .current) {
            _ = try await $0.realms.find(
                filter: ["name": .startsWith("my"), "built_in": true],
                sort: Sort(by: "created_at", order: .descending), page: Page(limit: 25, offset: 10))
        }
        #expect(
            target
                == "/auth/realms?page%5Blimit%5D=25&page%5Boffset%5D=10&filter%5Bname%5D=my~"
                + "&filter%5BbuiltIn%5D=true&sort=-createdAt")
    }

    @Test func filterSortPageLegacy() async throws {
        let target = try await requestedTarget(dialect: .legacy) {
            _ = try await $0.realms.find(
                filter: ["name": .startsWith("my"), "builtIn": true], sort: Sort(by: "createdAt"),
                page: Page(limit: 10))
        }
        #expect(
            target
                == "/auth/realms?page%5Blimit%5D=10&page%5Boffset%5D=0&filter%5Bname%5D=~my"
                + "&filter%5Bbuilt_in%5D=true&sort=created_at")
    }

    @Test func optionalFieldsArePlusEncoded() async throws {
        let legacy = try await requestedTarget(dialect: .legacy) {
            _ = try await $0.robots.find(filter: ["name": "system"], fields: ["secret"])
        }
        #expect(
            legacy
                == "/auth/robots?page%5Blimit%5D=50&page%5Boffset%5D=0&filter%5Bname%5D=system"
                + "&fields=%2Bsecret&include=realm%2Cuser")
        let current = try await requestedTarget(dialect: .current) {
            _ = try await $0.users.find(fields: ["email", "-avatar"])
        }
        #expect(current == "/auth/users?page%5Blimit%5D=50&page%5Boffset%5D=0&fields=%2Bemail%2C-avatar&include=realm")
    }

    @Test func dottedKeysAndSnakeCaseInput() async throws {
        let current = try await requestedTarget(dialect: .current) {
            _ = try await $0.clients.find(filter: ["realm.name": "master", "realm_id": .isNotNull])
        }
        #expect(current.contains("filter%5Brealm.name%5D=master&filter%5BrealmId%5D=%21null"))
        let legacy = try await requestedTarget(dialect: .legacy) {
            _ = try await $0.userRoles.find(filter: ["user.realmId": .in(["a", "b"])])
        }
        #expect(legacy.contains("filter%5Buser.realm_id%5D=a%2Cb"))
    }

    /// Each operator, rendered for rapiq 0.9 (legacy) and rapiq 2 (current).
    static let operators: [(FilterValue, legacy: String?, current: String?)] = [
        ("my-node-42", "my-node-42", "my-node-42"),
        ("~my-node-4", "~my-node-4", "~my-node-4"),
        (.like("my-node-4"), "~my-node-4", "~my-node-4"),
        (.equals(42), "42", "42"),
        (.not(.equals("x")), "!x", "!x"),
        (.not(.like("x")), "!~x", "!~x"),
        (.lt(5), "<5", "<5"),
        (.le(5), "<=5", "<=5"),
        (.gt(2.5), ">2.5", ">2.5"),
        (.ge(5), ">=5", ">=5"),
        (.in(["a", "b", 3]), "a,b,3", "a,b,3"),
        (.not(.in(["a", "b"])), "!a,b", "!a,b"),
        (.isNull, "null", "null"),
        (.isNotNull, "!null", "!null"),
        (.not(.isNull), "!null", "!null"),
        (.startsWith("abc"), "~abc", "abc~"),
        (.not(.startsWith("abc")), "!~abc", "!abc~"),
        (.endsWith("abc"), nil, "~abc"),
        (.contains("abc"), nil, "~abc~"),
        (.equals(true), "true", "true"),
        (.equals(UUID(uuidString: Fixture.realmID)!), Fixture.realmID, Fixture.realmID),
    ]

    @Test(arguments: 0..<operators.count)
    func operatorRendering(index: Int) async throws {
        let (value, legacy, current) = Self.operators[index]
        for (dialect, expected) in [(HubDialect.legacy, legacy), (HubDialect.current, current)] {
            let mock = MockTransport { _ in .json(200, Fixture.list([])) }
            let client = Fixture.authClient(mock, dialect: dialect)
            if let expected {
                _ = try await client.realms.find(filter: ["name": value])
                let query = try #require(
                    mock.requests.first?.target.split(separator: "&").first { $0.hasPrefix("filter") })
                #expect(query.removingPercentEncodingForTest == "filter[name]=\(expected)")
            } else {
                let error = await #expect(throws: HubClientError.self) {
                    try await client.realms.find(filter: ["name": value])
                }
                #expect(error?.code == .unsupportedByServer)
                #expect(mock.requests.isEmpty)
            }
        }
    }

    @Test func misreadableValuesThrowBeforeSending() async throws {
        let mock = MockTransport { _ in .json(200, Fixture.list([])) }
        let client = Fixture.authClient(mock)
        for value: FilterValue in [.equals("a,b"), .lt("1,2"), .in([]), .not(.lt(3)), .startsWith("")] {
            let error = await #expect(throws: HubClientError.self) {
                try await client.realms.find(filter: ["x": value])
            }
            #expect(error?.code == .invalidFilter)
        }
        #expect(mock.requests.isEmpty)
    }
}

extension StringProtocol {
    /// Decodes `%XX` escapes (test helper; FoundationEssentials has no `removingPercentEncoding`).
    var removingPercentEncodingForTest: String {
        var bytes: [UInt8] = []
        var iterator = Array(utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
