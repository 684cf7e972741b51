import FlameHub
import FuzzSupport

/// An error body of either generation (legacy `{statusCode, code, message}`, current
/// `{code, message, issues}`, authup's OAuth `{error, error_description}`, HTML from a proxy):
/// parsing and describing it never crashes, keeps the HTTP status when the body has none, and
/// bounds the raw text it keeps.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzErrors(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Fuzz.bytes(data, size)
    let status = 400 + Int(bytes.first ?? 0) % 200
    let error = HubAPIError(status: status, body: bytes, request: "GET http://hub.test/core/nodes")
    _ = error.description
    _ = error.code
    _ = error.message
    if let response = error.errorResponse {
        _ = response.description
        for issue in response.issues { _ = issue.path }
    } else if let text = error.bodyText, text.utf8.count > 1024 * 3 {
        Fuzz.fail("bodyText keeps \(text.utf8.count) bytes (the cap is 1 KiB of the body)")
    }
    if let parsed = ErrorResponse(body: bytes, httpStatus: status), error.errorResponse != parsed {
        Fuzz.fail("ErrorResponse parses the same body two ways")
    }
    return 0
}
