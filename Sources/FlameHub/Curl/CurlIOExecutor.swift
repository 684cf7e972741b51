/// A task executor that runs jobs on a ``CurlTransport``'s I/O thread.
///
/// Without it, a response is handed from the I/O thread to the awaiting task through the global
/// concurrent executor: each hand-off wakes a pool thread (a futex call and two context
/// switches), and a sequential caller's next request often has to wake the sleeping I/O thread
/// again. Code of a task that prefers this executor instead runs on the I/O thread itself,
/// between two passes of its loop: the task resumed by a finished transfer continues right after
/// the pass that finished it, and the next request it sends is started in the following pass,
/// with no other thread woken.
///
/// ```swift
/// let transport = CurlTransport()
/// let client = CoreClient(baseURL: hub, auth: auth, transport: transport)
/// let names = try await Task.detached(executorPreference: transport.ioExecutor) {
///     var names: [String] = []
///     for id in ids { names.append(try await client.getNode(id)?.name ?? "") }
///     return names
/// }.value
/// ```
///
/// Detached, because a `Task { }` made on the main actor runs its closure there: only the
/// SDK's nonisolated calls would then run on the I/O thread, with a hop to the main actor and
/// back around each of them.
///
/// **Where your code runs.** With the preference, every nonisolated part of the task (the SDK's
/// request building, middlewares, decoding, and your code between awaits) runs on the I/O thread;
/// actor-isolated code (the main actor, your actors) still runs on its actor. While a job runs, no
/// transfer of the transport makes progress, so:
/// - never block in such a task (a semaphore, a lock held across a wait, a synchronous wait for
///   another request of the same transport deadlocks the transport);
/// - keep long CPU work off it where requests run concurrently: all the tasks that prefer it share
///   one thread, which suits sequential request loops and light handlers on a small machine, not
///   decoding large pages from many concurrent requests on a many-core one.
///
/// Without the preference nothing changes: responses are resumed on the global executor.
/// Once the transport is shut down, jobs enqueued here run on the global concurrent executor.
public final class CurlIOExecutor: TaskExecutor {
    /// Weak: the executor may outlive its transport (a task keeps its preference), and the loop
    /// must not be kept alive by it.
    private weak let loop: CurlLoop?

    init(loop: CurlLoop) {
        self.loop = loop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        if let loop, loop.run(job, on: asUnownedTaskExecutor()) { return }
        globalConcurrentExecutor.enqueue(ExecutorJob(job))
    }
}
