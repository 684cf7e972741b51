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
        // Scanned as UTF-8 (the delimiters are ASCII): Character-wise searches cost more than
        // the rest of building a request, and every call of the SDK builds one.
        let bytes = url.utf8
        var schemeEnd: String.Index?
        var cursor = bytes.startIndex
        while cursor < bytes.endIndex {
            if bytes[cursor] == UInt8(ascii: ":"), bytes[bytes.index(after: cursor)...].starts(with: "//".utf8) {
                schemeEnd = cursor
                break
            }
            cursor = bytes.index(after: cursor)
        }
        guard let schemeEnd else {
            throw TransportError(.invalidRequest, message: "not an absolute URL", url: url)
        }
        let scheme = url[..<schemeEnd].lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw TransportError(.invalidRequest, message: "unsupported URL scheme '\(scheme)'", url: url)
        }
        let restStart = bytes.index(schemeEnd, offsetBy: 3)
        let authorityEnd =
            bytes[restStart...].firstIndex {
                $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#")
            } ?? bytes.endIndex
        let authority = String(url[restStart..<authorityEnd])
        guard !authority.isEmpty else {
            throw TransportError(.invalidRequest, message: "URL has no host", url: url)
        }
        let pathEnd = bytes[authorityEnd...].firstIndex(of: UInt8(ascii: "#")) ?? bytes.endIndex
        var path = String(url[authorityEnd..<pathEnd])
        if path.isEmpty || path.utf8.first == UInt8(ascii: "?") { path = "/" + path }
        self.init(method: method, scheme: scheme, authority: authority, path: path, headerFields: headerFields)
    }
}
