import Synchronization

/// A streamed response body fed by curl's write callback on the loop thread and drained by one
/// consumer task.
///
/// curl hands over at most 16 KiB per write callback (`CURL_MAX_WRITE_SIZE`). Those pieces are
/// copied into one pending batch, which the loop publishes once per pass (or when it reaches
/// `batchLimit`), so the consumer is woken once per batch rather than once per piece: at 16 KiB a
/// piece, per-piece wake-ups and their context switches cost more than the bytes. When the
/// published and pending bytes reach `highWater`, the write callback pauses the transfer (libcurl
/// keeps the refused piece and delivers it again on unpause); the consumer asks the loop to resume
/// it once the buffer has drained to half.
final class CurlResponseStream: ResponseBodySource {
    private struct State {
        var chunks: [[UInt8]] = []
        var head = 0
        /// Published bytes in `chunks`, not yet taken by the consumer.
        var buffered = 0
        /// Bytes the loop received in this pass and has not published yet.
        var pending: [UInt8] = []
        /// The size of the previous batch: the capacity the next one starts with, so that
        /// neither a 256 KiB batch grows by doubling nor a trickle holds 256 KiB buffers.
        var lastBatch = 0
        var finished = false
        var failure: (any Error)?
        var waiter: UnsafeContinuation<[UInt8]?, any Error>?
        var paused = false
        var cancelled = false
        /// Largest number of bytes ever buffered (published plus pending); tests use it to
        /// prove memory stays bounded.
        var peakBuffered = 0

        /// Moves the pending batch into `chunks`, or returns it with the waiting consumer, to be
        /// resumed outside the lock.
        mutating func publish() -> Delivery? {
            guard !pending.isEmpty else { return nil }
            let batch = pending
            pending = []
            lastBatch = batch.count
            if let waiter {
                // A waiting consumer has drained everything: it takes the batch itself.
                self.waiter = nil
                return Delivery(waiter: waiter, batch: batch)
            }
            chunks.append(batch)
            buffered += batch.count
            return nil
        }
    }

    /// A batch for a consumer that waits for it.
    private struct Delivery {
        let waiter: UnsafeContinuation<[UInt8]?, any Error>
        let batch: [UInt8]
        func resume() { waiter.resume(returning: batch) }
    }

    private let state = Mutex(State())
    private let highWater: Int
    /// Pending bytes at which the loop publishes before the pass ends, so a consumer on another
    /// core can work on one batch while the next arrives.
    private let batchLimit: Int
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
        batchLimit = max(self.highWater / 4, 16 << 10)
        self.declaredLength = declaredLength
        self.resume = resume
        self.abort = abort
    }

    var peakBufferedBytes: Int { state.withLock { $0.peakBuffered } }

    /// Whether the producer is paused waiting for the consumer.
    var isPausedForConsumer: Bool { state.withLock { $0.paused } }

    // MARK: producer side (loop thread)

    /// What ``offer(_:)`` did with a piece.
    enum Admission {
        /// Copied into the pending batch; `firstPending` when the batch was empty before, so the
        /// loop must publish it at the end of the pass.
        case taken(firstPending: Bool)
        /// The buffer is full: pause the transfer; curl delivers the piece again later.
        case full
        /// The consumer is gone; the bytes are dropped while the transfer is aborted.
        case dropped
    }

    /// Offers a piece from curl's write callback.
    func offer(_ piece: UnsafeBufferPointer<UInt8>) -> Admission {
        // Decided under one lock: a consumer draining the buffer between two separate looks
        // could otherwise clear `paused` and make a piece that was never stored count as taken.
        let (admission, delivery): (Admission, Delivery?) = state.withLock { state in
            if state.cancelled { return (.dropped, nil) }
            var delivery: Delivery?
            if state.buffered + state.pending.count >= highWater {
                // Publish first, so that a pause always leaves the consumer bytes to drain
                // (and so a reason to resume the transfer).
                delivery = state.publish()
                if state.buffered >= highWater {
                    state.paused = true
                    return (.full, nil)
                }
            } else if state.pending.count >= batchLimit {
                delivery = state.publish()
            }
            let firstPending = state.pending.isEmpty
            if firstPending {
                state.pending.reserveCapacity(min(max(state.lastBatch, piece.count), batchLimit + piece.count))
            }
            state.pending.append(contentsOf: piece)
            state.peakBuffered = max(state.peakBuffered, state.buffered + state.pending.count)
            return (.taken(firstPending: firstPending), delivery)
        }
        delivery?.resume()
        return admission
    }

    /// Hands the bytes collected in this pass to the consumer (the loop calls it once per pass).
    func publishPending() {
        state.withLock { $0.publish() }?.resume()
    }

    /// Stores the body bytes that came with the head, before the stream existed.
    func seed(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        state.withLock { state in
            state.chunks.append(bytes)
            state.buffered += bytes.count
            state.lastBatch = bytes.count
            state.peakBuffered = max(state.peakBuffered, state.buffered)
        }
    }

    /// Ends the stream, with an error or normally.
    func finish(_ failure: (any Error)?) {
        let (delivery, waiter): (Delivery?, UnsafeContinuation<[UInt8]?, any Error>?) = state.withLock { state in
            state.finished = true
            state.failure = failure
            // The last bytes come before the end (or the error), as every earlier batch did.
            if let delivery = state.publish() { return (delivery, nil) }
            defer { state.waiter = nil }
            return (nil, state.waiter)
        }
        delivery?.resume()
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
            state.pending = []
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
