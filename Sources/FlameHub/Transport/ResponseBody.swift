import Synchronization

/// A response body: an `AsyncSequence` of byte chunks, iterated once.
///
/// Bodies from ``CurlTransport`` are streamed with backpressure: while the consumer is slower
/// than the network, the transfer is paused instead of buffering the whole body. Dropping a body
/// that was not read to the end aborts the rest of its transfer.
public struct ResponseBody: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    public typealias Failure = any Error

    enum Storage: Sendable {
        case complete([UInt8])
        case stream(ConsumerHandle)
    }

    let storage: Storage

    /// A body of bytes that are all there already.
    public init(bytes: [UInt8] = []) {
        storage = .complete(bytes)
    }

    /// A body produced by an async sequence of byte chunks (used by mocks and adapters).
    public init<Chunks: AsyncSequence & Sendable>(stream chunks: Chunks) where Chunks.Element == [UInt8] {
        storage = .stream(ConsumerHandle(IteratorSource(chunks)))
    }

    init(source: any ResponseBodySource) {
        storage = .stream(ConsumerHandle(source))
    }

    /// Reads the whole body into memory, refusing bodies over `maxBytes`.
    ///
    /// - Throws: ``TransportError`` with code ``TransportError/Code/bodyTooLarge`` as soon as the
    ///   body passes `maxBytes`, or before reading it when its declared length already does (the
    ///   rest of the transfer is aborted).
    public func collect(upTo maxBytes: Int) async throws -> [UInt8] {
        switch storage {
        case .complete(let bytes):
            guard bytes.count <= maxBytes else { throw TransportError.bodyTooLarge(limit: maxBytes) }
            return bytes
        case .stream(let handle):
            if let declared = handle.source.declaredLength, declared > maxBytes {
                handle.source.cancel()
                throw TransportError.bodyTooLarge(limit: maxBytes)
            }
            var result: [UInt8] = []
            while let chunk = try await handle.source.next() {
                guard result.count + chunk.count <= maxBytes else {
                    handle.source.cancel()
                    throw TransportError.bodyTooLarge(limit: maxBytes)
                }
                if result.isEmpty { result = chunk } else { result.append(contentsOf: chunk) }
            }
            return result
        }
    }

    /// Reads the body to its end and discards it.
    public func discard() async throws {
        for try await _ in self {}
    }

    public func makeAsyncIterator() -> Iterator {
        switch storage {
        case .complete(let bytes): Iterator(pending: bytes.isEmpty ? nil : bytes, handle: nil)
        case .stream(let handle): Iterator(pending: nil, handle: handle)
        }
    }

    /// Iterates a body's chunks.
    public struct Iterator: AsyncIteratorProtocol {
        var pending: [UInt8]?
        let handle: ConsumerHandle?

        public mutating func next() async throws -> [UInt8]? {
            if let pending {
                self.pending = nil
                return pending
            }
            return try await handle?.source.next()
        }
    }
}

/// Where streamed chunks come from. `next` is called by one consumer at a time.
protocol ResponseBodySource: AnyObject, Sendable {
    func next() async throws -> [UInt8]?
    /// The consumer is gone or gave up: stop producing and release resources.
    func cancel()
    /// The body's length as the response head declared it (`Content-Length`), if known.
    var declaredLength: Int64? { get }
}

extension ResponseBodySource {
    var declaredLength: Int64? { nil }
}

/// Owned only by bodies and their iterators: when the last one is dropped, the producer is told.
final class ConsumerHandle: Sendable {
    let source: any ResponseBodySource
    init(_ source: any ResponseBodySource) { self.source = source }
    deinit { source.cancel() }
}

/// Adapts any async sequence. An actor, so that its iterator is isolated to it: the iterator's
/// `next` runs on the actor (`next(isolation:)`), and a second consumer running at the same time
/// (against the contract) sees the end instead of a data race.
private actor IteratorSource<Chunks: AsyncSequence & Sendable>: ResponseBodySource where Chunks.Element == [UInt8] {
    private var iterator: Chunks.AsyncIterator?
    private let cancelled = Atomic<Bool>(false)

    init(_ chunks: Chunks) { iterator = chunks.makeAsyncIterator() }

    func next() async throws -> [UInt8]? {
        if cancelled.load(ordering: .relaxed) { return nil }
        guard var current = iterator else { return nil }
        iterator = nil
        guard let chunk = try await current.next(isolation: self) else { return nil }
        iterator = current
        return chunk
    }

    nonisolated func cancel() { cancelled.store(true, ordering: .relaxed) }
}
