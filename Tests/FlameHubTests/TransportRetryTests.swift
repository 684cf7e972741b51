import FlameHubTesting
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import HTTPTypes
import Synchronization
import Testing

@testable import FlameHub

/// Records the delays the retry middleware asks for instead of sleeping.
private final class SleepRecorder: Sendable {
    private let delays = Mutex<[Duration]>([])
    var recorded: [Duration] { delays.withLock { $0 } }
    var sleep: @Sendable (Duration) async throws -> Void {
        { duration in self.delays.withLock { $0.append(duration) } }
    }
}

private func request(_ method: HTTPRequest.Method, _ path: String = "/core/nodes") throws -> HTTPRequest {
    try HTTPRequest(method: method, url: "http://hub.test\(path)")
}

private func oneShot(_ text: String) -> RequestBody {
    let chunks = AsyncStream<[UInt8]> { continuation in
        continuation.yield(Array(text.utf8))
        continuation.finish()
    }
    return .stream(chunks)
}

private let refused = TransportError(.connectionFailed, message: "refused", mayHaveReachedServer: false)
private let reset = TransportError(.receiveFailed, message: "connection reset", mayHaveReachedServer: true)

@Suite("Retry policy decisions")
struct TransportRetryPolicyTests {
    static let idempotent: [HTTPRequest.Method] = [.get, .head, .put, .delete, .options]

    @Test("idempotent methods retry 408, 429 and the 5xx gateway statuses", arguments: idempotent)
    func idempotentStatuses(method: HTTPRequest.Method) {
        let policy = RetryPolicy()
        for status in [408, 429, 500, 502, 503, 504] {
            #expect(policy.shouldRetry(method: method, status: status), "\(method) \(status)")
        }
        for status in [200, 201, 204, 301, 400, 401, 403, 404, 409, 422, 501, 505] {
            #expect(!policy.shouldRetry(method: method, status: status), "\(method) \(status)")
        }
    }

    @Test("POST and PATCH are never retried on a status", arguments: [HTTPRequest.Method.post, .patch])
    func nonIdempotentStatuses(method: HTTPRequest.Method) {
        for status in [408, 429, 500, 502, 503, 504] {
            #expect(!RetryPolicy().shouldRetry(method: method, status: status))
        }
    }

    @Test("custom retryable statuses replace the defaults")
    func customStatuses() {
        let policy = RetryPolicy(retryableStatuses: [409])
        #expect(policy.shouldRetry(method: .get, status: 409))
        #expect(!policy.shouldRetry(method: .get, status: 503))
    }

    @Test("transient transport errors are retried for idempotent methods, whatever was sent")
    func idempotentErrors() {
        let policy = RetryPolicy()
        let transient: [TransportError.Code] = [
            .couldNotResolveHost, .connectionFailed, .connectTimeout, .sendFailed, .receiveFailed, .requestTimeout,
            .stalled, .proxyFailure, .couldNotResolveProxy,
        ]
        for method in Self.idempotent {
            for code in transient {
                for reached in [false, true] {
                    let error = TransportError(code, message: "x", mayHaveReachedServer: reached)
                    #expect(policy.shouldRetry(method: method, error: error), "\(method) \(code) reached=\(reached)")
                }
            }
        }
    }

    @Test("POST is retried only when the error proves nothing reached the server")
    func postErrors() {
        let policy = RetryPolicy()
        #expect(policy.shouldRetry(method: .post, error: refused))
        #expect(
            policy.shouldRetry(method: .post, error: TransportError(.couldNotResolveHost, message: "no such host")))
        #expect(!policy.shouldRetry(method: .post, error: reset))
        #expect(
            !policy.shouldRetry(
                method: .post, error: TransportError(.requestTimeout, message: "slow", mayHaveReachedServer: true)))
        #expect(
            !policy.shouldRetry(
                method: .patch, error: TransportError(.sendFailed, message: "broken pipe", mayHaveReachedServer: true)))
    }

    @Test("permanent failures are never retried")
    func permanentErrors() {
        let policy = RetryPolicy()
        let permanent: [TransportError.Code] = [
            .tlsFailure, .pinnedKeyMismatch, .tooManyRedirects, .bodyTooLarge, .invalidRequest, .shutdown, .other,
        ]
        for code in permanent {
            #expect(!policy.shouldRetry(method: .get, error: TransportError(code, message: "x")), "\(code)")
        }
    }
}

