import ArgumentParser
import FlameHub

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The process exit codes of `flamehub` (sysexits-like, documented in the README and `--help`).
enum ExitStatus: Int32, CaseIterable {
    /// Success.
    case ok = 0
    /// The command line was wrong (ArgumentParser uses 64 for its own validation errors too).
    case usage = 64
    /// Input data was rejected: a malformed id, filter or body field, or the Hub answered 400/422.
    case dataError = 65
    /// An input file could not be read.
    case noInput = 66
    /// Authentication failed or no usable credentials were given (401, token endpoint errors).
    case authentication = 67
    /// The record or endpoint does not exist (404, `get` of an unknown id).
    case notFound = 69
    /// Any other API error: 5xx, unexpected statuses, undecodable answers, an operation the
    /// connected Hub's generation lacks.
    case apiError = 70
    /// An output file or directory could not be written.
    case cannotCreate = 73
    /// The network failed: connection refused, DNS, TLS, proxy, timeouts.
    case network = 75
    /// The Hub refused the operation for lack of permission (403).
    case permission = 77

    /// One line per code, for `--help` and the README.
    static let summary = """
        Exit codes: 0 ok, 64 usage, 65 bad input data (also Hub 400/422), 66 unreadable input file, \
        67 authentication, 69 not found, 70 other API error, 73 cannot write output, \
        75 network or TLS, 77 permission denied (403).
        """
}

/// A failure of the command line itself, with the sentence to print and the exit status.
struct CLIError: Error, CustomStringConvertible {
    var status: ExitStatus
    var message: String

    init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    var description: String { message }
}

/// Turns any error into one sentence for stderr and an exit status.
enum Failure {
    static func classify(_ error: any Error) -> CLIError {
        switch error {
        case let error as CLIError:
            return error
        case let error as HubAPIError:
            return api(error)
        case let error as SecondFactorRequiredError:
            let devices =
                error.kinds.isEmpty ? "" : " (devices: \(error.kinds.map(\.rawValue).joined(separator: ", ")))"
            return CLIError(
                .authentication,
                "authentication failed: the user has a second factor\(devices); "
                    + "give its one-time code in FLAME_HUB_OTP or with --otp-file")
        case let error as TransportError:
            return CLIError(
                .network, "network error: \(error.message) (\(error.code)\(error.url.map { ", \($0)" } ?? ""))")
        case let error as HubClientError:
            return client(error)
        case let error as HubDecodingError:
            return CLIError(.apiError, "unexpected answer: \(error)")
        case let error as DecodingError:
            return CLIError(.dataError, "invalid input: \(describe(error))")
        case is CancellationError:
            return CLIError(.apiError, "cancelled")
        default:
            return CLIError(.apiError, "\(error)")
        }
    }

    private static func api(_ error: HubAPIError) -> CLIError {
        let status: ExitStatus =
            switch error.status {
            case 401: .authentication
            case 403: .permission
            case 404: .notFound
            case 400, 422: .dataError
            default: .apiError
            }
        var sentence = "the Hub answered \(error.status)"
        if let code = error.code { sentence += " (\(code))" }
        let message = error.message.trimmingSpacesAndNewlines
        if !message.isEmpty { sentence += ": \(message)" }
        if let issues = error.errorResponse?.issues, !issues.isEmpty {
            let listed = issues.prefix(5).map { issue in
                let path = issue.path.joined(separator: ".")
                return path.isEmpty
                    ? (issue.message ?? issue.code ?? "?") : "\(path): \(issue.message ?? issue.code ?? "?")"
            }
            sentence += " [\(listed.joined(separator: "; "))]"
        }
        sentence += " — \(error.request)"
        // A failed login is an authentication problem whatever status authup chose for it.
        if error.request.hasSuffix("/token") && (400..<500).contains(error.status) {
            return CLIError(.authentication, "authentication failed: " + sentence)
        }
        return CLIError(status, sentence)
    }

    private static func client(_ error: HubClientError) -> CLIError {
        switch error.code {
        case .invalidIdentifier, .invalidFilter:
            return CLIError(.dataError, error.message)
        case .fileSystem:
            return CLIError(.noInput, error.message)
        case .invalidTokenResponse:
            return CLIError(.authentication, error.message)
        case .versionDetectionFailed, .invalidURL:
            return CLIError(.usage, "\(error.message) (check --hub or the service URLs; --generation skips detection)")
        default:
            return CLIError(.apiError, error.message)
        }
    }

    /// A decoding error of command-line input, naming the field.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return
                "the required field '\(parent.isEmpty ? key.stringValue : parent + "." + key.stringValue)' is missing"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return "field '\(path(context))': expected \(typeName(type))"
        case .dataCorrupted(let context):
            let at = path(context)
            return at.isEmpty ? context.debugDescription : "field '\(at)': \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    /// `Optional<Swift.Bool>` → `a boolean`.
    private static func typeName(_ type: Any.Type) -> String {
        let name = String(describing: type)
        if name.contains("Bool") { return "true or false" }
        if name.contains("Int") || name.contains("Double") { return "a number" }
        if name.contains("String") { return "a string" }
        if name.contains("Array") || name.hasPrefix("[") { return "a list" }
        if name.contains("Dictionary") { return "an object" }
        return "a value of type \(name)"
    }
}

extension String {
    /// Without leading and trailing spaces and line breaks.
    var trimmingSpacesAndNewlines: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
