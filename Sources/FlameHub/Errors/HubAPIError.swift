import HTTPTypes

/// The Hub (or authup) answered with a status the call does not expect.
///
/// Carries the HTTP status, the response header fields, the parsed ``ErrorResponse`` (when the
/// body is a JSON object) and the raw body text otherwise. Its description reads like the Python
/// client's: `received status code 400 (undefined): Can't find realm entity by realm_id`.
public struct HubAPIError: Error, Sendable, CustomStringConvertible {
    /// The HTTP status code.
    public var status: Int
    /// The response header fields.
    public var headers: HTTPFields
    /// The parsed error body, when it was a JSON object.
    public var errorResponse: ErrorResponse?
    /// The body as text, when it was not JSON (truncated to 1 KiB).
    public var bodyText: String?
    /// The request that failed, as `METHOD url` (secret query values redacted).
    public var request: String

    /// Creates an error from a response.
    public init(status: Int, headers: HTTPFields = [:], body: [UInt8], request: String) {
        self.status = status
        self.headers = headers
        self.request = request
        errorResponse = ErrorResponse(body: body, httpStatus: status)
        if errorResponse == nil && !body.isEmpty {
            bodyText = String(decoding: body.prefix(1024), as: UTF8.self)
        }
    }

    /// The machine code of the error body, if any.
    public var code: String? { errorResponse?.code }

    /// The human message of the error body (or the raw body text).
    public var message: String { errorResponse?.message ?? bodyText ?? "" }

    public var description: String {
        if let errorResponse {
            return "received status code \(status) (\(errorResponse.code ?? "undefined")): \(errorResponse.message)"
        }
        let text = bodyText.map { ": \($0)" } ?? ""
        return "received status code \(status) (undefined)\(text)"
    }
}

/// A response body could not be decoded into the expected model.
///
/// Names the model, the key path inside the JSON and the request line, never a value.
public struct HubDecodingError: Error, Sendable, CustomStringConvertible {
    /// The Swift type that was being decoded, e.g. `ResourceList<Realm>`.
    public var model: String
    /// The key path where decoding failed, e.g. `data[3].createdAt`.
    public var keyPath: String
    /// What was wrong at that path.
    public var reason: String
    /// The request whose response this was, as `METHOD url` (secret query values redacted).
    public var request: String

    /// Creates an error.
    public init(model: String, keyPath: String, reason: String, request: String) {
        self.model = model
        self.keyPath = keyPath
        self.reason = reason
        self.request = request
    }

    public var description: String {
        "cannot decode \(model) at '\(keyPath.isEmpty ? "<root>" : keyPath)': \(reason) (response to \(request))"
    }
}
