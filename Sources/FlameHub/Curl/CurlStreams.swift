import Synchronization

/// A streamed response body fed by curl's write callback on the loop thread and drained by one
/// consumer task. When more than `highWater` bytes wait, the write callback pauses the transfer;
/// the consumer asks the loop to resume it once the buffer has drained to half.
final class CurlResponseStream: ResponseBodySource {
    private struct State {
        var chunks: [[UInt8]] = []
        var head = 0
        var buffered = 0
        var finished = false
        var failure: (any Error)?
        var waiter: UnsafeContinuation<[UInt8]?, any Error>?
        var paused = false
        var cancelled = false
        /// Largest number of bytes ever buffered; tests use it to prove memory stays bounded.
        var peakBuffered = 0
    }

    private let state = Mutex(State())
    private let highWater: Int
    /// The body's length as the response head declared it, if it did.
    let declaredLength: Int64?
    /// Called (off the loop thread) when a paused transfer may go on.
    private let resume: @Sendable () -> Void
    /// Called when the consumer gives up before the end.
    private let abort: @Sendable () -> Void

    init(
        highWater: Int, declaredLength: Int64? = nil, resume: @escaping @Sendable () -> Void,
        abort: @escaping @Sendable () -> Void
    ) {
        self.highWater = max(highWater, 16 << 10)
        self.declaredLength = declaredLength
        self.resume = resume
        self.abort = abort
    }

    var peakBufferedBytes: Int { state.withLock { $0.peakBuffered } }

    /// Whether the producer is paused waiting for the consumer.
    var isPausedForConsumer: Bool { state.withLock { $0.paused } }

    // MARK: producer side (loop thread)

    /// Offers a chunk; false means "buffer full, pause and deliver it again later".
    func offer(_ chunk: [UInt8]) -> Bool {
        // Decided under one lock: a consumer draining the buffer between two separate looks
        // could otherwise clear `paused` and make a chunk that was never stored count as taken.
        let (waiter, accepted): (UnsafeContinuation<[UInt8]?, any Error>?, Bool) = state.withLock { state in
            // Cancelled: swallow the bytes; the transfer is being aborted.
            if state.cancelled { return (nil, true) }
            if let waiter = state.waiter {
                state.waiter = nil
                return (waiter, true)
            }
            if state.buffered >= highWater {
                state.paused = true
                return (nil, false)
            }
            state.chunks.append(chunk)
            state.buffered += chunk.count
            state.peakBuffered = max(state.peakBuffered, state.buffered)
            return (nil, true)
        }
        waiter?.resume(returning: chunk)
        return accepted
    }

    /// Ends the stream, with an error or normally.
    func finish(_ failure: (any Error)?) {
        let waiter: UnsafeContinuation<[UInt8]?, any Error>? = state.withLock { state in
            state.finished = true
            state.failure = failure
            defer { state.waiter = nil }
            return state.waiter
        }
        guard let waiter else { return }
        if let failure { waiter.resume(throwing: failure) } else { waiter.resume(returning: nil) }
    }

    // MARK: consumer side

    func next() async throws -> [UInt8]? {
        try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<[UInt8]?, any Error>) in
                enum Outcome {
                    case chunk([UInt8], resumeTransfer: Bool)
                    case end((any Error)?)
                    case wait
                }
                let outcome: Outcome = state.withLock { state in
                    if state.head < state.chunks.count {
                        let chunk = state.chunks[state.head]
                        state.head += 1
                        state.buffered -= chunk.count
                        if state.head == state.chunks.count {
                            state.chunks.removeAll(keepingCapacity: true)
                            state.head = 0
                        }
                        var resumeTransfer = false
                        if state.paused && state.buffered <= highWater / 2 {
                            state.paused = false
                            resumeTransfer = true
                        }
                        return .chunk(chunk, resumeTransfer: resumeTransfer)
                    }
                    if state.finished || state.cancelled {
                        return .end(state.cancelled ? CancellationError() : state.failure)
                    }
                    if Task.isCancelled { return .end(CancellationError()) }
                    state.waiter = continuation
                    return .wait
                }
                switch outcome {
                case .chunk(let chunk, let resumeTransfer):
                    if resumeTransfer { resume() }
                    continuation.resume(returning: chunk)
                case .end(let failure):
                    if let failure {
                        continuation.resume(throwing: failure)
                    } else {
                        continuation.resume(returning: nil)
                    }
                case .wait:
                    break
                }
            }
        } onCancel: {
            cancel()
        }
    }

    func cancel() {
        let (waiter, wasActive): (UnsafeContinuation<[UInt8]?, any Error>?, Bool) = state.withLock { state in
            let wasActive = !state.finished && !state.cancelled
            state.cancelled = true
            state.chunks = []
            state.head = 0
            state.buffered = 0
            defer { state.waiter = nil }
            return (state.waiter, wasActive)
        }
        waiter?.resume(throwing: CancellationError())
        if wasActive { abort() }
    }
}

