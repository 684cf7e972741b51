import Synchronization

/// A cached value that is produced by at most one task at a time: callers that find no fresh
/// value while a production runs wait for it instead of starting their own (single flight).
final class SingleFlight<Value: Sendable>: Sendable {
    private struct State {
        var value: Value?
        var inflight: Task<Value, any Error>?
    }

    private enum Step {
        case ready(Value)
        case wait(Task<Value, any Error>)
    }

    private let state: Mutex<State>

    init(_ value: Value? = nil) {
        state = Mutex(State(value: value))
    }

    /// The cached value when `isFresh` accepts it; otherwise the result of the production in
    /// flight, or of a new one started with the stale value (if any).
    func value(
        isFresh: (Value) -> Bool, produce: @escaping @Sendable (_ stale: Value?) async throws -> Value
    ) async throws -> Value {
        let step: Step = state.withLock { state in
            if let value = state.value, isFresh(value) { return .ready(value) }
            if let inflight = state.inflight { return .wait(inflight) }
            let stale = state.value
            // The task cannot reach the lock before it is released here, so it always finds
            // itself registered as in flight.
            let task = Task<Value, any Error> {
                do {
                    let value = try await produce(stale)
                    self.state.withLock {
                        $0.value = value
                        $0.inflight = nil
                    }
                    return value
                } catch {
                    self.state.withLock { $0.inflight = nil }
                    throw error
                }
            }
            state.inflight = task
            return .wait(task)
        }
        switch step {
        case .ready(let value): return value
        case .wait(let task): return try await task.value
        }
    }

    /// Changes the cached value under the lock.
    func modify<Result>(_ body: (inout Value?) -> Result) -> Result {
        state.withLock { body(&$0.value) }
    }
}
