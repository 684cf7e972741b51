import FlameHub
import Testing

/// The wait-for-condition helper: retries with backoff, returns the first value, times out
/// with the last error.
@Suite("eventually")
struct CoreEventuallyTests {
    @Test func returnsTheFirstValueAfterRetrying() async throws {
        let attempts = Counter()
        let value = try await eventually("third attempt", initialDelay: .milliseconds(1)) {
            attempts.increment() >= 3 ? "done" : nil
        }
        #expect(value == "done")
        #expect(attempts.count == 3)
        try await eventually("a true condition") { true }
    }

    @Test func thrownErrorsCountAsNotYetAndTimeOutWithTheLastOne() async throws {
        struct NotThere: Error {}
        let attempts = Counter()
        let error = await #expect(throws: EventuallyTimeout.self) {
            try await eventually("never", timeout: .milliseconds(300), initialDelay: .milliseconds(1)) {
                _ = attempts.increment()
                throw NotThere()
            }
        }
        #expect(error?.lastError is NotThere)
        #expect((error?.attempts ?? 0) >= 2)
        #expect(error?.description.contains("never did not happen within") == true)
        #expect(attempts.count == error?.attempts)
    }
}