/// Bytes of a one-shot request body on their way from a producer task to curl's read callback.
/// The producer waits while more than `highWater` bytes are queued; the read callback pauses the
/// transfer when nothing is queued yet and the producer asks the loop to resume it.
final class UploadBuffer: Sendable {
    private struct State {
        var chunks: [[UInt8]] = []
        var offset = 0
        var buffered = 0
        var finished = false
        var failure: (any Error)?
        var readerPaused = false
        var producerWaiter: UnsafeContinuation<Void, any Error>?
        var aborted = false
    }

    private let state = Mutex(State())
    private let highWater: Int
    private let resumeReader: @Sendable () -> Void

    init(highWater: Int, resumeReader: @escaping @Sendable () -> Void) {
        self.highWater = max(highWater, 64 << 10)
        self.resumeReader = resumeReader
    }

    /// The failure of the producer, if it failed.
    var failure: (any Error)? { state.withLock { $0.failure } }

    /// Whether the read callback paused the transfer because the producer has sent nothing yet.
    var isWaitingForProducer: Bool { state.withLock { $0.readerPaused } }

    // MARK: producer side

    /// Runs `stream` to its end, feeding the buffer.
    func produce(from stream: ByteStream) async {
        do {
            try await stream.pump { chunk in try await self.push(chunk) }
            end(nil)
        } catch {
            end(error)
        }
    }

    private func push(_ chunk: [UInt8]) async throws {
        try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
            let (ready, wakeReader, aborted): (Bool, Bool, Bool) = state.withLock { state in
                if state.aborted { return (false, false, true) }
                state.chunks.append(chunk)
                state.buffered += chunk.count
                let wakeReader = state.readerPaused
                state.readerPaused = false
                if state.buffered > highWater {
                    state.producerWaiter = continuation
                    return (false, wakeReader, false)
                }
                return (true, wakeReader, false)
            }
            if wakeReader { resumeReader() }
            if aborted {
                continuation.resume(throwing: CancellationError())
            } else if ready {
                continuation.resume()
            }
        }
    }

    private func end(_ failure: (any Error)?) {
        let wakeReader = state.withLock { state in
            state.finished = true
            state.failure = failure
            defer { state.readerPaused = false }
            return state.readerPaused
        }
        if wakeReader { resumeReader() }
    }

    /// The transfer is over: release a waiting producer.
    func abort() {
        let waiter = state.withLock { state in
            state.aborted = true
            state.chunks = []
            defer { state.producerWaiter = nil }
            return state.producerWaiter
        }
        waiter?.resume(throwing: CancellationError())
    }

    // MARK: reader side (loop thread)

    enum ReadResult {
        case bytes(Int)
        case pause
        case end
        case failed
    }

    /// Copies up to `capacity` bytes into `destination`.
    func read(into destination: UnsafeMutableRawPointer, capacity: Int) -> ReadResult {
        let (result, waiter): (ReadResult, UnsafeContinuation<Void, any Error>?) = state.withLock { state in
            var written = 0
            while written < capacity && !state.chunks.isEmpty {
                let chunk = state.chunks[0]
                let count = min(capacity - written, chunk.count - state.offset)
                chunk.withUnsafeBytes { source in
                    guard let base = source.baseAddress else { return }
                    (destination + written).copyMemory(from: base + state.offset, byteCount: count)
                }
                written += count
                state.offset += count
                state.buffered -= count
                if state.offset == chunk.count {
                    state.chunks.removeFirst()
                    state.offset = 0
                }
            }
            var waiter: UnsafeContinuation<Void, any Error>?
            if state.buffered <= highWater / 2, let producer = state.producerWaiter {
                state.producerWaiter = nil
                waiter = producer
            }
            if written > 0 { return (.bytes(written), waiter) }
            if state.finished { return (state.failure == nil ? .end : .failed, waiter) }
            state.readerPaused = true
            return (.pause, waiter)
        }
        waiter?.resume()
        return result
    }
}
