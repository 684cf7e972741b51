#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import HTTPTypes
import Testing

@testable import FlameHub

@Suite("RetryPolicy: non-idempotent requests")
struct RetryPolicyNonIdempotentTests {
    private let sent = TransportError(.receiveFailed, message: "closed", mayHaveReachedServer: true)

    @Test("POST and PATCH that may have reached the server are not retried by default")
    func notByDefault() {
        let policy = RetryPolicy()
        #expect(!policy.retriesNonIdempotentRequests)
        for method in [HTTPRequest.Method.post, .patch] {
            #expect(!policy.shouldRetry(method: method, error: sent))
            #expect(!policy.shouldRetry(method: method, status: 503))
        }
        #expect(policy.shouldRetry(method: .get, error: sent))
    }

    @Test("retriesNonIdempotentRequests retries them like idempotent requests")
    func optIn() {
        let policy = RetryPolicy(retriesNonIdempotentRequests: true)
        #expect(policy.shouldRetry(method: .post, error: sent))
        #expect(policy.shouldRetry(method: .patch, status: 503))
        // Permanent failures stay permanent.
        #expect(!policy.shouldRetry(method: .post, error: TransportError(.invalidRequest, message: "x")))
    }
}

@Suite("HTTP-dates without a time-zone database")
struct HTTPDateArithmeticTests {
    @Test("the epoch, leap days and month ends are computed from the fields")
    func fields() {
        #expect(HTTPDate.parse("Thu, 01 Jan 1970 00:00:00 GMT")?.timeIntervalSince1970 == 0)
        #expect(HTTPDate.parse("Wed, 31 Dec 1969 23:59:59 GMT")?.timeIntervalSince1970 == -1)
        #expect(HTTPDate.parse("Thu, 29 Feb 2024 23:59:59 GMT")?.timeIntervalSince1970 == 1_709_251_199)
        #expect(HTTPDate.parse("Tue, 29 Feb 2000 00:00:00 GMT") != nil)
        #expect(HTTPDate.parse("Thu, 29 Feb 1900 00:00:00 GMT") == nil)
        #expect(HTTPDate.parse("Sat, 29 Feb 2025 00:00:00 GMT") == nil)
        #expect(HTTPDate.parse("Wed, 30 Apr 2025 00:00:00 GMT") != nil)
        #expect(HTTPDate.parse("Thu, 31 Apr 2025 00:00:00 GMT") == nil)
        #expect(HTTPDate.parse("Wed, 31 Dec 2025 23:59:60 GMT")?.timeIntervalSince1970 == 1_767_225_599)
    }

    @Test("the UTC year of an instant, at year boundaries and before 1970")
    func years() {
        #expect(HTTPDate.utcYear(of: Date(timeIntervalSince1970: 946_684_799)) == 1999)
        #expect(HTTPDate.utcYear(of: Date(timeIntervalSince1970: 946_684_800)) == 2000)
        #expect(HTTPDate.utcYear(of: Date(timeIntervalSince1970: -1)) == 1969)
        #expect(HTTPDate.utcYear(of: Date(timeIntervalSince1970: 1_767_225_599)) == 2025)
        #expect(HTTPDate.utcYear(of: Date(timeIntervalSince1970: 1_767_225_600)) == 2026)
    }
}
