import HTTPTypes
import Logging

/// Logs each request: the request line, status and timing at `debug`, header fields at `trace`.
///
/// `Authorization`, `Cookie`, `Proxy-Authorization` and token-like values are redacted, as are
/// secret-looking query parameters.
public struct LoggingMiddleware: HTTPMiddleware {
    /// The logger that receives the lines.
    public var logger: Logger

    /// Logs through `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    public func intercept(
        _ request: HTTPRequest,
        body: RequestBody?,
        next: @Sendable (HTTPRequest, RequestBody?) async throws -> (HTTPResponse, ResponseBody)
    ) async throws -> (HTTPResponse, ResponseBody) {
        let line = "\(request.method.rawValue) \(Redaction.redactQuery(request.urlString))"
        if logger.logLevel <= .trace {
            logger.trace(
                "request headers", metadata: ["request": "\(line)", "headers": Self.describe(request.headerFields)])
        }
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let (response, responseBody) = try await next(request, body)
            logger.debug(
                "\(line) -> \(response.status.code)",
                metadata: ["duration_ms": "\(Self.milliseconds(clock.now - start))"])
            if logger.logLevel <= .trace {
                logger.trace(
                    "response headers",
                    metadata: ["request": "\(line)", "headers": Self.describe(response.headerFields)])
            }
            return (response, responseBody)
        } catch {
            logger.debug(
                "\(line) failed: \(error)",
                metadata: ["duration_ms": "\(Self.milliseconds(clock.now - start))"])
            throw error
        }
    }

    static func describe(_ fields: HTTPFields) -> Logger.MetadataValue {
        .array(fields.map { .string("\($0.name): \(Redaction.headerValue($0))") })
    }

    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let ms = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        return String(Int((ms * 10).rounded()) / 10) + "." + String(Int((ms * 10).rounded()) % 10)
    }
}
