#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import HTTPTypes

/// When and how often a failed request is tried again.
///
/// Idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS) are retried after connection failures,
/// timeouts before any response byte, and the ``retryableStatuses``. Other methods (POST, PATCH
/// and any other) are retried only when the failure proves nothing reached the server
/// (``TransportError/mayHaveReachedServer`` is false: connection refused, DNS failure, connect
/// timeout), unless ``retriesNonIdempotentRequests`` opts in. A one-shot streamed body is never
/// replayed. Delays grow exponentially with full jitter and honour `Retry-After`, within
/// ``maxAttempts`` and ``maxTotalDelay``.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included (1 disables retrying). Default 4.
    public var maxAttempts: Int
    /// The delay cap of the first retry; it doubles for each further one. Default 0.2 s.
    public var baseDelay: Duration
    /// The largest delay between two attempts. Default 10 s.
    public var maxDelay: Duration
    /// The most time spent waiting between attempts overall. Default 30 s.
    public var maxTotalDelay: Duration
    /// Statuses that are retried for idempotent methods. Default 408, 429, 500, 502, 503, 504.
    public var retryableStatuses: Set<Int>
    /// Whether a `Retry-After` header sets the delay (capped by ``maxDelay``). Default true.
    public var honoursRetryAfter: Bool
    /// Whether POST, PATCH and other non-idempotent requests are retried like idempotent ones,
    /// also when the server may have received them. Only for servers that make such requests
    /// safe to repeat (for example by deduplicating them). Default false.
    public var retriesNonIdempotentRequests: Bool

    /// A policy with the documented defaults, any of which can be overridden.
    public init(
        maxAttempts: Int = 4,
        baseDelay: Duration = .milliseconds(200),
        maxDelay: Duration = .seconds(10),
        maxTotalDelay: Duration = .seconds(30),
        retryableStatuses: Set<Int> = [408, 429, 500, 502, 503, 504],
        honoursRetryAfter: Bool = true,
        retriesNonIdempotentRequests: Bool = false
    ) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxTotalDelay = maxTotalDelay
        self.retryableStatuses = retryableStatuses
        self.honoursRetryAfter = honoursRetryAfter
        self.retriesNonIdempotentRequests = retriesNonIdempotentRequests
    }

    /// The defaults.
    public static let `default` = RetryPolicy()
    /// Never retry.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The methods that may be sent twice without harm; the curl transport never lets libcurl
    /// resend a request of any other method on its own either.
    static let idempotentMethods: Set<HTTPRequest.Method> = [.get, .head, .put, .delete, .options]

    func repeats(_ method: HTTPRequest.Method) -> Bool {
        retriesNonIdempotentRequests || Self.idempotentMethods.contains(method)
    }

    /// Whether a response with `status` to a `method` request is worth another attempt.
    public func shouldRetry(method: HTTPRequest.Method, status: Int) -> Bool {
        repeats(method) && retryableStatuses.contains(status)
    }

    /// Whether a transport failure of a `method` request is worth another attempt.
    public func shouldRetry(method: HTTPRequest.Method, error: TransportError) -> Bool {
        let transient: Set<TransportError.Code> = [
            .couldNotResolveHost, .connectionFailed, .connectTimeout, .sendFailed, .receiveFailed,
            .requestTimeout, .stalled, .proxyFailure, .couldNotResolveProxy,
        ]
        guard transient.contains(error.code) else { return false }
        if !error.mayHaveReachedServer { return true }
        // Something may have been sent: only methods that can be repeated without harm.
        return repeats(method)
    }

    /// The delay before retry number `retry` (1 for the first retry): full jitter over an
    /// exponentially growing cap, or the server's `Retry-After` when it gave one.
    public func delay(
        forRetry retry: Int, retryAfter: Duration?,
        random: (ClosedRange<Double>) -> Double = { Double.random(in: $0) }
    ) -> Duration {
        if honoursRetryAfter, let retryAfter {
            return min(max(retryAfter, .zero), maxDelay)
        }
        let exponent = min(max(retry - 1, 0), 30)
        let cap = min(baseDelay * (1 << exponent), maxDelay)
        let fraction = random(0...1)
        return cap * fraction
    }

    /// Parses a `Retry-After` value: delay seconds or an HTTP-date (relative to `now`).
    public static func parseRetryAfter(_ value: String, now: Date = Date()) -> Duration? {
        let trimmed = value.trimmingSpaces()
        if let seconds = Int(trimmed) {
            return seconds >= 0 ? .seconds(seconds) : nil
        }
        guard let date = HTTPDate.parse(trimmed, now: now) else { return nil }
        let interval = date.timeIntervalSince(now)
        return .milliseconds(Int64((max(interval, 0) * 1000).rounded()))
    }
}

/// Whether the caller of the current task reads response bodies whole (records, lists, error
/// bodies) and up to which size. Set by the SDK around such calls; ``RetryMiddleware`` then
/// collects the body inside the attempt, so that an idempotent request whose body is cut mid-way
/// is retried. Streamed bodies (downloads) are never set: what the caller has read cannot be
/// taken back.
enum BodyCollection {
    @TaskLocal static var limit: Int?
}

/// Retries failed requests according to a ``RetryPolicy``.
///
/// A response body is part of the attempt only when the SDK reads it whole (records, lists, error
/// bodies): then a body cut mid-way is retried like a reset before the head. A streamed body
/// (``StorageClient`` downloads, ``HTTPTransport/send(_:body:)`` callers) is handed on as it
/// comes, and a failure while it is read is the caller's to retry.
public struct RetryMiddleware: HTTPMiddleware {
    /// The policy in force.
    public var policy: RetryPolicy
    let sleep: @Sendable (Duration) async throws -> Void

