#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The parsed error body of a Hub or authup response, in either generation's shape.
///
/// Legacy bodies carry `statusCode`, `code`, `message` (often empty) and extra keys such as
/// `attributes`/`children`; current ones `code`, `message`, `issues` and extras like `error`,
/// `error_description`, but no `statusCode` — it then falls back to the HTTP status.
public struct ErrorResponse: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The status code from the body, or the HTTP status when the body has none.
    public var statusCode: Int
    /// The machine code (`entity_not_found`, `NOT_FOUND`, `invalid_credentials`, …), if any.
    public var code: String?
    /// The human text (may be empty on legacy servers).
    public var message: String
    /// Structured validation issues (current generation); empty when there are none.
    public var issues: [Issue]
    /// Every other key of the body, as sent.
    public var extra: [String: JSONValue]

    /// One validation issue.
    public struct Issue: Sendable, Hashable, Codable {
        /// The issue kind, e.g. `item`.
        public var type: String?
        /// The validator code, e.g. `required`.
        public var code: String?
        /// The property path, e.g. `["name"]` (indices as decimal strings).
        public var path: [String]
        /// The human text.
        public var message: String?
        /// Every other key of the issue.
        public var extra: [String: JSONValue]

        /// Creates an issue.
        public init(
            type: String? = nil, code: String? = nil, path: [String] = [], message: String? = nil,
            extra: [String: JSONValue] = [:]
        ) {
            self.type = type
            self.code = code
            self.path = path
            self.message = message
            self.extra = extra
        }

        init(_ value: JSONValue) {
            var members: [String: JSONValue] = [:]
            if case .object(let object) = value { members = object }
            type = members.removeValue(forKey: "type")?.stringValue
            code = members.removeValue(forKey: "code")?.stringValue
            message = members.removeValue(forKey: "message")?.stringValue
            if case .array(let parts)? = members.removeValue(forKey: "path") {
                path = parts.map { $0.stringValue ?? $0.description }
            } else {
                path = []
            }
            extra = members
        }
    }

    /// Creates an error response.
    public init(
        statusCode: Int, code: String? = nil, message: String = "", issues: [Issue] = [],
        extra: [String: JSONValue] = [:]
    ) {
        self.statusCode = statusCode
        self.code = code
        self.message = message
        self.issues = issues
        self.extra = extra
    }

    /// Parses `body`; nil when it is not a JSON object.
    public init?(body: [UInt8], httpStatus: Int) {
        // FastJSONDecoder, not JSONDecoder: JSONValue's tries of each type cost JSONDecoder time
        // growing with the square of the nesting (found by Fuzz/FuzzErrors: 600 bytes of `[[[…]]]`
        // took seconds), and a proxy or a hostile server chooses the error body.
        guard !body.isEmpty, let value = try? FastJSONDecoder().decode(JSONValue.self, from: body),
            case .object(var members) = value
        else { return nil }
        let bodyStatus = members.removeValue(forKey: "statusCode") ?? members.removeValue(forKey: "status_code")
        statusCode = bodyStatus?.intValue ?? httpStatus
        // A body without `code`/`message` (a proxy's, a framework's default, an OAuth2 error of
        // RFC 6749 §5.2) still names the error: `error` and `error_description` stand in, kept
        // in `extra` too. A code that is not a string (`"code": 42`) is read as its JSON text.
        code = Self.text(members.removeValue(forKey: "code")) ?? Self.text(members["error"])
        message =
            Self.text(members.removeValue(forKey: "message")) ?? Self.text(members["error_description"])
            ?? ""
        if case .array(let list)? = members.removeValue(forKey: "issues") {
            issues = list.map(Issue.init)
        } else {
            issues = []
        }
        extra = members
    }

    public var description: String {
        "received status code \(statusCode) (\(code ?? "undefined")): \(shownMessage)"
    }

    /// The message as the descriptions show it: the Python client's words when it is blank.
    var shownMessage: String {
        message.allSatisfy(\.isWhitespace) ? "no error message present" : message
    }

    /// A non-empty string member, or the JSON text of a number or boolean; nil for absent, null,
    /// blank, arrays and objects (whose text would say nothing to a reader).
    private static func text(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text)?: text.allSatisfy(\.isWhitespace) ? nil : text
        case .number?, .bool?: value?.description
        default: nil
        }
    }
}
