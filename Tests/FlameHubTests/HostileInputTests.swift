import FlameHub
import FlameHubTesting
import HTTPTypes
import Testing

/// User input that could change a request's meaning (`&`, `=`, `+`, `%`, `#`, `,`, brackets,
/// newlines, `/`, `..`) is percent-encoded into query values, refused in query *names* and ids,
/// and header text with CR, LF or NUL is refused before anything is sent. The expected request
/// lines are written out in full: what the server receives, byte for byte.
@Suite("Hostile input: encoding, never interpolation")
struct HostileInputTests {
    static let page = "page%5Blimit%5D=50&page%5Boffset%5D=0"

    func target(
        _ dialect: HubDialect, _ call: @Sendable (AuthClient) async throws -> Void
    ) async throws -> String {
        let mock = MockTransport { _ in .json(200, Fixture.list([])) }
        try await call(Fixture.authClient(mock, dialect: dialect))
        #expect(mock.requests.count == 1)
        return try #require(mock.requests.last).target
    }

    /// The client error thrown by `call`, and whether a request was sent before it.
    func refusal(_ call: @Sendable (AuthClient) async throws -> Void) async -> (HubClientError?, sent: Int) {
        let mock = MockTransport { _ in .json(200, Fixture.list([])) }
        do {
            try await call(Fixture.authClient(mock, dialect: .current))
            return (nil, mock.requests.count)
        } catch {
            return (error as? HubClientError, mock.requests.count)
        }
    }

    @Test(arguments: [
        ("a&filter[id]=x", "a%26filter%5Bid%5D%3Dx"),
        ("1+1=2", "1%2B1%3D2"),
        ("100%", "100%25"),
        ("#frag", "%23frag"),
        ("[x]", "%5Bx%5D"),
        ("line\nbreak\r\nend", "line%0Abreak%0D%0Aend"),
        ("../../admin", "..%2F..%2Fadmin"),
        ("a/b?c", "a%2Fb%3Fc"),
        ("naïve ü", "na%C3%AFve%20%C3%BC"),
    ])
    func filterValuesArePercentEncoded(value: String, encoded: String) async throws {
        let current = try await target(.current) { _ = try await $0.realms.find(filter: ["name": .equals(value)]) }
        #expect(current == "/auth/realms?\(Self.page)&filter%5Bname%5D=\(encoded)")
        let legacy = try await target(.legacy) { _ = try await $0.realms.find(filter: ["name": .startsWith(value)]) }
        #expect(legacy == "/auth/realms?\(Self.page)&filter%5Bname%5D=~\(encoded)")
        let raw = try await target(.current) { _ = try await $0.realms.find(filter: ["name": .raw(value)]) }
        #expect(raw == "/auth/realms?\(Self.page)&filter%5Bname%5D=\(encoded)")
    }

    @Test func operandsTheServerWouldReadAsOperatorsAreRefused() async {
        for value: FilterValue in [
            .equals("~x"), .equals("!x"), .equals("<3"), .equals("x~"), .equals("null"), .equals(" x"),
            .not(.equals("\u{35E}s")), .startsWith("\u{301}a"), .contains("x\u{605}"), .startsWith("x\u{600}"),
            .in(["a\u{605}", "b"]),
        ] {
            let (error, sent) = await refusal { _ = try await $0.realms.find(filter: ["name": value]) }
            #expect(error?.code == .invalidFilter, "\(value)")
            #expect(sent == 0)
        }
    }

    @Test func aCommaIsAListOnlyWhenAskedFor() async throws {
        let (error, sent) = await refusal { _ = try await $0.realms.find(filter: ["name": .equals("a,b")]) }
        #expect(error?.code == .invalidFilter)
        #expect(sent == 0)
        let list = try await target(.current) { _ = try await $0.realms.find(filter: ["name": .in(["a&", "b="])]) }
        #expect(list == "/auth/realms?\(Self.page)&filter%5Bname%5D=a%26%2Cb%3D")
    }

    @Test(arguments: [
        "name][id", "name]=x&filter[id", "a,b", "", "realm.", ".name", "realm..name", "na me", "name\n", "__proto__[x]",
        "név",
    ])
    func filterKeysThatAreNotFieldNamesAreRefused(key: String) async {
        let (error, sent) = await refusal { _ = try await $0.realms.find(filter: [key: .equals("x")]) }
        #expect(error?.code == .invalidFilter)
        #expect(error.map { !$0.message.contains("\n") } ?? false)
        #expect(sent == 0)
    }

    @Test func sortFieldsAndRelationsAreRefusedWhenTheyWouldSplit() async {
        let sort = await refusal { _ = try await $0.realms.find(sort: Sort(by: "name,-id")) }
        #expect(sort.0?.code == .invalidFilter && sort.sent == 0)
        let dashed = await refusal { _ = try await $0.realms.find(sort: Sort(by: "-name")) }
        #expect(dashed.0?.code == .invalidFilter && dashed.sent == 0)
        let fields = await refusal { _ = try await $0.users.find(fields: ["email,+password"]) }
        #expect(fields.0?.code == .invalidFilter && fields.sent == 0)
        let bracket = await refusal { _ = try await $0.users.find(fields: ["email]"]) }
        #expect(bracket.0?.code == .invalidFilter && bracket.sent == 0)
    }

