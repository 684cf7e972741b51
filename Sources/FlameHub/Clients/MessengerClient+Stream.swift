#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Synchronization

/// How a lost event stream is reopened: exponential backoff with jitter.
///
/// The delay before reconnection `n` (1 for the first after a failure) is
/// `min(base × multiplier^(n-1), maxDelay)`, of which the fraction `jitter` is randomised
/// (`delay × (1 - jitter × r)`, `r` uniform in 0…1), so that many clients cut at once do not
/// come back at once. `base` is the server's `retry:` time when it sent one, else ``initialDelay``.
public struct ReconnectPolicy: Sendable, Hashable {
    /// The first delay. Default 1 s.
    public var initialDelay: Duration
    /// The largest delay. Default 30 s.
    public var maxDelay: Duration
    /// Growth per failure in a row. Default 2.
    public var multiplier: Double
    /// The randomised fraction of each delay, 0 (none) to 1 (full jitter). Default 0.5.
    public var jitter: Double
    /// Failures in a row (connections or pulls) after which the stream ends with the last
    /// error; nil retries for ever. Default nil.
    public var maxAttempts: Int?
    /// Whether a `retry:` field of the stream replaces ``initialDelay``. Default true.
    public var honoursServerRetry: Bool

    /// A policy with the documented defaults, any of which can be overridden.
    public init(
        initialDelay: Duration = .seconds(1), maxDelay: Duration = .seconds(30), multiplier: Double = 2,
        jitter: Double = 0.5, maxAttempts: Int? = nil, honoursServerRetry: Bool = true
    ) {
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.multiplier = multiplier
        self.jitter = jitter
        self.maxAttempts = maxAttempts
        self.honoursServerRetry = honoursServerRetry
    }

