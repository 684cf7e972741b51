/// A problem found on the client side before (or instead of) a request: a malformed id, a
/// filter the server would misread, an endpoint the server's generation does not have.
public struct HubClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String

        /// An id is not a UUID.
        public static let invalidIdentifier = Code(name: "invalidIdentifier")
        /// A filter, sort or field cannot be sent as written.
        public static let invalidFilter = Code(name: "invalidFilter")
        /// The server's generation lacks the endpoint or cannot express the query.
        public static let unsupportedByServer = Code(name: "unsupportedByServer")
        /// The service's version could not be detected from `GET /`.
        public static let versionDetectionFailed = Code(name: "versionDetectionFailed")
        /// A base URL or path is not usable.
        public static let invalidURL = Code(name: "invalidURL")
        /// The token endpoint answered with something that is not a token.
        public static let invalidTokenResponse = Code(name: "invalidTokenResponse")

        public var description: String { name }
    }

    /// What kind of problem this is.
    public var code: Code
    /// A human-readable explanation (never contains secrets).
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