    @Test func dottedKeysAndSignedFieldsStillWork() async throws {
        let target = try await target(.legacy) {
            _ = try await $0.users.find(
                filter: ["realm.name": "master", "realm_id": .isNull], sort: Sort(by: "createdAt", order: .descending),
                fields: ["+email", "-avatar"])
        }
        #expect(
            target
                == "/auth/users?\(Self.page)&filter%5Brealm.name%5D=master&filter%5Brealm_id%5D=null"
                + "&sort=-created_at&fields=%2Bemail%2C-avatar&include=realm")
    }

    @Test(arguments: [
        "../realms", "794f2375-f043-4789-bd0c-e5534e8deeaa/../x", "794f2375-f043-4789-bd0c-e5534e8deeaa?x=1",
        "794f2375-f043-4789-bd0c-e5534e8deeaa#x", "%2e%2e", "794f2375%2Df043-4789-bd0c-e5534e8deeaa",
        "794f2375-f043-4789-bd0c-e5534e8deea\0a", "",
    ])
    func idsThatCouldChangeThePathAreRefused(id: String) async {
        let (error, sent) = await refusal { _ = try await $0.realms.get(id) }
        #expect(error?.code == .invalidIdentifier)
        #expect(sent == 0)
    }

    @Test(arguments: [" 794F2375-F043-4789-BD0C-E5534E8DEEAA ", "794f2375-f043-4789-bd0c-e5534e8deeaa\r\n"])
    func aUUIDStringIsSentAsItsCanonicalForm(id: String) async throws {
        // Surrounding white space (a pasted line) is trimmed; what is sent is the parsed UUID.
        let target = try await target(.current) { _ = try? await $0.realms.get(id) }
        #expect(target == "/auth/realms/794f2375-f043-4789-bd0c-e5534e8deeaa")
    }

    @Test(arguments: ["agent\r\nX-Injected: 1", "agent\nX-Injected: 1", "agent\0hidden"])
    func aUserAgentWithALineBreakOrNULIsRefusedBeforeSending(agent: String) async throws {
        let mock = MockTransport { _ in .json(200, Fixture.list([])) }
        let transport = mock.with([UserAgentMiddleware(userAgent: agent)])
        let client = AuthClient(
            context: HubContext(
                baseURL: Fixture.base, service: .auth, auth: nil, transport: transport, dialect: .current))
        let error = await #expect(throws: TransportError.self) { _ = try await client.realms.list() }
        #expect(error?.code == .invalidRequest)
        #expect(error?.message.contains("User-Agent") == true)
        #expect(error.map { !$0.description.contains("X-Injected") && !$0.description.contains("hidden") } ?? false)
        #expect(mock.requests.isEmpty)
    }

    @Test func headerFieldsCannotCarryALineBreak() async throws {
        // HTTPTypes turns CR, LF and NUL into spaces when a field is set, so a custom header set
        // by a middleware reaches the transport as one line.
        var fields = HTTPFields()
        fields[HTTPField.Name("X-Custom")!] = "a\r\nX-Injected: 1\0"
        let value = try #require(fields[HTTPField.Name("X-Custom")!])
        #expect(!value.contains("\r") && !value.contains("\n") && !value.contains("\0"))
    }

    @Test func curlTransportRefusesHeaderTextWithLineBreaksBeforeConnecting() async throws {
        // Port 9 on 127.0.0.1 is closed: a request that got as far as connecting would fail as
        // connectionFailed, not invalidRequest.
        let request = try HTTPRequest(method: .post, url: "http://127.0.0.1:9/core/nodes")
        let agent = CurlTransport(configuration: CurlConfiguration(userAgent: "agent\r\nX-Injected: 1"))
        defer { agent.shutdown() }
        let refusedAgent = await #expect(throws: TransportError.self) { _ = try await agent.send(request, body: nil) }
        #expect(refusedAgent?.code == .invalidRequest)

        let transport = CurlTransport()
        defer { transport.shutdown() }
        let bodies: [RequestBody] = [
            .bytes([1], contentType: "text/plain\r\nX-Injected: 1"),
            .multipart(MultipartForm([.init(name: "file", contentType: "text/csv\r\n\r\n--x", content: .bytes([1]))])),
            .multipart(MultipartForm([.init(name: "a\"\r\nX: 1", content: .bytes([1]))])),
            .multipart(MultipartForm([.init(name: "file", filename: "a.csv\0.exe", content: .bytes([1]))])),
        ]
        for body in bodies {
            let error = await #expect(throws: TransportError.self) { _ = try await transport.send(request, body: body) }
            #expect(error?.code == .invalidRequest)
            #expect(error.map { !$0.description.contains("X-Injected") } ?? false)
        }
    }
}

/// Error bodies a proxy or a hostile server chooses: deep nesting is parsed (or refused past the
/// nesting limit) by the SDK's own decoder, so it cannot stall the client (Fuzz/FuzzErrors found
/// 600 bytes of nested arrays taking seconds through JSONDecoder).
@Suite("Hostile input: error bodies")
struct HostileErrorBodyTests {
    @Test func deeplyNestedErrorBodiesAreParsedOrKeptAsText() {
        let nested = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        let body = Array(#"{"code":"x","message":"m","detail":\#(nested)}"#.utf8)
        let parsed = ErrorResponse(body: body, httpStatus: 502)
        #expect(parsed?.code == "x")
        #expect(parsed?.statusCode == 502)

        let tooDeep = Array((String(repeating: "[", count: 600) + String(repeating: "]", count: 600)).utf8)
        let error = HubAPIError(status: 502, body: tooDeep, request: "GET http://hub.test/core/nodes")
        #expect(error.errorResponse == nil)
        #expect(error.bodyText?.utf8.count == 1024)
    }
}