@Suite("Backoff and Retry-After")
struct TransportBackoffTests {
    @Test("the cap doubles from the base delay up to the maximum delay")
    func exponentialCap() {
        let policy = RetryPolicy(baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        let caps = (1...6).map { policy.delay(forRetry: $0, retryAfter: nil, random: { $0.upperBound }) }
        #expect(
            caps == [
                .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1),
                .seconds(1),
            ])
        #expect(policy.delay(forRetry: 3, retryAfter: nil, random: { $0.lowerBound }) == .zero)
        // Huge retry numbers neither overflow nor exceed the cap.
        #expect(policy.delay(forRetry: 10_000, retryAfter: nil, random: { $0.upperBound }) == .seconds(1))
    }

    @Test("full jitter: every delay lies in [0, cap] and they spread over the range")
    func fullJitter() {
        let policy = RetryPolicy(baseDelay: .milliseconds(200), maxDelay: .seconds(10))
        for retry in 1...8 {
            let cap = min(Duration.milliseconds(200) * (1 << (retry - 1)), .seconds(10))
            let delays = (0..<500).map { _ in policy.delay(forRetry: retry, retryAfter: nil) }
            #expect(delays.allSatisfy { $0 >= .zero && $0 <= cap }, "retry \(retry)")
            // Full jitter, not "cap plus a little": both halves of the range are used.
            #expect(delays.contains { $0 < cap / 2 } && delays.contains { $0 > cap / 2 }, "retry \(retry)")
        }
    }

    @Test("the jitter draws from 0...1")
    func jitterRange() {
        let seen = Mutex<[ClosedRange<Double>]>([])
        _ = RetryPolicy().delay(forRetry: 2, retryAfter: nil) { range in
            seen.withLock { $0.append(range) }
            return 0.5
        }
        #expect(seen.withLock { $0 } == [0...1])
    }

    @Test("Retry-After replaces the backoff, capped by the maximum delay, unless ignored")
    func retryAfterDelay() {
        let policy = RetryPolicy(maxDelay: .seconds(5))
        #expect(policy.delay(forRetry: 1, retryAfter: .seconds(3)) == .seconds(3))
        #expect(policy.delay(forRetry: 1, retryAfter: .seconds(60)) == .seconds(5))
        #expect(policy.delay(forRetry: 1, retryAfter: .zero) == .zero)
        let ignoring = RetryPolicy(baseDelay: .milliseconds(100), honoursRetryAfter: false)
        #expect(ignoring.delay(forRetry: 1, retryAfter: .seconds(3), random: { $0.upperBound }) == .milliseconds(100))
    }

    @Test("Retry-After as delay seconds")
    func retryAfterSeconds() {
        #expect(RetryPolicy.parseRetryAfter("120") == .seconds(120))
        #expect(RetryPolicy.parseRetryAfter(" 7 ") == .seconds(7))
        #expect(RetryPolicy.parseRetryAfter("0") == .zero)
        #expect(RetryPolicy.parseRetryAfter("-1") == nil)
        #expect(RetryPolicy.parseRetryAfter("") == nil)
        #expect(RetryPolicy.parseRetryAfter("soon") == nil)
        #expect(RetryPolicy.parseRetryAfter("1.5") == nil)
    }

    @Test("Retry-After as an HTTP-date, relative to now")
    func retryAfterDate() {
        // Sun, 06 Nov 1994 08:49:37 GMT
        let date = Date(timeIntervalSince1970: 784_111_777)
        let header = "Sun, 06 Nov 1994 08:49:37 GMT"
        #expect(RetryPolicy.parseRetryAfter(header, now: date.addingTimeInterval(-30)) == .seconds(30))
        #expect(RetryPolicy.parseRetryAfter(header, now: date.addingTimeInterval(-0.25)) == .milliseconds(250))
        // A date in the past means "now".
        #expect(RetryPolicy.parseRetryAfter(header, now: date.addingTimeInterval(3600)) == .zero)
        #expect(
            RetryPolicy.parseRetryAfter(
                "Wed, 31 Dec 2025 23:59:59 GMT", now: Date(timeIntervalSince1970: 1_767_225_598))
                == .seconds(1))
    }

    @Test("Retry-After in the obsolete HTTP-date formats RFC 9110 still asks recipients to read")
    func retryAfterObsoleteDates() {
        let date = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT
        let before = date.addingTimeInterval(-30)
        #expect(RetryPolicy.parseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT", now: before) == .seconds(30))
        #expect(RetryPolicy.parseRetryAfter("Sun Nov  6 08:49:37 1994", now: before) == .seconds(30))
        // A two-digit year is read in the century that keeps it at most 50 years ahead.
        let in2026 = Date(timeIntervalSince1970: 1_795_000_000)
        #expect(HTTPDate.parse("Monday, 01-Jan-35 00:00:00 GMT", now: in2026).map { $0 > in2026 } == true)
        #expect(HTTPDate.parse("Friday, 01-Jan-99 00:00:00 GMT", now: in2026).map { $0 < in2026 } == true)
        // Malformed or impossible dates are not guessed at.
        for bad in [
            "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 CET",
            "Sun, 06 Foo 1994 08:49:37 GMT", "Sunday, 06-Nov 08:49:37 GMT", "Sun Nov 6 08:49 1994",
        ] {
            #expect(HTTPDate.parse(bad) == nil, "\(bad)")
        }
    }

    @Test(
        "malformed HTTP-dates are rejected",
        arguments: [
            "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49 GMT",
            "Sun, xx Nov 1994 08:49:37 GMT", "06 Nov 1994 08:49:37 GMT",
        ])
    func malformedDates(text: String) {
        #expect(RetryPolicy.parseRetryAfter(text) == nil)
    }
}

