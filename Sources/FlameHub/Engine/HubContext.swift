#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import HTTPTypes
import Synchronization

/// URL helpers for base URLs that may or may not end in `/`.
enum HubURL {
    /// `base` with exactly one `/` before `path`.
    static func join(_ base: String, _ path: String) -> String {
        // The usual case (a context's base URL ends in `/`, paths are relative), by bytes.
        if base.utf8.last == UInt8(ascii: "/"), base.utf8.dropLast().last != UInt8(ascii: "/"),
            let first = path.utf8.first, first != UInt8(ascii: "/")
        {
            return base + path
        }
        var base = base
        while base.hasSuffix("/") { base.removeLast() }
        var path = Substring(path)
        while path.hasPrefix("/") { path = path.dropFirst() }
        return path.isEmpty ? base + "/" : base + "/" + path
    }
}

/// What every client shares: the service's base URL, the transport, the authentication and the
/// (detected or given) dialect. Cheap to copy; copies share the dialect cache.
public struct HubContext: Sendable {
    /// The largest response body read into memory (records, lists, error bodies): 64 MiB.
    /// File contents are streamed instead (see ``StorageClient``).
    public static let maxCollectedBodySize = 64 << 20

    /// The service's base URL, e.g. `http://localhost:3000/auth/`.
    public let baseURL: String
    /// Which service this is.
    public let service: HubService
    /// The transport requests go through.
    public let transport: any HTTPTransport
    /// The authentication of requests, if any.
    public let auth: (any HubAuthentication)?
    let dialects: DialectCache

    /// The transport clients use when none is given: ``CurlTransport/shared`` behind a
    /// ``RetryMiddleware`` and a ``UserAgentMiddleware``.
    public static var defaultTransport: any HTTPTransport {
        CurlTransport.shared.with([RetryMiddleware(), UserAgentMiddleware()])
    }

    /// A context for `service` at `baseURL`.
    ///
    /// - Parameters:
    ///   - baseURL: the service's base URL.
    ///   - service: which of the Hub's services it is.
    ///   - auth: how requests authenticate; nil sends none.
    ///   - transport: the transport; nil uses ``defaultTransport``.
    ///   - dialect: the server's dialect; nil detects it from `GET /` on first use.
    public init(
        baseURL: String, service: HubService, auth: (any HubAuthentication)?, transport: (any HTTPTransport)?,
        dialect: HubDialect?
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? baseURL : baseURL + "/"
        self.service = service
        self.auth = auth
        self.transport = transport ?? Self.defaultTransport
        dialects = DialectCache(fixed: dialect)
    }

    /// This context with another authentication (sharing transport and dialect cache).
    public func with(auth: (any HubAuthentication)?) -> HubContext {
        HubContext(copying: self, auth: auth)
    }

    private init(copying other: HubContext, auth: (any HubAuthentication)?) {
        baseURL = other.baseURL
        service = other.service
        transport = other.transport
        dialects = other.dialects
        self.auth = auth
    }

    /// The server's dialect: given at creation, or detected once from `GET /` and cached.
    public func dialect() async throws -> HubDialect {
        try await dialects.dialect { try await detect() }
    }

    private func detect() async throws -> HubDialect {
        struct Info: Decodable { var version: String }
        let request = try HTTPRequest(method: .get, url: baseURL, headerFields: [.accept: "application/json"])
        let line = "GET \(baseURL)"
        let (response, body) = try await BodyCollection.$limit.withValue(1 << 20) {
            try await transport.send(request, body: nil)
        }
        let bytes = try await body.collect(upTo: 1 << 20)
        guard (200..<300).contains(response.status.code) else {
            throw HubAPIError(status: response.status.code, headers: response.headerFields, body: bytes, request: line)
        }
        guard let info = try? JSONDecoder().decode(Info.self, from: Data(bytes)) else {
            throw HubClientError(
                .versionDetectionFailed,
                "\(line) did not answer with a version; pass the dialect explicitly (e.g. .legacy or .current)")
        }
        return HubDialect.forService(service, version: info.version)
    }

