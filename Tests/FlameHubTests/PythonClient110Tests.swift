import FlameHub
import FlameHubTesting
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

/// What flame-hub-client 1.1.0 changed, on the mock: dotted query keys converted per segment,
/// the logout URIs of clients, and error bodies without `code`/`message`.
@Suite("Python client 1.1.0 parity: dotted keys, client logout URIs, bare error bodies")
struct PythonClient110Tests {
    func coreTarget(_ dialect: HubDialect, _ call: @Sendable (CoreClient) async throws -> Void) async throws
        -> String
    {
        let mock = MockTransport { _ in .json(200, CoreFixture.emptyList) }
        try await call(CoreFixture.core(mock, dialect))
        return mock.requests.last?.target.removingPercentEncodingForTest ?? ""
    }

    /// Filter, sort and fields keys through a relation: each segment in the service's casing
    /// (core stays snake_case on transitional Hubs, authup is camelCase there).
    @Test(arguments: [
        (HubDialect.legacy, "analysis.project_id"), (.transitional, "analysis.project_id"),
        (.current, "analysis.projectId"),
    ])
    func dottedKeysPerSegment(dialect: HubDialect, wire: String) async throws {
        for written in ["analysis.projectId", "analysis.project_id"] {
            let target = try await coreTarget(dialect) {
                _ = try await $0.analysisNodes.find(
                    filter: [written: .equals(CoreFixture.projectID)], sort: Sort(by: written, order: .descending),
                    fields: ["-" + written])
            }
            #expect(target.contains("filter[\(wire)]=\(CoreFixture.projectID)"), "\(target)")
            #expect(target.contains("sort=-\(wire)"), "\(target)")
            #expect(target.contains("fields=-\(wire)"), "\(target)")
        }
    }

    @Test func dottedAuthKeysOnTransitionalAreCamelCase() async throws {
        let mock = MockTransport { _ in .json(200, Fixture.list([])) }
        let auth = Fixture.authClient(mock, dialect: .auth(version: "1.0.0-beta.56"))
        _ = try await auth.users.find(filter: ["realm.display_name": "Master"], sort: Sort(by: "realm.created_at"))
        let target = try #require(mock.requests.last).target.removingPercentEncodingForTest
        #expect(target.contains("filter[realm.displayName]=Master"), "\(target)")
        #expect(target.contains("sort=realm.createdAt"), "\(target)")
    }

    @Test func clientLogoutURIsDecodeAndEncode() async throws {
        let record = """
            {"id":"\(Fixture.robotID)","name":"portal","redirectUri":"https://portal.test/cb",\
            "postLogoutRedirectUri":"https://portal.test/bye","backchannelLogoutUri":"https://portal.test/bc",\
            "realmId":"\(Fixture.realmID)","createdAt":"2025-05-12T09:44:08Z","updatedAt":"2025-05-12T09:44:08Z"}
            """
        let mock = MockTransport { _ in .json(201, Fixture.enveloped(record)) }
        let auth = Fixture.authClient(mock, auth: "tok")
        let client = try await auth.clients.create(
            CreateClient(
                name: "portal", postLogoutRedirectUri: "https://portal.test/bye",
                backchannelLogoutUri: "https://portal.test/bc"))
        #expect(client.postLogoutRedirectUri == "https://portal.test/bye")
        #expect(client.backchannelLogoutUri == "https://portal.test/bc")
        #expect(mock.requests[0].json?["postLogoutRedirectUri"] == .string("https://portal.test/bye"))
        #expect(mock.requests[0].json?["backchannelLogoutUri"] == .string("https://portal.test/bc"))
        _ = try await auth.clients.update(client, UpdateClient(postLogoutRedirectUri: nil, backchannelLogoutUri: nil))
        #expect(mock.requests[1].json == ["postLogoutRedirectUri": .null, "backchannelLogoutUri": .null])
    }

    /// Bodies without `code` or `message` still make a readable error (the Python client's
    /// "no error message present"), with OAuth2's `error`/`error_description` standing in.
    @Test(
        arguments: [
            (#"{}"#, nil, "", "received status code 500 (undefined): no error message present"),
            (#"{"statusCode":503}"#, nil, "", "received status code 500 (undefined): no error message present"),
            (#"{"message":"   "}"#, nil, "", "received status code 500 (undefined): no error message present"),
            (
                #"{"code":null,"message":null}"#, nil, "",
                "received status code 500 (undefined): no error message present"
            ),
            (#"{"code":42,"message":["a"]}"#, "42", "", "received status code 500 (42): no error message present"),
            (
                #"{"error":"invalid_client","error_description":"Client authentication failed."}"#, "invalid_client",
                "Client authentication failed.",
                "received status code 500 (invalid_client): Client authentication failed."
            ),
            (#"{"code":"","message":"Bad"}"#, nil, "Bad", "received status code 500 (undefined): Bad"),
        ] as [(String, String?, String, String)])
    func bareErrorBodies(body: String, code: String?, message: String, description: String) {
        let error = HubAPIError(status: 500, body: Array(body.utf8), request: "GET x")
        #expect(error.errorResponse != nil)
        #expect(error.code == code)
        #expect(error.message == message)
        #expect(error.description == description)
        #expect(
            error.errorResponse?.description.hasSuffix(description.split(separator: ")").last.map(String.init) ?? "")
                == true)
    }

    @Test func oauthErrorKeysStayInExtra() throws {
        let body = #"{"error":"invalid_token","error_description":"expired"}"#
        let response = try #require(ErrorResponse(body: Array(body.utf8), httpStatus: 401))
        #expect(response.code == "invalid_token" && response.message == "expired" && response.statusCode == 401)
        #expect(response.extra["error"] == .string("invalid_token"))
    }
}
