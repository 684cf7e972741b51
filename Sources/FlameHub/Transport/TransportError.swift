#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import HTTPTypes
/// A failure to get a response: the connection, TLS, proxy, a timeout, or a refused body.
///
/// A struct with an opaque ``Code`` (like async-http-client's `HTTPClientError`) so that new kinds
/// of failure never break callers' `switch` statements. The ``url`` never carries credentials.
public struct TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String

        /// The host name could not be resolved.
        public static let couldNotResolveHost = Code(name: "couldNotResolveHost")
        /// The proxy's host name could not be resolved.
        public static let couldNotResolveProxy = Code(name: "couldNotResolveProxy")
        /// The server (or the proxy) refused or did not accept the connection.
        public static let connectionFailed = Code(name: "connectionFailed")
        /// Time ran out while a connection was being opened (the connect timeout, or the request
        /// timeout if it is shorter), before anything of the request was sent.
        public static let connectTimeout = Code(name: "connectTimeout")
        /// The whole request took longer than its timeout, after it was (or began to be) sent.
        public static let requestTimeout = Code(name: "requestTimeout")
        /// The transfer moved slower than the configured minimum speed for the whole window.
        public static let stalled = Code(name: "stalled")
        /// The TLS handshake or certificate verification failed.
        public static let tlsFailure = Code(name: "tlsFailure")
        /// The server's public key did not match the pinned key.
        public static let pinnedKeyMismatch = Code(name: "pinnedKeyMismatch")
        /// The proxy refused the request or failed.
        public static let proxyFailure = Code(name: "proxyFailure")
        /// Sending the request failed after the connection was made.
        public static let sendFailed = Code(name: "sendFailed")
        /// Receiving the response failed (connection reset, truncated response).
        public static let receiveFailed = Code(name: "receiveFailed")
        /// The server's answer is not HTTP (garbage instead of a status line, a malformed head).
        public static let invalidResponse = Code(name: "invalidResponse")
        /// More redirects than allowed.
        public static let tooManyRedirects = Code(name: "tooManyRedirects")
        /// A collected body was larger than allowed.
        public static let bodyTooLarge = Code(name: "bodyTooLarge")
        /// The request could not be built (bad URL, unreadable upload file, bad option).
        public static let invalidRequest = Code(name: "invalidRequest")
        /// The transport was shut down.
        public static let shutdown = Code(name: "shutdown")
        /// Any other failure; ``TransportError/curlCode`` tells which.
        public static let other = Code(name: "other")

        public var description: String { name }
    }

    /// What kind of failure this is.
    public var code: Code
    /// libcurl's `CURLcode`, when the failure came from libcurl.
    public var curlCode: Int?
    /// A human-readable explanation (libcurl's text or ours); never contains secrets.
    public var message: String
    /// The request URL with any user name and password removed.
    public var url: String?
    /// Whether any part of the request may have reached the server.
    ///
    /// True as soon as the transport began to send the request, whether on a new or a reused
    /// connection, even when the server never answered. When false, nothing of the request left
    /// (DNS, connect, proxy or TLS failed first), so it can be sent again safely even if it is
    /// not idempotent.
    public var mayHaveReachedServer: Bool

    /// Creates an error; `url` is stripped of credentials.
    public init(
        _ code: Code, message: String, url: String? = nil, curlCode: Int? = nil, mayHaveReachedServer: Bool = false
    ) {
        self.code = code
        self.message = message
        self.url = url.map(Self.redactingCredentials)
        self.curlCode = curlCode
        self.mayHaveReachedServer = mayHaveReachedServer
    }

    public var description: String {
        var text = "transport error \(code)"
        if let curlCode { text += " (curl \(curlCode))" }
        text += ": \(message)"
        if let url { text += " [\(url)]" }
        return text
    }

    static func bodyTooLarge(limit: Int) -> TransportError {
        TransportError(
            .bodyTooLarge, message: "response body exceeds the limit of \(limit) bytes", mayHaveReachedServer: true)
    }

    /// Removes `user:password@` from a URL and the values of query parameters that look secret.
    static func redactingCredentials(_ url: String) -> String {
        var result = url
        if let schemeEnd = result.firstRange(of: "://") {
            let rest = result[schemeEnd.upperBound...]
            let authorityEnd = rest.firstIndex(where: HTTPRequest.endsAuthority) ?? rest.endIndex
            if let at = rest[..<authorityEnd].lastIndex(of: "@") {
                result.replaceSubrange(schemeEnd.upperBound...at, with: "")
            }
        }
        return Redaction.redactQuery(result)
    }
}
