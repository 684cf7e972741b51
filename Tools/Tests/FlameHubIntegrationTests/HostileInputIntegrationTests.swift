import FlameHub
import FlameHubEmulator
import Testing

/// Filter values with the characters that could change a request's meaning reach the server as
/// the literal value: the emulator (which parses queries as `qs` and rapiq do) finds exactly the
/// record whose display name is that value, and its request log decodes to it.
@Suite("Hostile input against the emulator: the server sees the literal value")
struct HostileInputIntegrationTests {
    static let hostile = "a&b=c+d%25 #[x]/../y\nz?q=1;"

    @Test(arguments: [HubGeneration.legacy, .current])
    func filterValuesArriveLiterally(generation: HubGeneration) async throws {
        let hub = try await HubEmulator.start(generation: generation)
        do {
            let url = hub.authURL.absoluteString
            let client = AuthClient(
                baseURL: url, auth: PasswordAuth(username: "admin", password: "start123", baseURL: url))
            let realm = try await client.realms.create(CreateRealm(name: "hostile", displayName: Self.hostile))
            #expect(realm.displayName == Self.hostile)
            _ = try await client.realms.create(CreateRealm(name: "decoy", displayName: "a decoy"))

            hub.clearRequests()
            let found = try await client.realms.find(filter: ["displayName": .equals(Self.hostile)])
            #expect(found.map(\.id) == [realm.id])
            let query = try #require(hub.requests.last { $0.path == "/auth/realms" }?.query)
            let key = generation == .legacy ? "filter[display_name]" : "filter[displayName]"
            let items = query.split(separator: "&").map { item -> (String, String) in
                let parts = item.split(separator: "=", maxSplits: 1).map { Self.percentDecoded($0) }
                return (parts[0], parts.count > 1 ? parts[1] : "")
            }
            #expect(items.filter { $0.0 == key }.map(\.1) == [Self.hostile])
            #expect(items.count == 3)  // page[limit], page[offset] and the filter: nothing split off

            // A record id that would walk the path is refused before it is sent.
            hub.clearRequests()
            await #expect(throws: HubClientError.self) { _ = try await client.realms.get("../users") }
            #expect(hub.requests.isEmpty)
        } catch {
            await hub.stop()
            throw error
        }
        await hub.stop()
    }

    static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var index = text.utf8.startIndex
        while index < text.utf8.endIndex {
            let byte = text.utf8[index]
            let next = text.utf8.index(after: index)
            if byte == UInt8(ascii: "%"), text.utf8.distance(from: next, to: text.utf8.endIndex) >= 2,
                let value = UInt8(String(text[next...].prefix(2)), radix: 16)
            {
                bytes.append(value)
                index = text.utf8.index(next, offsetBy: 2)
            } else {
                bytes.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index = next
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
