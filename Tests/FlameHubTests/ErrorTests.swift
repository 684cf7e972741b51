import FlameHub
import FlameHubTesting
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import HTTPTypes
import Testing

@Suite("HubAPIError and ErrorResponse")
struct ErrorTests {
    @Test func guideExampleDescription() {
        let body = #"{"statusCode":400,"code":"undefined","message":"Can't find realm entity by realm_id"}"#
        let error = HubAPIError(status: 400, body: Array(body.utf8), request: "POST http://hub.test/core/nodes")
        #expect(error.description == "received status code 400 (undefined): Can't find realm entity by realm_id")
        #expect(
            error.errorResponse
                == ErrorResponse(statusCode: 400, code: "undefined", message: "Can't find realm entity by realm_id"))
    }

    @Test func legacyBodyWithExtras() throws {
        let body = #"{"statusCode":400,"code":"BAD_REQUEST","message":"","attributes":["name"],"children":[]}"#
        let error = HubAPIError(status: 400, body: Array(body.utf8), request: "POST x")
        let response = try #require(error.errorResponse)
        #expect(response.statusCode == 400)
        #expect(response.code == "BAD_REQUEST")
        #expect(response.message == "")
        #expect(response.issues.isEmpty)
        #expect(response.extra["attributes"] == .array([.string("name")]))
        #expect(response.extra["children"] == .array([]))
    }

    @Test func currentBodyFallsBackToHTTPStatus() throws {
        let body = """
            {"name":"EntityRelationError","message":"Can't find realm entity by realmId","code":"entity_relation_invalid",\
            "issues":[{"type":"item","code":"required","path":["imageCommandArguments",0,"value"],"message":"bad","meta":{"min":3}}],\
            "@instanceof":["AuthupError"],"error":"invalid_request"}
            """
        let error = HubAPIError(
            status: 400, headers: [.contentType: "application/json"], body: Array(body.utf8), request: "POST x")
        let response = try #require(error.errorResponse)
        #expect(response.statusCode == 400)
        #expect(error.code == "entity_relation_invalid")
        #expect(
            response.issues == [
                ErrorResponse.Issue(
                    type: "item", code: "required", path: ["imageCommandArguments", "0", "value"], message: "bad",
                    extra: ["meta": .object(["min": .number(3)])])
            ])
        #expect(response.extra["error"] == .string("invalid_request"))
        #expect(response.extra["name"] == .string("EntityRelationError"))
        #expect(error.headers[.contentType] == "application/json")
        #expect(
            error.description
                == "received status code 400 (entity_relation_invalid): Can't find realm entity by realmId")
    }

    @Test func nonJSONBodySurvives() {
        let error = HubAPIError(status: 502, body: Array("<html>Bad Gateway</html>".utf8), request: "GET x")
        #expect(error.errorResponse == nil)
        #expect(error.bodyText == "<html>Bad Gateway</html>")
        #expect(error.description == "received status code 502 (undefined): <html>Bad Gateway</html>")
        #expect(
            HubAPIError(status: 500, body: [], request: "GET x").description == "received status code 500 (undefined)")
    }

    @Test func errorsThrownByClientCalls() async throws {
        let mock = MockTransport()
        mock.enqueue(
            .json(404, #"{"statusCode":404,"code":"NOT_FOUND","message":""}"#),
            .json(404, #"{"code":"entity_not_found","message":"Entity not found.","issues":[]}"#),
            .json(400, #"{"code":"bad_request","message":"Property name is invalid","issues":[]}"#))
        let client = Fixture.authClient(mock)
        #expect(try await client.realms.get(Fixture.realmID) == nil)
        let error = await #expect(throws: HubAPIError.self) { try await client.realms.delete(Fixture.realmID) }
        #expect(error?.status == 404)
        #expect(error?.request == "DELETE http://hub.test/auth/realms/\(Fixture.realmID)")
        let invalid = await #expect(throws: HubAPIError.self) { try await client.realms.create(CreateRealm(name: "")) }
        #expect(invalid?.errorResponse?.message == "Property name is invalid")
    }
}
