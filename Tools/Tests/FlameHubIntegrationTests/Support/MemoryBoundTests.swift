/// Runs the tests that bound the process's resident memory one at a time.
///
/// Every test of the bundle shares one process, so a test that reads RSS also sees whatever the
/// tests running beside it allocate; two 256 MiB transfers side by side would each see the other.
/// The tests that measure memory wait here for each other (the rest of the suite still runs in
/// parallel with them).
actor MemoryBoundTests {
    static let shared = MemoryBoundTests()

    private var running = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Runs `body` once no other memory-bound test is running.
    static func exclusive<T: Sendable>(_ body: () async throws -> T) async rethrows -> T {
        await shared.acquire()
        do {
            let result = try await body()
            await shared.release()
            return result
        } catch {
            await shared.release()
            throw error
        }
    }

    private func acquire() async {
        if !running {
            running = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty {
            running = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}
