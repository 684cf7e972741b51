/// Waiting for the Hub's asynchronous effects (analysis buckets appear after an analysis is
/// created, a build moves from `starting` to `executed`, uploaded files show up as analysis
/// bucket files) without fixed sleeps.
///
/// `condition` is evaluated at once and then again after growing pauses — `initialDelay`,
/// multiplied by `backoff` each time, capped at `maxDelay` — until it yields a value or
/// `timeout` has passed. Errors the condition throws count as "not yet" (a record that is not
/// there yet may answer 404); if the time runs out, ``EventuallyTimeout`` carries the last one.
/// Cancellation of the calling task ends the wait with `CancellationError`.
///
/// ```swift
/// let buckets = try await eventually("three analysis buckets") {
///     let found = try await core.findAnalysisBuckets(filter: ["analysisId": .equals(analysis.id)])
///     return found.count == 3 ? found : nil
/// }
/// ```
/// - Returns: the first non-nil value of `condition`.
public func eventually<Value: Sendable>(
    _ what: String = "condition", timeout: Duration = .seconds(10), initialDelay: Duration = .milliseconds(20),
    maxDelay: Duration = .milliseconds(500), backoff: Double = 2,
    _ condition: @Sendable () async throws -> Value?
) async throws -> Value {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    var delay = initialDelay
    var attempts = 0
    var lastError: (any Error)?
    while true {
        attempts += 1
        do {
            if let value = try await condition() { return value }
            lastError = nil
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            lastError = error
        }
        let now = clock.now
        guard now < deadline else {
            throw EventuallyTimeout(what: what, timeout: timeout, attempts: attempts, lastError: lastError)
        }
        try await Task.sleep(for: min(delay, now.duration(to: deadline)))
        delay = min(delay * backoff, maxDelay)
    }
}

/// Waits until `condition` is true; timing and errors as in the value-returning `eventually`.
///
/// ```swift
/// try await eventually("the build finished") {
///     try await core.getAnalysis(analysis)?.buildStatus == .executed
/// }
/// ```
public func eventually(
    _ what: String = "condition", timeout: Duration = .seconds(10), initialDelay: Duration = .milliseconds(20),
    maxDelay: Duration = .milliseconds(500), backoff: Double = 2,
    _ condition: @Sendable () async throws -> Bool
) async throws {
    let _: Bool = try await eventually(
        what, timeout: timeout, initialDelay: initialDelay, maxDelay: maxDelay, backoff: backoff
    ) { try await condition() ? true : nil }
}

/// An `eventually` wait ran out of time.
public struct EventuallyTimeout: Error, CustomStringConvertible {
    /// What was waited for.
    public var what: String
    /// How long.
    public var timeout: Duration
    /// How often the condition was evaluated.
    public var attempts: Int
    /// The error of the last evaluation, if it threw.
    public var lastError: (any Error)?

    public var description: String {
        let last = lastError.map { "; last error: \($0)" } ?? ""
        return "\(what) did not happen within \(timeout) (\(attempts) attempts)\(last)"
    }
}
