import CCurl
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `curl_global_init`, exactly once per process (Swift runs a static initializer once).
enum CurlGlobal {
    static let initialization: CURLcode = curl_global_init(FH_CURL_GLOBAL_ALL)
}

/// One curl multi handle driven by one dedicated thread.
///
/// Every easy handle is touched only by this thread. Other threads talk to it through a command
/// inbox and `curl_multi_wakeup`, so any number of concurrent requests share one thread and
/// the multi handle's connection cache. Easy handles are reset and reused between requests.
/// `@unchecked Sendable` because the `var`s are the I/O thread's alone (`ioThread` is written in init,
/// before the loop is shared) and every other thread goes through the Mutexes.
final class CurlLoop: @unchecked Sendable {
    enum Command {
        case start(CurlTransfer)
        case resume(CurlTransfer)
        case cancel(CurlTransfer, any Error)
        /// A job of a task that prefers the loop's ``CurlIOExecutor``.
        case run(UnownedJob, UnownedTaskExecutor)
        case shutdown
    }

    private struct Inbox {
        var commands: [Command] = []
        var closed = false
        /// The loop is (about to be) blocked in `curl_multi_poll` and needs a wakeup.
        var sleeping = false
    }

    private let multi: UnsafeMutableRawPointer?
    private let inbox = Mutex(Inbox())
    private let setupError: TransportError?

    // Loop-thread state.
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    /// Handles whose transfer received a complete header block in this turn.
    private var headsToCheck: [CurlTransfer] = []
    /// Transfers curl reported done in this turn, retired after all of them were completed.
    private var completedThisTurn: [(UnsafeMutableRawPointer, CurlTransfer)] = []
    /// Transfers whose response stream holds bytes received in this turn, published after it.
    private var streamsToPublish: [CurlTransfer] = []
    /// Easy handles of finished transfers, reset and reconfigured by the next caller's thread.
    private let idleHandles = Mutex<[IdleHandle]>([])

    /// A handle that no thread uses while it sits in the pool, so it may change threads.
    private struct IdleHandle: Sendable {
        let easy: CurlEasyHandle
        /// What the handle's options are still set up for, if a later request may keep them.
        let setup: CurlTransfer.ReusableSetup?
    }
    private var cancelledBeforeStart: [ObjectIdentifier: any Error] = [:]
    private let maxIdleHandles = 64
    private let stallCheckInterval: Duration?
    private var lastStallCheck = ContinuousClock.now
    private let busyPollWindow: Duration
    /// The I/O thread; set once, before any other thread can see this loop.
    private var ioThread: pthread_t?
    private static let busyPollMaxActive = 4

    init(configuration: CurlConfiguration) {
        var failure: TransportError?
        if CurlGlobal.initialization != CURLE_OK {
            failure = TransportError(
                .other, message: "curl_global_init failed", curlCode: Int(CurlGlobal.initialization.rawValue))
        }
        let multi = failure == nil ? curl_multi_init() : nil
        if failure == nil && multi == nil {
            failure = TransportError(.other, message: "curl_multi_init failed")
        }
        if let multi {
            let options: [(CURLMoption, Int, String)] = [
                (CURLMOPT_MAX_HOST_CONNECTIONS, configuration.maxConnectionsPerHost, "MAX_HOST_CONNECTIONS"),
                (CURLMOPT_MAX_TOTAL_CONNECTIONS, configuration.maxTotalConnections, "MAX_TOTAL_CONNECTIONS"),
                // Keep enough idle connections for the largest burst we allow.
                (
                    CURLMOPT_MAXCONNECTS,
                    max(configuration.maxTotalConnections, configuration.maxConnectionsPerHost * 4, 64), "MAXCONNECTS"
                ),
            ]
            for (option, value, name) in options where failure == nil {
                let code = fh_multi_setopt_long(multi, option, value)
                if code != CURLM_OK {
                    failure = TransportError(
                        .invalidRequest,
                        message: "libcurl rejected \(name): \(String(cString: curl_multi_strerror(code)))")
                }
            }
        }
        self.multi = multi
        self.setupError = failure
        busyPollWindow = max(configuration.busyPollWindow, .zero)
        if let stall = configuration.timeouts.stall {
            stallCheckInterval = min(max(stall.window / 4, .milliseconds(10)), .seconds(1))
        } else {
            stallCheckInterval = nil
        }
        if multi != nil && failure == nil {
            startThread()
        } else {
            inbox.withLock { $0.closed = true }
            if let multi { curl_multi_cleanup(multi) }
        }
    }