    /// The delay before attempt `attempt` (1 for the first retry), given the server's `retry:`.
    public func delay(
        forAttempt attempt: Int, serverRetry: Duration? = nil,
        random: (ClosedRange<Double>) -> Double = { Double.random(in: $0) }
    ) -> Duration {
        let base = honoursServerRetry ? (serverRetry ?? initialDelay) : initialDelay
        let cap = Self.seconds(maxDelay)
        var seconds = Self.seconds(base)
        // Multiplied step by step (no `pow` without Foundation), stopping at the cap.
        for _ in 0..<max(attempt - 1, 0) where seconds < cap { seconds *= Swift.max(multiplier, 1) }
        seconds = Swift.min(seconds, cap)
        let fraction = Swift.min(Swift.max(jitter, 0), 1) * Swift.min(Swift.max(random(0...1), 0), 1)
        return .milliseconds(Int64((Swift.max(seconds, 0) * (1 - fraction) * 1000).rounded()))
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

/// Settings of ``MessengerClient/messages(options:)``.
public struct MessageStreamOptions: Sendable, Hashable {
    /// Messages per pull; nil uses the server's default (50). At most ``MessengerClient/maxLimit``.
    public var pullLimit: Int?
    /// How the event stream is reopened and failed pulls are repeated.
    public var reconnect: ReconnectPolicy
    /// A yielded message not acknowledged through the stream within this time is yielded again
    /// (the server keeps it until it is acknowledged); nil yields each message only once per
    /// stream. Default 5 minutes.
    public var redeliveryInterval: Duration?

    /// Options with the documented defaults.
    public init(
        pullLimit: Int? = nil, reconnect: ReconnectPolicy = ReconnectPolicy(),
        redeliveryInterval: Duration? = .seconds(300)
    ) {
        self.pullLimit = pullLimit
        self.reconnect = reconnect
        self.redeliveryInterval = redeliveryInterval
    }
}

/// The caller's messages as they arrive: an `AsyncSequence` over the messenger's event stream
/// and pulls; see ``MessengerClient/messages(options:)``. Iterate it once.
///
/// Acknowledge handled messages with ``acknowledge(_:)``: it deletes them on the server, and the
/// stream then fetches what waited behind them.
public struct MessageStream: AsyncSequence, Sendable {
    public typealias Element = Message
    public typealias Failure = any Error

    let driver: MessageStreamDriver

    init(
        client: MessengerClient, options: MessageStreamOptions,
        sleep: @escaping @Sendable (Duration) async throws -> Void,
        random: @escaping @Sendable (ClosedRange<Double>) -> Double = { Double.random(in: $0) }
    ) {
        driver = MessageStreamDriver(client: client, options: options, sleep: sleep, random: random)
    }

    /// Starts the stream (on the first call; later calls get an iterator that ends at once).
    public func makeAsyncIterator() -> AsyncThrowingStream<Message, any Error>.Iterator {
        driver.start().makeAsyncIterator()
    }

    /// Acknowledges (deletes) the messages `ids` on the server and forgets them here.
    public func acknowledge(_ ids: [UUID]) async throws {
        try await driver.acknowledge(ids)
    }

    /// How many times the event stream was opened so far (1 + reconnections).
    public var connections: Int { driver.connections }
}

/// Runs one ``MessageStream``: a task that keeps the event stream open and a task that pulls on
/// its wake-ups, joined by a one-slot signal (wake-ups during a pull coalesce into one more pull).
final class MessageStreamDriver: Sendable {
    private struct State {
        var started = false
        var task: Task<Void, Never>?
        var wake: AsyncStream<Void>.Continuation?
        /// Yielded and not acknowledged, with when they were yielded.
        var delivered: [UUID: ContinuousClock.Instant] = [:]
        var lastEventID = ""
        var serverRetry: Duration?
        var connections = 0
        var lastPageFull = false
    }

    let client: MessengerClient
    let options: MessageStreamOptions
    let sleep: @Sendable (Duration) async throws -> Void
    let random: @Sendable (ClosedRange<Double>) -> Double
    private let state = Mutex(State())

    init(
        client: MessengerClient, options: MessageStreamOptions,
        sleep: @escaping @Sendable (Duration) async throws -> Void,
        random: @escaping @Sendable (ClosedRange<Double>) -> Double
    ) {
        self.client = client
        self.options = options
        self.sleep = sleep
        self.random = random
    }

    var connections: Int { state.withLock { $0.connections } }

    var pageSize: Int { min(max(options.pullLimit ?? 50, 1), MessengerClient.maxLimit) }

    func start() -> AsyncThrowingStream<Message, any Error> {
        let (output, continuation) = AsyncThrowingStream<Message, any Error>.makeStream()
        let (wakes, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let first = state.withLock { state -> Bool in
            guard !state.started else { return false }
            state.started = true
            state.wake = wake
            return true
        }
        guard first else {
            continuation.finish()
            return output
        }
        let task = Task { await self.run(wakes: wakes, wake: wake, output: continuation) }
        state.withLock { $0.task = task }
        continuation.onTermination = { _ in task.cancel() }
        return output
    }

    private func run(
        wakes: AsyncStream<Void>, wake: AsyncStream<Void>.Continuation,
        output: AsyncThrowingStream<Message, any Error>.Continuation
    ) async {
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await self.keepConnected(wake: wake) }
                group.addTask {
                    for await _ in wakes { try await self.drain(output: output) }
                }
                if let interval = options.redeliveryInterval {
                    group.addTask { try await self.tick(every: interval, wake: wake) }
                }
                defer { group.cancelAll() }
                // The children only end by failing (or by cancellation).
                _ = try await group.next()
            }
            output.finish()
        } catch is CancellationError {
            output.finish()
        } catch {
            output.finish(throwing: error)
        }
        wake.finish()
    }

