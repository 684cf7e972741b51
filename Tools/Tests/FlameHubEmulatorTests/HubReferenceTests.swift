import FlameHub
import FlameHubEmulator
import Testing

/// Ids the Hub resolves in authup (see `CoreReferences`): the node's realm, robot and client.
/// Hub v0.8.13 packages/server-core/src/services/node-robot/module.ts and v0.14.0
/// apps/server-core/src/app/modules/database/node-client.ts.
@Suite struct HubReferenceTests {
    static let unknownID = "0b7e6c2e-4f1a-4d8e-9c55-3f6a2b1d9e70"

    /// The robot/client create in an unknown realm fails in authup with 400, which the Hub
    /// passes on; the node is not stored.
    @Test(arguments: HubGeneration.allCases)
    func nodeInUnknownRealmIs400(generation: HubGeneration) async throws {
        try await CoreSession.start(generation) { hub in
            let response = try await hub.post(
                "/core/nodes", ["name": "ghost-node", "realmId": .string(Self.unknownID)])
            #expect(response.status == 400)
            #expect(response.object["code"] == (generation == .legacy ? "BAD_REQUEST" : "bad_request"))
            #expect(response.object["message"] == .string("Can't find realm entity by \(hub.key("realmId"))"))
            #expect(try await hub.get("/core/nodes?filter[name]=ghost-node").rows.isEmpty)
        }
    }

    /// A robot/client id authup does not know is replaced by a newly provisioned identity.
    @Test(arguments: HubGeneration.allCases)
    func unknownIdentityIsReplaced(generation: HubGeneration) async throws {
        try await CoreSession.start(generation) { hub in
            let key = generation == .legacy ? "robotId" : "clientId"
            let node = try await hub.create("/core/nodes", ["name": "node-a", key: .string(Self.unknownID)])
            let identity = try #require(hub.value(node, key)?.stringValue)
            #expect(identity != Self.unknownID)
            let table = generation == .legacy ? "robots" : "clients"
            #expect(try await hub.get("/auth/\(table)/\(identity)").status == 200)
        }
    }

    /// A known client is kept and gets exactly the node permissions (`assignPermissions()`).
    @Test func knownClientIsKeptAndGetsNodePermissions() async throws {
        try await CoreSession.start(.current) { hub in
            let client = try await hub.create("/auth/clients", ["name": "own-node-client"])
            let permission = try #require(
                try await hub.get("/auth/permissions?filter[name]=project_create").rows.first)
            try await hub.create(
                "/auth/client-permissions", ["clientId": client["id"] ?? nil, "permissionId": permission["id"] ?? nil])
            let node = try await hub.create("/core/nodes", ["name": "node-b", "clientId": client["id"] ?? nil])
            #expect(node["clientId"] == client["id"])
            let bindings = try await hub.get(
                "/auth/client-permissions?filter[clientId]=\(hub.id(client))&include=permission")
            let names = bindings.rows.compactMap { $0["permission"]?["name"]?.stringValue }
            #expect(names == ["analysis_update"])
        }
    }
}