    // MARK: commands (any thread)

    /// An easy handle to configure for a new transfer: a kept one or a new one.
    ///
    /// A kept handle whose options are still set up for `setup` keeps them (`keepsOptions`);
    /// any other is reset. Called on the requesting task's thread: a handle outside the multi
    /// handle may be used by any one thread at a time, so setting options costs the loop nothing.
    func takeHandle(for setup: CurlTransfer.ReusableSetup?) throws -> (easy: CurlEasyHandle, keepsOptions: Bool) {
        if let setupError { throw setupError }
        if let kept = idleHandles.withLock({ $0.popLast() }) {
            if let setup, kept.setup == setup { return (kept.easy, true) }
            curl_easy_reset(kept.easy.pointer)
            return (kept.easy, false)
        }
        guard let easy = CurlEasyHandle.make() else {
            throw TransportError(.other, message: "curl_easy_init failed")
        }
        return (easy, false)
    }

    /// Takes back a handle that was never added to the multi handle.
    func returnHandle(_ easy: CurlEasyHandle) {
        recycle(easy, setup: nil)
    }

    /// Queues a configured `transfer`; if the loop is closed, the transfer fails at once.
    func submit(_ transfer: CurlTransfer) {
        guard enqueue(.start(transfer)) else {
            let error =
                setupError ?? TransportError(.shutdown, message: "the transport was shut down", url: transfer.url)
            transfer.complete(with: error)
            let attached = transfer.handle != nil
            transfer.releaseResources()
            if attached { recycle(transfer.easy, setup: nil) }
            return
        }
    }

    /// Notes (from a curl callback, on the loop thread) that a transfer's header block is complete.
    func headerBlockCompleted(_ transfer: CurlTransfer) {
        headsToCheck.append(transfer)
    }

    /// Notes (from the write callback, on the loop thread) that a transfer's stream has bytes to
    /// publish at the end of this turn: one consumer wake-up per turn, not one per curl piece.
    func publishAfterPass(_ transfer: CurlTransfer) {
        streamsToPublish.append(transfer)
    }

    func resume(_ transfer: CurlTransfer) { enqueue(.resume(transfer)) }

    func cancel(_ transfer: CurlTransfer, reason: any Error) { enqueue(.cancel(transfer, reason)) }

    func shutdown() { enqueue(.shutdown) }

    /// Queues a job to run on the loop thread between two passes; false once the loop is closed
    /// (the caller runs it elsewhere).
    func run(_ job: UnownedJob, on executor: UnownedTaskExecutor) -> Bool {
        enqueue(.run(job, executor))
    }

    @discardableResult
    private func enqueue(_ command: Command) -> Bool {
        inbox.withLock { inbox in
            guard !inbox.closed, let multi else { return false }
            inbox.commands.append(command)
            // Wake the loop only if it sleeps; a busy loop drains the inbox on its next turn.
            // Under the lock, so the loop cannot free the multi handle in between.
            if inbox.sleeping {
                inbox.sleeping = false
                _ = curl_multi_wakeup(multi)
            }
            return true
        }
    }

