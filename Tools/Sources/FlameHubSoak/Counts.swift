import Synchronization

/// Outcome counts and RSS samples shared by the soak's tasks.
final class Counts: Sendable {
    struct Snapshot {
        var outcomes: [Outcome: Int] = [:]
        var samples: [(Int, Double)] = []
    }

    private let state = Mutex(Snapshot())

    var snapshot: Snapshot { state.withLock { $0 } }
    var total: Int { state.withLock { $0.outcomes.values.reduce(0, +) } }

    func add(_ outcome: Outcome) { state.withLock { $0.outcomes[outcome, default: 0] += 1 } }
    func sample(_ elapsed: Int, _ rss: Double) { state.withLock { $0.samples.append((elapsed, rss)) } }
}