    /// Sends one request and returns the successful response's body.
    ///
    /// Adds the bearer token; on 401 (or a rejected-token error) asks the authentication for a new
    /// token and replays once. Non-2xx answers throw ``HubAPIError``.
    func send(
        _ method: HTTPRequest.Method, path: String, query: String = "", body: [UInt8]? = nil
    ) async throws -> (HTTPResponse, [UInt8]) {
        let requestBody = body.map { RequestBody.bytes($0, contentType: "application/json") }
        // The body is read whole: the retry middleware may read it within the attempt (a cut is retried).
        let (response, responseBody) = try await BodyCollection.$limit.withValue(Self.maxCollectedBodySize) {
            try await open(method, path: path, query: query, body: requestBody)
        }
        return (response, try await responseBody.collect(upTo: Self.maxCollectedBodySize))
    }

    /// Sends one request and returns the successful response with its body still unread (for
    /// streamed uploads and downloads).
    ///
    /// Adds the bearer token; on 401 (or a rejected-token error) asks the authentication for a new
    /// token and replays once when `body` is replayable. Non-2xx answers throw ``HubAPIError``.
    func open(
        _ method: HTTPRequest.Method, path: String, query: String = "", body requestBody: RequestBody?,
        accept: String = "application/json", headers: HTTPFields = [:]
    ) async throws -> (HTTPResponse, ResponseBody) {
        var url = HubURL.join(baseURL, path)
        if !query.isEmpty { url += "?" + query }
        var request = try HTTPRequest(method: method, url: url, headerFields: headers)
        request.headerFields[.accept] = accept
        if let type = requestBody?.contentType { request.headerFields[.contentType] = type }
        var replayed = requestBody.map { !$0.isReplayable } ?? false
        while true {
            var token: String?
            if let auth {
                let value = try await auth.accessToken(using: transport)
                request.headerFields[.authorization] = "Bearer \(value)"
                token = value
            }
            let (response, responseBody) = try await transport.send(request, body: requestBody)
            let status = response.status.code
            if (200..<300).contains(status) { return (response, responseBody) }
            let bytes = try await responseBody.collect(upTo: Self.maxCollectedBodySize)
            // The request line is built only here: a successful call never needs it.
            let line = "\(method.rawValue) \(Redaction.redactQuery(url))"
            let error = HubAPIError(status: status, headers: response.headerFields, body: bytes, request: line)
            if !replayed, let auth, let token, Self.rejectsToken(error), await auth.tokenRejected(token) {
                replayed = true
                continue
            }
            throw error
        }
    }

    /// A 401, or an error code saying the bearer token itself was bad (authup answers 400, Hub
    /// 0.14 even 500, for expired or revoked tokens).
    static func rejectsToken(_ error: HubAPIError) -> Bool {
        if error.status == 401 { return true }
        guard let code = error.code else { return false }
        return ["invalid_token", "expired_token", "inactive_token", "bearer_token_malformed"].contains(code)
    }

    /// Encodes `payload` in the dialect's key casing.
    func encode(_ payload: some Encodable, dialect: HubDialect) throws -> [UInt8] {
        try HubCoding.encodeBody(payload, generation: dialect.generation, casing: dialect.keyCasing)
    }
}

extension CodingUserInfoKey {
    /// The ``HubGeneration`` a request body is encoded for (set by the engine), so that bodies
    /// can spell generation-specific fields (e.g. legacy `runStatus`) or reject them.
    public static let hubGeneration = CodingUserInfoKey(rawValue: "FlameHub.generation")!
}

/// The dialect of one service, detected at most once at a time and then kept.
final class DialectCache: Sendable {
    private let cache: SingleFlight<HubDialect>

    init(fixed: HubDialect?) {
        cache = SingleFlight(fixed)
    }

    func dialect(detect: @escaping @Sendable () async throws -> HubDialect) async throws -> HubDialect {
        try await cache.value(isFresh: { _ in true }, produce: { _ in try await detect() })
    }
}