    /// CPU time the I/O thread has used so far; nil once it has stopped. Tests use it to show
    /// that an idle loop sleeps.
    var ioThreadCPUTime: Duration? {
        // Under the inbox lock: while `closed` is false there, the thread cannot have exited.
        inbox.withLock { inbox -> Duration? in
            guard !inbox.closed, let ioThread else { return nil }
            #if canImport(Darwin)
                // Darwin has no pthread_getcpuclockid: ask the kernel for the thread's times.
                var info = thread_basic_info()
                var count = mach_msg_type_number_t(
                    MemoryLayout<thread_basic_info>.size / MemoryLayout<integer_t>.size)
                let result = withUnsafeMutablePointer(to: &info) {
                    $0.withMemoryRebound(to: integer_t.self, capacity: Int(count)) {
                        thread_info(pthread_mach_thread_np(ioThread), thread_flavor_t(THREAD_BASIC_INFO), $0, &count)
                    }
                }
                guard result == KERN_SUCCESS else { return nil }
                let seconds = Int64(info.user_time.seconds) + Int64(info.system_time.seconds)
                let micros = Int64(info.user_time.microseconds) + Int64(info.system_time.microseconds)
                return .seconds(seconds) + .microseconds(micros)
            #else
                var clock = clockid_t()
                var time = timespec()
                guard pthread_getcpuclockid(ioThread, &clock) == 0, clock_gettime(clock, &time) == 0 else {
                    return nil
                }
                return .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec)
            #endif
        }
    }

    // MARK: the loop (its own thread)

    private func startThread() {
        let context = Unmanaged.passRetained(self).toOpaque()
        // pthread_t is an integer on Linux and an optional pointer on Darwin, the start routine's
        // argument optional on Linux only: the `as … ?` coercions below read the same on both.
        #if canImport(Darwin)
            var thread: pthread_t?
        #else
            var thread = pthread_t()
        #endif
        let created = pthread_create(
            &thread, nil,
            { raw in
                guard let raw = raw as UnsafeMutableRawPointer? else { return nil }
                let loop = Unmanaged<CurlLoop>.fromOpaque(raw).takeRetainedValue()
                loop.run()
                return nil
            }, context)
        if created == 0 {
            if let thread = thread as pthread_t? {
                ioThread = thread
                pthread_detach(thread)
            }
        } else {
            Unmanaged<CurlLoop>.fromOpaque(context).release()
            inbox.withLock { $0.closed = true }
        }
    }

    private func run() {
        guard let multi else { return }
        // Named so that profilers and debuggers show whose thread this is.
        fh_name_current_thread("flamehub-curl")
        var running = true
        var lastWork = ContinuousClock.now
        var commands: [Command] = []
        while running {
            // Jobs run first: a task resumed in the last pass usually sends its next request
            // at once, and a second drain starts that request in this pass instead of the next.
            var sawCommands = false
            for _ in 0..<2 where running {
                // Swapped with a drained spare, so neither side allocates on a busy loop.
                inbox.withLock { inbox in
                    inbox.sleeping = false
                    swap(&inbox.commands, &commands)
                }
                guard !commands.isEmpty else { break }
                sawCommands = true
                var ranJobs = false
                for command in commands {
                    switch command {
                    case .start(let transfer): start(transfer, multi: multi)
                    case .resume(let transfer): resume(transfer, multi: multi)
                    case .cancel(let transfer, let reason): cancel(transfer, reason: reason, multi: multi)
                    case .run(let job, let executor):
                        job.runSynchronously(on: executor)
                        ranJobs = true
                    case .shutdown: running = false
                    }
                }
                commands.removeAll(keepingCapacity: true)
                if !ranJobs { break }
            }
            guard running else { break }
            var stillRunning: Int32 = 0
            let performed = curl_multi_perform(multi, &stillRunning)
            if performed != CURLM_OK {
                failAll(
                    TransportError(
                        .other, message: "curl_multi_perform failed: \(String(cString: curl_multi_strerror(performed)))"
                    ), multi: multi)
            }
            let completed = collectCompletions(multi: multi)
            deliverReadyHeads()
            publishStreams()
            checkStalls(multi: multi)
            // Polling pays while few requests are in flight: each wakeup would delay one of them.
            // With many in flight the loop seldom sleeps, and polling would only take CPU from
            // the tasks that consume the responses.
            if busyPollWindow > .zero && active.count <= Self.busyPollMaxActive {
                if sawCommands || completed { lastWork = .now }
                if pollBriefly(multi: multi, until: lastWork + busyPollWindow) {
                    lastWork = .now
                    continue
                }
            }
            // Announce the sleep first: a command queued after this wakes the poll (the wakeup
            // is remembered even if it comes before the poll starts).
            let idle = inbox.withLock { inbox in
                inbox.sleeping = inbox.commands.isEmpty
                return inbox.sleeping
            }
            if idle { _ = curl_multi_poll(multi, nil, 0, pollTimeout(multi: multi), nil) }
        }
        close(multi: multi)
    }

    private func start(_ transfer: CurlTransfer, multi: UnsafeMutableRawPointer) {
        guard let handle = transfer.handle else { return }
        var failure = cancelledBeforeStart.removeValue(forKey: ObjectIdentifier(transfer))
        if failure == nil {
            let added = curl_multi_add_handle(multi, handle)
            if added != CURLM_OK {
                failure = TransportError(
                    .other, message: "curl_multi_add_handle failed: \(String(cString: curl_multi_strerror(added)))",
                    url: transfer.url)
            }
        }
        if let failure {
            transfer.complete(with: failure)
            transfer.releaseResources()
            recycle(transfer.easy, setup: nil)
            return
        }
        // The clock only where stalls are checked: a 64-way loop starts thousands a second.
        if stallCheckInterval != nil { transfer.stallWindowStart = .now }
        transfer.stallWindowBytes = 0
        active[handle] = transfer
    }

    private func resume(_ transfer: CurlTransfer, multi: UnsafeMutableRawPointer) {
        guard let handle = transfer.handle, active[handle] === transfer else { return }
        let code = curl_easy_pause(handle, FH_CURLPAUSE_CONT)
        if code != CURLE_OK {
            finish(handle, transfer, failure: transfer.error(for: code), multi: multi)
        }
    }

    private func cancel(_ transfer: CurlTransfer, reason: any Error, multi: UnsafeMutableRawPointer) {
        guard let handle = transfer.handle, !transfer.finished else { return }
        guard active[handle] === transfer else {
            // Cancelled before its start command was seen (a task cancelled early): remember it,
            // so that the start fails instead of running.
            cancelledBeforeStart[ObjectIdentifier(transfer)] = reason
            return
        }
        finish(handle, transfer, failure: reason, multi: multi)
    }

    /// Finishes the transfers curl reports done; true if there were any.
    private func collectCompletions(multi: UnsafeMutableRawPointer) -> Bool {
        var queued: Int32 = 0
        while let message = curl_multi_info_read(multi, &queued) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                let transfer = active[handle]
            else { continue }
            let result = message.pointee.data.result
            // Each completion resumes a task on the global executor. Resumed back to back, an
            // executor thread woken by the first finds the others queued; with the handle's
            // removal and recycling in between, it could run dry and sleep before the next.
            transfer.complete(with: result == CURLE_OK ? nil : transfer.error(for: result))
            completedThisTurn.append((handle, transfer))
        }
        guard !completedThisTurn.isEmpty else { return false }
        for (handle, transfer) in completedThisTurn { retire(handle, transfer, multi: multi) }
        completedThisTurn.removeAll(keepingCapacity: true)
        return true
    }

    /// Checks for work without sleeping until `deadline`; true as soon as a command is queued,
    /// a socket is ready or a curl timer is due.
    private func pollBriefly(multi: UnsafeMutableRawPointer, until deadline: ContinuousClock.Instant) -> Bool {
        repeat {
            if inbox.withLock({ !$0.commands.isEmpty }) { return true }
            var ready: Int32 = 0
            _ = curl_multi_poll(multi, nil, 0, 0, &ready)
            if ready > 0 { return true }
            var timeout = -1
            _ = curl_multi_timeout(multi, &timeout)
            if timeout == 0 { return true }
            // Polling must not take the CPU from threads that have work (the requesters, or a
            // local server on a small machine).
            sched_yield()
        } while ContinuousClock.now < deadline
        return false
    }

    /// Hands out heads whose body is still coming, so callers can start streaming.
    private func deliverReadyHeads() {
        guard !headsToCheck.isEmpty else { return }
        for transfer in headsToCheck where !transfer.finished && !transfer.headDelivered && transfer.isHeadReady {
            transfer.deliverHead(complete: false)
        }
        headsToCheck.removeAll(keepingCapacity: true)
    }

    /// Publishes what each stream received in this turn (a finished one published its rest).
    private func publishStreams() {
        guard !streamsToPublish.isEmpty else { return }
        for transfer in streamsToPublish { transfer.stream?.publishPending() }
        streamsToPublish.removeAll(keepingCapacity: true)
    }

    private func checkStalls(multi: UnsafeMutableRawPointer) {
        guard let interval = stallCheckInterval, !active.isEmpty else { return }
        let now = ContinuousClock.now
        // Checked at the interval, not on every wakeup: busy loops must not pay for it.
        guard now - lastStallCheck >= interval else { return }
        lastStallCheck = now
        for (handle, transfer) in active {
            guard let stall = transfer.configuration.timeouts.stall else { continue }
            var uploaded: curl_off_t = 0
            var downloaded: curl_off_t = 0
            _ = fh_easy_getinfo_off(handle, CURLINFO_SIZE_UPLOAD_T, &uploaded)
            _ = fh_easy_getinfo_off(handle, CURLINFO_SIZE_DOWNLOAD_T, &downloaded)
            let moved = Int64(uploaded + downloaded)
            if transfer.isWaitingForCaller {
                transfer.stallWindowStart = now
                transfer.stallWindowBytes = moved
                continue
            }
            let elapsed = now - transfer.stallWindowStart
            guard elapsed >= stall.window else { continue }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            if Double(moved - transfer.stallWindowBytes) < Double(stall.minimumBytesPerSecond) * seconds {
                transfer.abortReason = TransportError(
                    .stalled,
                    message:
                        "transfer moved \(moved - transfer.stallWindowBytes) bytes in \(elapsed), under \(stall.minimumBytesPerSecond) bytes/s",
                    // A stall while connecting sent nothing: a POST may then be retried safely.
                    url: transfer.url, mayHaveReachedServer: transfer.requestSent)
                finish(handle, transfer, failure: transfer.abortReason, multi: multi)
            } else {
                transfer.stallWindowStart = now
                transfer.stallWindowBytes = moved
            }
        }
    }

    private func pollTimeout(multi: UnsafeMutableRawPointer) -> Int32 {
        var curlTimeout = -1
        _ = curl_multi_timeout(multi, &curlTimeout)
        var timeout = curlTimeout < 0 ? 1000 : min(curlTimeout, 1000)
        if let interval = stallCheckInterval, !active.isEmpty {
            timeout = min(
                timeout,
                Int(interval.components.seconds * 1000 + interval.components.attoseconds / 1_000_000_000_000_000))
        }
        return Int32(max(timeout, 0))
    }

    private func finish(
        _ handle: UnsafeMutableRawPointer, _ transfer: CurlTransfer, failure: (any Error)?,
        multi: UnsafeMutableRawPointer
    ) {
        // No curl call comes between the two: completing first changes nothing for libcurl.
        transfer.complete(with: failure)
        retire(handle, transfer, multi: multi)
    }

    /// Takes a completed transfer's handle out of the multi handle and keeps it for reuse.
    private func retire(_ handle: UnsafeMutableRawPointer, _ transfer: CurlTransfer, multi: UnsafeMutableRawPointer) {
        _ = curl_multi_remove_handle(multi, handle)
        active[handle] = nil
        // Free what the handle points at before another thread can take the handle.
        let setup = transfer.reusableSetup
        transfer.releaseResources()
        recycle(transfer.easy, setup: setup)
    }

    /// Keeps a finished handle for the next transfer (its taker resets it unless it can keep
    /// the options `setup` names) or frees it.
    private func recycle(_ easy: CurlEasyHandle, setup: CurlTransfer.ReusableSetup?) {
        let kept = idleHandles.withLock { handles in
            guard handles.count < maxIdleHandles else { return false }
            handles.append(IdleHandle(easy: easy, setup: setup))
            return true
        }
        if !kept { easy.cleanup() }
    }

    private func failAll(_ error: TransportError, multi: UnsafeMutableRawPointer) {
        for (handle, transfer) in active {
            finish(handle, transfer, failure: error, multi: multi)
        }
    }

    private func close(multi: UnsafeMutableRawPointer) {
        let leftover = inbox.withLock { inbox in
            inbox.closed = true
            defer { inbox.commands = [] }
            return inbox.commands
        }
        let error = TransportError(.shutdown, message: "the transport was shut down")
        for command in leftover {
            switch command {
            case .start(let transfer):
                transfer.complete(with: error)
                let attached = transfer.handle != nil
                transfer.releaseResources()
                if attached { transfer.easy.cleanup() }
            case .run(let job, _):
                // Its task must go on: on the global executor, as after the shutdown.
                globalConcurrentExecutor.enqueue(ExecutorJob(job))
            case .resume, .cancel, .shutdown:
                break
            }
        }
        failAll(error, multi: multi)
        let idle = idleHandles.withLock { handles in
            defer { handles = [] }
            return handles
        }
        for handle in idle { handle.easy.cleanup() }
        curl_multi_cleanup(multi)
    }
}
