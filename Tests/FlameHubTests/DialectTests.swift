import FlameHub
import FlameHubTesting
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

@Suite("Dialect per generation, detected once")
struct DialectTests {
    @Test func authupVersions() {
        let old = HubDialect.auth(version: "1.0.0-beta.26")
        #expect(old.generation == .legacy && old.keyCasing == .snakeCase && !old.envelopesRecords)
        #expect(old.filterGrammar == .rapiq09)
        let transitional = HubDialect.auth(version: "1.0.0-beta.54")
        #expect(transitional.generation == .transitional && transitional.keyCasing == .camelCase)
        #expect(!transitional.envelopesRecords)
        let new = HubDialect.auth(version: "1.0.0-beta.62")
        #expect(new.generation == .current && new.envelopesRecords && new.filterGrammar == .rapiq2)
        #expect(HubDialect.auth(version: "1.2.0").generation == .current)
        #expect(HubDialect.auth(version: "1.0.0-beta.53").generation == .legacy)
    }

    @Test func hubVersions() {
        let old = HubDialect.hub(version: "0.8.13")
        #expect(old.generation == .legacy && old.filterGrammar == .rapiq09 && old.keyCasing == .snakeCase)
        #expect(HubDialect.hub(version: "0.12.2").filterGrammar == .rapiq09)
        let transitional = HubDialect.hub(version: "v0.12.3")
        #expect(transitional.generation == .transitional && transitional.filterGrammar == .rapiq2)
        let new = HubDialect.hub(version: "0.14.0")
        #expect(new.generation == .current && new.keyCasing == .camelCase && new.envelopesRecords)
    }

    @Test func detectedOnceFromRootAndCached() async throws {
        let roots = Counter()
        let mock = MockTransport { request in
            if request.target == "/auth/" {
                _ = roots.increment()
                return .json(200, #"{"version":"1.0.0-beta.26","timestamp":1}"#, delay: .milliseconds(20))
            }
            return .json(200, Fixture.list([]))
        }
        let client = AuthClient(
            context: HubContext(baseURL: Fixture.base, service: .auth, auth: nil, transport: mock, dialect: nil))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<20 { group.addTask { _ = try await client.robots.list() } }
            try await group.waitForAll()
        }
        #expect(roots.count == 1)
        #expect(try await client.dialect().generation == .legacy)
        #expect(try await client.withAuth("other").dialect().version == "1.0.0-beta.26")
        #expect(roots.count == 1)
        #expect(mock.requests.filter { $0.target.hasPrefix("/auth/robots?") }.count == 20)
        #expect(mock.requests.first { $0.target == "/auth/" }?.bearer == nil)
    }

    @Test func coreDetection() async throws {
        let mock = MockTransport { request in
            request.target == "/core/"
                ? .json(200, #"{"version":"0.14.0","timestamp":1}"#) : .json(200, Fixture.list([]))
        }
        let core = CoreClient(baseURL: "http://hub.test/core/", auth: .token("t"), transport: mock)
        _ = try await core.nodes.find(filter: ["name": .contains("node")])
        #expect(
            mock.requests.last?.target
                == "/core/nodes?page%5Blimit%5D=50&page%5Boffset%5D=0&filter%5Bname%5D=~node~&include=registryProject%2Cregistry"
        )
        #expect(mock.requests.last?.bearer == "t")
    }

    @Test func detectionFailureIsClear() async throws {
        let mock = MockTransport { _ in .json(200, #"{"hello":"world"}"#) }
        let client = AuthClient(baseURL: Fixture.base, transport: mock)
        let error = await #expect(throws: HubClientError.self) { try await client.realms.list() }
        #expect(error?.code == .versionDetectionFailed)
    }

    @Test func autoPaginationFetchesLazily() async throws {
        let mock = MockTransport { request in
            let offset =
                request.target.contains("page%5Boffset%5D=100")
                ? 100 : request.target.contains("page%5Boffset%5D=50") ? 50 : 0
            let count = offset == 100 ? 7 : 50
            let items = (0..<count).map { index in
                Fixture.realmCurrent(id: UUID().uuidString.lowercased(), name: "realm-\(offset + index)")
            }
            return .json(200, Fixture.list(items, total: 107, offset: offset))
        }
        let client = Fixture.authClient(mock)
        var names: [String] = []
        for try await realm in client.realms.findAll(filter: ["name": .startsWith("realm")]) {
            names.append(realm.name)
            if names.count == 10 { #expect(mock.requests.count == 1) }
        }
        #expect(names.count == 107)
        #expect(names.last == "realm-106")
        #expect(mock.requests.count == 3)
        #expect(mock.requests.allSatisfy { $0.target.contains("filter%5Bname%5D=realm~") })
    }
}
