import FlameHub
import FlameHubTesting
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

/// Request bodies decoded from JSON (what the `flamehub` CLI does with `--set` and `--json-body`):
/// an absent update field stays unset, a `null` one is sent as `null`, and decoding then
/// encoding for a server gives the body the memberwise initializer gives.
@Suite("Request bodies decoded from their field names")
struct BodyDecodingTests {
    func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }

    /// The body `write` sends to a server of `dialect`.
    func sent(_ dialect: HubDialect, _ write: (CoreClient) async -> Void) async -> String? {
        let mock = MockTransport { _ in .json(500, "{}") }
        await write(CoreFixture.core(mock, dialect))
        return mock.requests.first?.bodyText
    }

    @Test func updateKeepsUnsetAndNullApart() throws {
        let update = try decode(UpdateNode.self, #"{"hidden": false, "externalName": null}"#)
        #expect(update == UpdateNode(hidden: false, externalName: nil))
        #expect(update.externalName == .set(nil))
        #expect(update.name == .unset)
        #expect(update.registryId == .unset)
        #expect(try decode(UpdateNode.self, "{}") == UpdateNode())
    }

    @Test func decodedUpdateSendsOnlyItsFields() async throws {
        let update = try decode(UpdateProject.self, #"{"name": "q", "description": null}"#)
        let project = CoreFixture.projectID
        let body = await sent(.legacy) { _ = try? await $0.projects.update(project, update) }
        #expect(body == #"{"description":null,"name":"q"}"#)
    }

    /// Encoding a decoded body gives the same JSON back: unset fields stay out, nulls stay in.
    @Test func roundTrip() throws {
        let json = #"{"displayName":null,"masterImageId":"\#(CoreFixture.analysisID)","name":"a"}"#
        let update = try decode(UpdateAnalysis.self, json)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(String(decoding: try encoder.encode(update), as: UTF8.self) == json)
        #expect(try decode(UpdateAnalysis.self, String(decoding: try encoder.encode(update), as: UTF8.self)) == update)
    }

    @Test func nullForNonNullableFieldFails() {
        #expect(throws: DecodingError.self) { try decode(UpdateNode.self, #"{"name": null}"#) }
        #expect(throws: DecodingError.self) { try decode(UpdateUser.self, #"{"active": null}"#) }
    }

    @Test func createBodiesAndRequiredFields() throws {
        let create = try decode(CreateNode.self, #"{"name": "n", "hidden": true, "type": "aggregator"}"#)
        #expect(create == CreateNode(name: "n", type: .aggregator, hidden: true))
        let error = #expect(throws: DecodingError.self) { try decode(CreateNode.self, #"{"hidden": true}"#) }
        guard case .keyNotFound(let key, _)? = error else {
            Issue.record("expected a missing key, got \(String(describing: error))")
            return
        }
        #expect(key.stringValue == "name")
    }

    @Test func idsAreCheckedWhenDecoded() throws {
        let good = try decode(
            CreateProjectNode.self, #"{"projectId": "\#(CoreFixture.projectID)", "nodeId": "\#(CoreFixture.nodeID)"}"#)
        #expect(good == CreateProjectNode(project: CoreFixture.projectID, node: CoreFixture.nodeID))
        let error = #expect(throws: DecodingError.self) {
            try decode(CreateProjectNode.self, #"{"projectId": "not-a-uuid", "nodeId": "\#(CoreFixture.nodeID)"}"#)
        }
        guard case .dataCorrupted(let context)? = error else {
            Issue.record("expected corrupted data, got \(String(describing: error))")
            return
        }
        #expect(context.codingPath.map(\.stringValue) == ["projectId"])
    }

    /// The one body with its own coding: the id keys follow the holder and the granted record.
    @Test func assignmentsDecodeTheirIdKeys() throws {
        let user = Fixture.userID
        let role = CoreFixture.nodeID
        let permission = CoreFixture.projectID
        let userRole = try decode(CreateUserRole.self, #"{"userId": "\#(user)", "roleId": "\#(role)"}"#)
        #expect(userRole == CreateUserRole(user, role: role))
        let grant = try decode(
            CreateRolePermission.self,
            #"{"roleId": "\#(role)", "permissionId": "\#(permission)", "realmScope": "own"}"#)
        #expect(grant == CreateRolePermission(role, permission: permission, realmScope: .own))
        // A role grant has no realm scope: the field is not read (the CLI then names it).
        let ignored = try decode(
            CreateUserRole.self, #"{"userId": "\#(user)", "roleId": "\#(role)", "realmScope": "own"}"#)
        #expect(ignored.realmScope == nil)
        #expect(throws: DecodingError.self) { try decode(CreateUserRole.self, #"{"userId": "\#(user)"}"#) }
    }

    @Test func secretsDecodeButStayRedacted() throws {
        let robot = try decode(UpdateRobot.self, #"{"secret": "s3cr3t-value"}"#)
        #expect(robot.secret.value?.revealed == "s3cr3t-value")
        #expect(!String(describing: robot).contains("s3cr3t-value"))
    }
}