    /// Retries according to `policy`.
    public init(policy: RetryPolicy = .default) {
        self.init(policy: policy, sleep: { try await Task.sleep(for: $0) })
    }

    init(policy: RetryPolicy, sleep: @escaping @Sendable (Duration) async throws -> Void) {
        self.policy = policy
        self.sleep = sleep
    }

    public func intercept(
        _ request: HTTPRequest,
        body: RequestBody?,
        next: @Sendable (HTTPRequest, RequestBody?) async throws -> (HTTPResponse, ResponseBody)
    ) async throws -> (HTTPResponse, ResponseBody) {
        let replayable = body?.isReplayable ?? true
        var attempt = 1
        var waited = Duration.zero
        while true {
            do {
                var (response, responseBody) = try await next(request, body)
                if let limit = BodyCollection.limit, replayable, attempt < policy.maxAttempts,
                    policy.repeats(request.method)
                {
                    // The caller reads this body whole anyway: read it here, so that a body cut
                    // mid-way is one more transport failure of the attempt, retried like the others.
                    responseBody = ResponseBody(bytes: try await responseBody.collect(upTo: limit))
                }
                guard replayable, attempt < policy.maxAttempts,
                    policy.shouldRetry(method: request.method, status: response.status.code)
                else { return (response, responseBody) }
                let retryAfter = response.headerFields[.retryAfter].flatMap { RetryPolicy.parseRetryAfter($0) }
                let delay = policy.delay(forRetry: attempt, retryAfter: retryAfter)
                // Out of time: the caller sees the last real response, not a made-up error.
                guard waited + delay <= policy.maxTotalDelay else { return (response, responseBody) }
                // Give the connection back before waiting.
                try? await responseBody.discard()
                waited += delay
                try await sleep(delay)
            } catch let error as TransportError {
                guard replayable, attempt < policy.maxAttempts,
                    policy.shouldRetry(method: request.method, error: error)
                else { throw error }
                let delay = policy.delay(forRetry: attempt, retryAfter: nil)
                guard waited + delay <= policy.maxTotalDelay else { throw error }
                waited += delay
                try await sleep(delay)
            }
            attempt += 1
        }
    }
}

/// HTTP-date parsing. RFC 9110 asks recipients to accept all three formats:
/// IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, RFC 850 `Sunday, 06-Nov-94 08:49:37 GMT` and
/// asctime `Sun Nov  6 08:49:37 1994`.
///
/// All three are UTC, so the instant is computed from the fields: no calendar or time-zone
/// database is needed, which a program linking FoundationEssentials alone does not have.
enum HTTPDate {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func parse(_ text: String, now: Date = Date()) -> Date? {
        let parts = text.split(separator: " ")
        let day: Substring
        let month: Substring
        let year: Substring
        let time: Substring
        if parts.count == 6, parts[0].hasSuffix(","), parts[5] == "GMT" {
            (day, month, year, time) = (parts[1], parts[2], parts[3], parts[4])
        } else if parts.count == 4, parts[0].hasSuffix(","), parts[3] == "GMT" {
            let date = parts[1].split(separator: "-", omittingEmptySubsequences: false)
            guard date.count == 3 else { return nil }
            (day, month, year, time) = (date[0], date[1], date[2], parts[2])
        } else if parts.count == 5, !parts[0].hasSuffix(",") {
            (day, month, year, time) = (parts[2], parts[1], parts[4], parts[3])
        } else {
            return nil
        }
        let clock = time.split(separator: ":", omittingEmptySubsequences: false)
        guard day.count <= 2, let dayNumber = Int(day), (1...31).contains(dayNumber),
            let monthIndex = months.firstIndex(of: String(month)),
            year.count == 4 || year.count == 2, var yearNumber = Int(year),
            clock.count == 3, clock.allSatisfy({ $0.count == 2 }),
            let hour = Int(clock[0]), let minute = Int(clock[1]), let second = Int(clock[2]),
            hour < 24, minute < 60, second < 61
        else { return nil }
        if year.count == 2 {
            // RFC 9110: a two-digit year more than 50 years ahead means the century before.
            let currentYear = utcYear(of: now)
            yearNumber += currentYear - currentYear % 100
            if yearNumber > currentYear + 50 { yearNumber -= 100 }
        }
        let monthNumber = monthIndex + 1
        let days = ISO8601.daysFromCivil(year: yearNumber, month: monthNumber, day: dayNumber)
        let nextMonth =
            monthNumber == 12
            ? ISO8601.daysFromCivil(year: yearNumber + 1, month: 1, day: 1)
            : ISO8601.daysFromCivil(year: yearNumber, month: monthNumber + 1, day: 1)
        guard days < nextMonth else { return nil }  // 31 Feb is not a date
        // A leap second (60) is read as the second before it.
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + min(second, 59)
        return Date(timeIntervalSince1970: Double(seconds))
    }

    /// The UTC calendar year of `date`.
    static func utcYear(of date: Date) -> Int {
        let days = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        // An estimate within a year of the truth, then corrected against the calendar.
        var year = 1970 + Int((Double(days) / 365.2425).rounded(.down))
        while ISO8601.daysFromCivil(year: year, month: 1, day: 1) > days { year -= 1 }
        while ISO8601.daysFromCivil(year: year + 1, month: 1, day: 1) <= days { year += 1 }
        return year
    }
}
