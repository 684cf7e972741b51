#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import HTTPTypes

/// The seam between the SDK and the network: one request in, one response out.
///
/// ``CurlTransport`` is the production implementation; `FlameHubTesting.MockTransport` replays
/// scripted responses in tests. The response body is handed back as soon as the head has arrived,
/// so callers can stream it; a body that is never read must still be dropped or collected so the
/// transport can finish the transfer.
public protocol HTTPTransport: Sendable {
    /// Sends `request` with an optional `body` and returns the response head and its body.
    ///
    /// The request must carry an absolute target: `scheme`, `authority` and `path` (with query).
    /// - Throws: ``TransportError`` when no response could be had, `CancellationError` when the
    ///   calling task was cancelled.
    func send(_ request: HTTPRequest, body: RequestBody?) async throws -> (HTTPResponse, ResponseBody)
}

/// A cross-cutting step in front of a transport (authentication, retry, logging, user agent).
///
/// Middlewares run in array order on the way out and in reverse order on the way back, like
/// swift-openapi-runtime's `ClientMiddleware`.
public protocol HTTPMiddleware: Sendable {
    /// Handles `request`, calling `next` zero or more times to reach the rest of the chain.
    func intercept(
        _ request: HTTPRequest,
        body: RequestBody?,
        next: @Sendable (HTTPRequest, RequestBody?) async throws -> (HTTPResponse, ResponseBody)
    ) async throws -> (HTTPResponse, ResponseBody)
}

extension HTTPRequest {
    /// The absolute URL string of the request (`scheme://authority/path?query`).
    public var urlString: String {
        "\(scheme ?? "http")://\(authority ?? "")\(path ?? "/")"
    }

    static func endsAuthority(_ character: Character) -> Bool {
        character == "/" || character == "?" || character == "#"
    }

    /// Builds a request from an absolute `http`/`https` URL string.
    ///
    /// - Throws: ``TransportError`` with code ``TransportError/Code/invalidRequest`` when the
    ///   string is not an absolute http(s) URL.
    public init(method: Method, url: String, headerFields: HTTPFields = [:]) throws {
        guard let schemeEnd = url.firstRange(of: "://") else {
            throw TransportError(.invalidRequest, message: "not an absolute URL", url: url)
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw TransportError(.invalidRequest, message: "unsupported URL scheme '\(scheme)'", url: url)
        }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: Self.endsAuthority) ?? rest.endIndex
        let authority = String(rest[..<authorityEnd])
        guard !authority.isEmpty else {
            throw TransportError(.invalidRequest, message: "URL has no host", url: url)
        }
        var path = String(rest[authorityEnd...])
        if let fragment = path.firstIndex(of: "#") { path = String(path[..<fragment]) }
        if path.isEmpty || path.first == "?" { path = "/" + path }
        self.init(method: method, scheme: scheme, authority: authority, path: path, headerFields: headerFields)
    }
}