@Suite("RetryMiddleware over MockTransport")
struct TransportRetryMiddlewareTests {
    private func chain(_ mock: MockTransport, _ policy: RetryPolicy, _ sleeper: SleepRecorder) -> MiddlewareTransport {
        mock.with([RetryMiddleware(policy: policy, sleep: sleeper.sleep)])
    }

    @Test("a GET that gets 503 twice succeeds on the third attempt")
    func retriesUntilSuccess() async throws {
        let mock = MockTransport()
        mock.enqueue(.response(503), .response(502), .json(200, "{}"))
        let sleeper = SleepRecorder()
        let (response, body) = try await chain(mock, RetryPolicy(), sleeper).send(request(.get), body: nil)
        #expect(response.status.code == 200)
        #expect(try await body.collect(upTo: 100) == Array("{}".utf8))
        #expect(mock.requests.count == 3)
        #expect(sleeper.recorded.count == 2)
    }

    @Test("idempotent methods with a replayable body are retried with the same body")
    func replaysReplayableBody() async throws {
        let mock = MockTransport()
        mock.enqueue(.response(500), .response(204))
        let (response, _) = try await chain(mock, RetryPolicy(), SleepRecorder())
            .send(request(.put), body: .string("payload"))
        #expect(response.status.code == 204)
        #expect(mock.requests.map(\.bodyText) == ["payload", "payload"])
    }