    /// Opens the event stream again and again; every opening and every `messagePending` event
    /// asks for a pull.
    private func keepConnected(wake: AsyncStream<Void>.Continuation) async throws {
        var failures = 0
        while true {
            try Task.checkCancellation()
            let resumeFrom = state.withLock { $0.lastEventID }
            var iterator: ServerSentEventStream.Iterator?
            do {
                let events = try await client.eventStream(lastEventID: resumeFrom)
                state.withLock { $0.connections += 1 }
                failures = 0
                // Whatever the server says on connect: what is pending now was maybe never announced.
                wake.yield()
                iterator = events.makeAsyncIterator()
                while let event = try await iterator?.next() {
                    remember(iterator)
                    if event.type == MessengerEvent.messagePending { wake.yield() }
                }
                remember(iterator)
                failures = 1  // the server ended the stream: come back after the first delay
            } catch {
                remember(iterator)
                if error is CancellationError || Task.isCancelled { throw CancellationError() }
                guard Self.isTransient(error) else { throw error }
                failures += 1
                if let limit = options.reconnect.maxAttempts, failures >= limit { throw error }
            }
            let serverRetry = state.withLock { $0.serverRetry }
            try await sleep(options.reconnect.delay(forAttempt: failures, serverRetry: serverRetry, random: random))
        }
    }

    private func remember(_ iterator: ServerSentEventStream.Iterator?) {
        guard let iterator else { return }
        state.withLock { state in
            state.lastEventID = iterator.lastEventID
            if let retry = iterator.retry { state.serverRetry = retry }
        }
    }

    /// Pulls until the server has nothing new; failed pulls are repeated with backoff.
    private func drain(output: AsyncThrowingStream<Message, any Error>.Continuation) async throws {
        var failures = 0
        while true {
            let messages: [Message]
            do {
                messages = try await client.pull(limit: options.pullLimit)
            } catch {
                if error is CancellationError || Task.isCancelled { throw CancellationError() }
                guard Self.isTransient(error) else { throw error }
                failures += 1
                if let limit = options.reconnect.maxAttempts, failures >= limit { throw error }
                try await sleep(options.reconnect.delay(forAttempt: failures, random: random))
                continue
            }
            let fresh = select(messages, now: .now)
            for message in fresh { output.yield(message) }
            // A full page of new messages may hide more behind it.
            if fresh.isEmpty || messages.count < pageSize { return }
        }
    }

    /// The messages of a pull that are to be yielded: not yielded yet, or yielded longer ago
    /// than the redelivery interval.
    func select(_ messages: [Message], now: ContinuousClock.Instant) -> [Message] {
        let full = messages.count >= pageSize
        return state.withLock { state in
            state.lastPageFull = full
            if !full {
                // The server answered everything pending: what it no longer has was acknowledged
                // elsewhere or expired, and is forgotten (this keeps the table small).
                let present = Set(messages.map(\.id))
                state.delivered = state.delivered.filter { present.contains($0.key) }
            }
            var fresh: [Message] = []
            for message in messages {
                if let at = state.delivered[message.id] {
                    guard let interval = options.redeliveryInterval, now - at >= interval else { continue }
                }
                state.delivered[message.id] = now
                fresh.append(message)
            }
            return fresh
        }
    }

    private func tick(every interval: Duration, wake: AsyncStream<Void>.Continuation) async throws {
        while true {
            try await Task.sleep(for: interval)
            if state.withLock({ !$0.delivered.isEmpty }) { wake.yield() }
        }
    }

    func acknowledge(_ ids: [UUID]) async throws {
        try await client.acknowledge(ids)
        let wake = state.withLock { state -> AsyncStream<Void>.Continuation? in
            for id in ids { state.delivered[id] = nil }
            return state.lastPageFull ? state.wake : nil
        }
        // Messages beyond a full page become visible only now.
        wake?.yield()
    }

    /// Whether a failure is worth another attempt: transport failures and the statuses a
    /// restarting or overloaded server answers. Client errors (401, 403, 404) are final.
    static func isTransient(_ error: any Error) -> Bool {
        switch error {
        case let error as TransportError:
            return ![.invalidRequest, .tlsFailure, .pinnedKeyMismatch, .shutdown].contains(error.code)
        case let error as HubAPIError:
            return [408, 429, 500, 502, 503, 504].contains(error.status)
        case is ServerSentEventParser.LineTooLong:
            return true
        default:
            return false
        }
    }
}

/// Event names of the messenger's stream (`WakeupEventName` in
/// `packages/messenger-kit/src/broker/wakeup/constants.ts` at `v0.14.0`).
enum MessengerEvent {
    static let messagePending = "messagePending"
    static let ping = "ping"
}
