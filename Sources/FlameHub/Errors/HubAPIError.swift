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
            return
                "received status code \(status) (\(errorResponse.code ?? "undefined")): \(errorResponse.shownMessage)"
        }
        let text = bodyText.map { ": \($0)" } ?? ""
        return "received status code \(status) (undefined)\(text)"
    }
}