    @Test("POST is not retried on a retryable status")
    func postStatusNotRetried() async throws {
        let mock = MockTransport()
        mock.enqueue(.response(503), .response(200))
        let (response, _) = try await chain(mock, RetryPolicy(), SleepRecorder())
            .send(request(.post), body: .string("create"))
        #expect(response.status.code == 503)
        #expect(mock.requests.count == 1)
    }

    @Test("POST is retried after a refused connection, not after a reset")
    func postErrors() async throws {
        let mock = MockTransport()
        mock.enqueue(.failure(refused), .response(201))
        let (response, _) = try await chain(mock, RetryPolicy(), SleepRecorder())
            .send(request(.post), body: .string("create"))
        #expect(response.status.code == 201)
        #expect(mock.requests.count == 2)

        mock.reset()
        mock.enqueue(.failure(reset), .response(201))
        await #expect(throws: reset) {
            try await chain(mock, RetryPolicy(), SleepRecorder()).send(request(.post), body: .string("create"))
        }
        #expect(mock.requests.count == 1)
    }

    @Test("a GET is retried after a reset (mayHaveReachedServer) since it is idempotent")
    func getAfterReset() async throws {
        let mock = MockTransport()
        mock.enqueue(.failure(reset), .response(200))
        let (response, _) = try await chain(mock, RetryPolicy(), SleepRecorder()).send(request(.get), body: nil)
        #expect(response.status.code == 200)
        #expect(mock.requests.count == 2)
    }

    @Test("a one-shot streamed body is never replayed, even after a refused connection")
    func oneShotNotReplayed() async throws {
        let mock = MockTransport()
        mock.enqueue(.response(503), .response(200))
        let (response, _) = try await chain(mock, RetryPolicy(), SleepRecorder())
            .send(request(.put), body: oneShot("once"))
        #expect(response.status.code == 503)
        #expect(mock.requests.count == 1)
        #expect(mock.requests.first?.bodyWasReplayable == false)

        mock.reset()
        mock.enqueue(.failure(refused), .response(200))
        await #expect(throws: refused) {
            try await chain(mock, RetryPolicy(), SleepRecorder()).send(request(.put), body: oneShot("once"))
        }
        #expect(mock.requests.count == 1)
    }

    @Test("a multipart form is replayed only if none of its parts is a one-shot stream")
    func multipartReplay() async throws {
        let replayable = RequestBody.multipart(MultipartForm([.init(name: "a", content: .bytes([1, 2, 3]))]))
        let oneShotForm = RequestBody.multipart(
            MultipartForm([
                .init(name: "a", content: .bytes([1])),
                .stream(name: "b", AsyncStream<[UInt8]> { $0.finish() }),
            ]))
        #expect(replayable.isReplayable)
        #expect(!oneShotForm.isReplayable)

        let mock = MockTransport()
        mock.enqueue(.response(503), .response(200))
        _ = try await chain(mock, RetryPolicy(), SleepRecorder()).send(request(.put), body: replayable)
        #expect(mock.requests.count == 2)

        mock.reset()
        mock.enqueue(.response(503), .response(200))
        let (response, _) = try await chain(mock, RetryPolicy(), SleepRecorder()).send(request(.put), body: oneShotForm)
        #expect(response.status.code == 503)
        #expect(mock.requests.count == 1)
    }

    @Test("attempts stop at maxAttempts: the last response is returned, the last error thrown")
    func maxAttempts() async throws {
        let mock = MockTransport { _ in .response(503) }
        let sleeper = SleepRecorder()
        let (response, _) = try await chain(mock, RetryPolicy(maxAttempts: 3), sleeper).send(request(.get), body: nil)
        #expect(response.status.code == 503)
        #expect(mock.requests.count == 3)
        #expect(sleeper.recorded.count == 2)

        let failing = MockTransport { _ in .failure(refused) }
        await #expect(throws: refused) {
            try await chain(failing, RetryPolicy(maxAttempts: 5), SleepRecorder()).send(request(.get), body: nil)
        }
        #expect(failing.requests.count == 5)

        let once = MockTransport { _ in .response(503) }
        _ = try await chain(once, .none, SleepRecorder()).send(request(.get), body: nil)
        #expect(once.requests.count == 1)
    }

    @Test("Retry-After sets the wait, and the total wait is capped by maxTotalDelay")
    func totalDelayCap() async throws {
        let headers: HTTPFields = [.retryAfter: "2"]
        let mock = MockTransport { _ in .response(429, headers: headers) }
        let sleeper = SleepRecorder()
        let policy = RetryPolicy(maxAttempts: 10, maxTotalDelay: .seconds(5))
        let (response, _) = try await chain(mock, policy, sleeper).send(request(.get), body: nil)
        #expect(response.status.code == 429)
        // 2 s + 2 s fit in 5 s; a third wait would not.
        #expect(sleeper.recorded == [.seconds(2), .seconds(2)])
        #expect(mock.requests.count == 3)
    }

    @Test("an HTTP-date Retry-After is honoured by the middleware")
    func retryAfterDateInMiddleware() async throws {
        var headers = HTTPFields()
        headers[.retryAfter] = HTTPDateFormatting.format(Date().addingTimeInterval(3))
        let mock = MockTransport()
        mock.enqueue(.response(503, headers: headers), .response(200))
        let sleeper = SleepRecorder()
        _ = try await chain(mock, RetryPolicy(), sleeper).send(request(.get), body: nil)
        let delay = try #require(sleeper.recorded.first)
        #expect(delay > .seconds(1) && delay <= .seconds(3))
    }

    @Test("backoff delays without Retry-After stay within the exponential cap")
    func backoffWithinCap() async throws {
        let mock = MockTransport { _ in .failure(refused) }
        let sleeper = SleepRecorder()
        let policy = RetryPolicy(maxAttempts: 6, baseDelay: .milliseconds(50), maxDelay: .milliseconds(300))
        await #expect(throws: TransportError.self) {
            try await chain(mock, policy, sleeper).send(request(.get), body: nil)
        }
        let caps: [Duration] = [
            .milliseconds(50), .milliseconds(100), .milliseconds(200), .milliseconds(300), .milliseconds(300),
        ]
        #expect(sleeper.recorded.count == caps.count)
        for (delay, cap) in zip(sleeper.recorded, caps) {
            #expect(delay >= .zero && delay <= cap)
        }
    }

    @Test("errors that are not transport errors (cancellation) are not retried")
    func cancellationNotRetried() async throws {
        let mock = MockTransport()
        mock.enqueue(.failure(CancellationError()), .response(200))
        await #expect(throws: CancellationError.self) {
            try await chain(mock, RetryPolicy(), SleepRecorder()).send(request(.get), body: nil)
        }
        #expect(mock.requests.count == 1)
    }

    @Test("cancelling the task during the backoff wait ends the retries")
    func cancelDuringBackoff() async throws {
        let mock = MockTransport { _ in .response(503) }
        let client = mock.with([RetryMiddleware(policy: RetryPolicy(baseDelay: .seconds(30), maxDelay: .seconds(30)))])
        let task = Task { try await client.send(request(.get), body: nil) }
        while mock.requests.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        task.cancel()
        // The middleware either returns the last response or throws CancellationError; it must not
        // go on waiting (the default policy would wait tens of seconds).
        let result = await task.result
        if case .success(let (response, _)) = result { #expect(response.status.code == 503) }
        #expect(mock.requests.count == 1)
    }
}

/// IMF-fixdate formatting for building test headers.
enum HTTPDateFormatting {
    static func format(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "GMT") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int?) -> String { let v = value ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        return "\(days[(parts.weekday ?? 1) - 1]), \(two(parts.day)) \(months[(parts.month ?? 1) - 1]) "
            + "\(parts.year ?? 1970) \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) GMT"
    }
}
