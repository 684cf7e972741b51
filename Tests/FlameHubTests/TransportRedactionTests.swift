import FlameHubTesting
import HTTPTypes
import Logging
import Synchronization
import Testing

@testable import FlameHub

@Suite("Redaction of secrets")
struct TransportRedactionTests {
    @Test(
        "credential header fields are always redacted",
        arguments: [HTTPField.Name.authorization, .cookie, .setCookie, .proxyAuthorization])
    func secretFields(name: HTTPField.Name) {
        #expect(Redaction.headerValue(HTTPField(name: name, value: "short")) == Redaction.placeholder)
    }

    @Test("token-like values are redacted in any field")
    func tokenLikeValues() throws {
        let custom = try #require(HTTPField.Name("X-Robot-Secret"))
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl"
        for value in [
            jwt, "Bearer \(jwt)", "Bearer 0123456789abcdefghijABCDEFGHIJ0123456789",
            "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Lw==",
        ] {
            #expect(Redaction.headerValue(HTTPField(name: custom, value: value)) == Redaction.placeholder, "\(value)")
        }
        for value in ["application/json", "flamehub-swift/0.1.0", "gzip, deflate, br", "no-cache"] {
            #expect(Redaction.headerValue(HTTPField(name: .accept, value: value)) == value)
        }
    }

    @Test("secret query parameters are redacted, others kept, in any case")
    func query() {
        #expect(
            Redaction.redactQuery("https://hub.test/p?token=abc&page=2&Client_Secret=s3&API_KEY=k&sort=name")
                == "https://hub.test/p?token=<redacted>&page=2&Client_Secret=<redacted>&API_KEY=<redacted>&sort=name")
        #expect(
            Redaction.redactQuery("/auth/token?password=pw&code=c&flag")
                == "/auth/token?password=<redacted>&code=<redacted>&flag")
        #expect(Redaction.redactQuery("https://hub.test/no/query") == "https://hub.test/no/query")
    }

    @Test("TransportError strips user:password@ and secret query values from its URL")
    func transportErrorURL() {
        let error = TransportError(
            .connectionFailed, message: "refused",
            url: "https://alice:hunter2@hub.test:8443/core/nodes?access_token=tkn&x=1")
        #expect(error.url == "https://hub.test:8443/core/nodes?access_token=<redacted>&x=1")
        #expect(!error.description.contains("hunter2"))
        #expect(!error.description.contains("alice"))
        #expect(!error.description.contains("tkn"))
        #expect(error.description.contains("connectionFailed"))
        // An @ after the authority is not a credential separator.
        #expect(
            TransportError(.other, message: "", url: "http://hub.test/users/@me").url == "http://hub.test/users/@me")
        #expect(TransportError(.other, message: "", url: "http://bob@hub.test/").url == "http://hub.test/")
    }

    @Test("proxy passwords and in-memory keys never appear in descriptions")
    func configurationDescriptions() {
        let proxy = CurlConfiguration.ExplicitProxy(
            url: "http://user:pa55@proxy.test:3128", username: "proxy-user", password: "proxy-pa55")
        #expect(!proxy.description.contains("pa55"))
        #expect(!"\(CurlConfiguration.Proxy.explicit(proxy))".contains("pa55"))
        let certificate = CurlConfiguration.ClientCertificate(
            .pem(certificate: "-----BEGIN CERTIFICATE-----", key: "-----BEGIN PRIVATE KEY-----secret"),
            keyPassword: "key-pa55")
        #expect(!certificate.description.contains("secret"))
        #expect(!certificate.description.contains("key-pa55"))
    }
}

/// Every log record, rendered as text, for inspection.
final class LogStore: Sendable {
    private let records = Mutex<[(level: Logger.Level, text: String)]>([])

    func append(_ event: LogEvent) {
        let rendered = "\(event.level) \(event.message) \(event.metadata ?? [:])"
        records.withLock { $0.append((event.level, rendered)) }
    }

    var text: String { records.withLock { $0.map(\.text).joined(separator: "\n") } }
    var levels: [Logger.Level] { records.withLock { $0.map(\.level) } }
}

/// A swift-log handler that writes into a ``LogStore``.
struct CapturingLogHandler: LogHandler {
    let store: LogStore
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) { store.append(event) }
}

@Suite("LoggingMiddleware keeps secrets out of logs")
struct TransportLoggingTests {
    static let secrets = [
        "Sup3rSecretBearer", "cookie-monster-secret", "proxy-basic-secret", "set-cookie-secret", "query-token-secret",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJyb2JvdCJ9.c2lnbmF0dXJlc2VjcmV0", "hunter2",
    ]

    private func logger(_ level: Logger.Level) -> (Logger, LogStore) {
        let store = LogStore()
        let logger = Logger(label: "flamehub.test") { _ in CapturingLogHandler(store: store, logLevel: level) }
        return (logger, store)
    }

