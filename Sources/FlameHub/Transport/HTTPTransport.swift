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

/// Header text the SDK is given as plain strings (a user agent, a body's or a form part's content
/// type, a part's name and file name) reaches the wire without `HTTPField`'s legalisation: a CR
/// or LF would end the header line and start a header (or a part) of the caller's input's
/// choosing, and a NUL would cut the C string libcurl is given. Such text is refused before
/// anything is sent, rather than silently changed.
enum HeaderText {
    /// - Throws: ``TransportError`` (``TransportError/Code/invalidRequest``) naming `what`, when
    ///   `value` contains CR, LF or NUL. The value itself is not repeated (it may be a secret).
    ///   `url` is built only then: every request passes here, and a clean one never needs it.
    static func check(_ value: String, _ what: @autoclosure () -> String, url: @autoclosure () -> String?) throws {
        guard value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }) else { return }
        throw TransportError(
            .invalidRequest, message: "\(what()) contains a line break or a NUL character; refused before sending",
            url: url())
    }

    /// Checks the strings of `body` (its content type, a form's part names, file names and types)
    /// and, when the request sets none itself, the transport's `userAgent`.
    static func check(_ request: HTTPRequest, body: RequestBody?, userAgent: String?) throws {
        // The URL only for an error (a computed property: nothing is built on a clean request).
        var url: String { request.urlString }
        if request.headerFields[.userAgent] == nil, let userAgent { try check(userAgent, "the User-Agent", url: url) }
        guard let body else { return }
        if let type = body.contentType { try check(type, "the body's Content-Type", url: url) }
        guard case .multipart(let form) = body.content else { return }
        for part in form.parts {
            try check(part.name, "the name of a form part", url: url)
            if let filename = part.filename {
                try check(filename, "the file name of form part '\(part.name)'", url: url)
            }
            if let type = part.contentType { try check(type, "the Content-Type of form part '\(part.name)'", url: url) }
        }
    }
}