    private func secretRequest() throws -> HTTPRequest {
        var request = try HTTPRequest(
            method: .post, url: "https://hub.test/auth/token?access_token=query-token-secret&page=2")
        request.headerFields[.authorization] = "Bearer Sup3rSecretBearer"
        request.headerFields[.cookie] = "session=cookie-monster-secret"
        request.headerFields[.proxyAuthorization] = "Basic proxy-basic-secret"
        request.headerFields[try #require(HTTPField.Name("X-Robot-Token"))] =
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJyb2JvdCJ9.c2lnbmF0dXJlc2VjcmV0"
        request.headerFields[.accept] = "application/json"
        return request
    }

    @Test("at trace level: request line, status, timing and headers, with every secret redacted")
    func traceLevel() async throws {
        let (logger, store) = logger(.trace)
        let mock = MockTransport()
        var responseHeaders = HTTPFields()
        responseHeaders[.setCookie] = "session=set-cookie-secret; HttpOnly"
        responseHeaders[.contentType] = "application/json"
        mock.enqueue(.response(201, headers: responseHeaders, body: Array("{}".utf8)))
        let client = mock.with([LoggingMiddleware(logger: logger)])
        _ = try await client.send(secretRequest(), body: .string("grant_type=password&password=hunter2"))

        let text = store.text
        for secret in Self.secrets {
            #expect(!text.contains(secret), "leaked \(secret)")
        }
        #expect(text.contains("POST https://hub.test/auth/token?access_token=<redacted>&page=2 -> 201"))
        #expect(text.contains("duration_ms"))
        #expect(text.contains("accept: application/json") || text.contains("Accept: application/json"))
        #expect(text.contains("<redacted>"))
        #expect(store.levels.contains(.trace))
        #expect(store.levels.contains(.debug))
        // The request really carried the secrets: only the log hides them.
        #expect(mock.requests.first?.request.headerFields[.authorization] == "Bearer Sup3rSecretBearer")
    }

    @Test("at debug level: no header lines at all")
    func debugLevel() async throws {
        let (logger, store) = logger(.debug)
        let mock = MockTransport()
        mock.enqueue(.response(204))
        _ = try await mock.with([LoggingMiddleware(logger: logger)]).send(secretRequest(), body: nil)
        #expect(!store.levels.contains(.trace))
        #expect(store.levels == [.debug])
        for secret in Self.secrets { #expect(!store.text.contains(secret)) }
    }

    @Test("failures are logged with the redacted URL and rethrown unchanged")
    func failures() async throws {
        let (logger, store) = logger(.trace)
        let mock = MockTransport()
        let error = TransportError(
            .connectionFailed, message: "could not connect",
            url: "https://robot:hunter2@hub.test/auth/token?access_token=query-token-secret")
        mock.enqueue(.failure(error))
        await #expect(throws: error) {
            try await mock.with([LoggingMiddleware(logger: logger)]).send(secretRequest(), body: nil)
        }
        #expect(store.text.contains("failed"))
        for secret in Self.secrets { #expect(!store.text.contains(secret), "leaked \(secret)") }
    }

    @Test("retries through logging: each attempt is logged, no secrets")
    func retriesAreLogged() async throws {
        let (logger, store) = logger(.debug)
        let mock = MockTransport()
        mock.enqueue(.response(503), .response(200))
        let client = mock.with([
            RetryMiddleware(policy: RetryPolicy(), sleep: { _ in }), LoggingMiddleware(logger: logger),
        ])
        let request = try HTTPRequest(method: .get, url: "https://hub.test/core/nodes?token=query-token-secret")
        _ = try await client.send(request, body: nil)
        #expect(store.text.contains("-> 503"))
        #expect(store.text.contains("-> 200"))
        #expect(!store.text.contains("query-token-secret"))
    }
}

@Suite("UserAgentMiddleware")
struct TransportUserAgentTests {
    @Test("sets the default User-Agent unless the request has one")
    func userAgent() async throws {
        let mock = MockTransport { _ in .response(200) }
        let client = mock.with([UserAgentMiddleware()])
        _ = try await client.send(try HTTPRequest(method: .get, url: "http://hub.test/"), body: nil)
        var own = try HTTPRequest(method: .get, url: "http://hub.test/")
        own.headerFields[.userAgent] = "mine/1.0"
        _ = try await client.send(own, body: nil)
        #expect(mock.requests.map { $0.request.headerFields[.userAgent] } == [FlameHubVersion.userAgent, "mine/1.0"])
    }

    @Test("middlewares run in array order on the way out")
    func order() async throws {
        struct Tag: HTTPMiddleware {
            let value: String
            func intercept(
                _ request: HTTPRequest, body: RequestBody?,
                next: @Sendable (HTTPRequest, RequestBody?) async throws -> (HTTPResponse, ResponseBody)
            ) async throws -> (HTTPResponse, ResponseBody) {
                var request = request
                let name = HTTPField.Name("X-Order")!
                request.headerFields[name] = (request.headerFields[name].map { $0 + "," } ?? "") + value
                return try await next(request, body)
            }
        }
        let mock = MockTransport { _ in .response(200) }
        _ = try await mock.with([Tag(value: "a"), Tag(value: "b"), Tag(value: "c")])
            .send(try HTTPRequest(method: .get, url: "http://hub.test/"), body: nil)
        #expect(mock.requests.first?.request.headerFields[HTTPField.Name("X-Order")!] == "a,b,c")
    }
}
