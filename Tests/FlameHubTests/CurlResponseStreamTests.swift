import Synchronization
import Testing

@testable import FlameHub

/// The response stream as the loop drives it: curl pieces offered one by one, published once per
/// loop pass. No libcurl here; the loop's part is played by the test.
@Suite("Streamed response bodies: batching and back-pressure")
struct CurlResponseStreamTests {
    /// Counts the stream's calls back to the loop.
    final class Calls: Sendable {
        let resumes = Atomic<Int>(0)
        let aborts = Atomic<Int>(0)
    }

    static func makeStream(highWater: Int, calls: Calls) -> CurlResponseStream {
        CurlResponseStream(
            highWater: highWater,
            resume: { calls.resumes.add(1, ordering: .relaxed) },
            abort: { calls.aborts.add(1, ordering: .relaxed) })
    }

    /// Offers `piece` as curl's write callback would.
    static func offer(_ stream: CurlResponseStream, _ piece: [UInt8]) -> CurlResponseStream.Admission {
        piece.withUnsafeBufferPointer { stream.offer($0) }
    }

    static func isTaken(_ admission: CurlResponseStream.Admission, first: Bool) -> Bool {
        if case .taken(let firstPending) = admission { return firstPending == first }
        return false
    }

    @Test("the pieces of one pass reach the consumer as one chunk, in order")
    func piecesOfAPassAreOneChunk() async throws {
        let calls = Calls()
        let stream = Self.makeStream(highWater: 1 << 20, calls: calls)
        #expect(Self.isTaken(Self.offer(stream, [1, 2, 3]), first: true))
        #expect(Self.isTaken(Self.offer(stream, [4, 5]), first: false))
        #expect(Self.isTaken(Self.offer(stream, [6]), first: false))
        stream.publishPending()
        #expect(Self.isTaken(Self.offer(stream, [7, 8]), first: true))
        stream.finish(nil)
        #expect(try await stream.next() == [1, 2, 3, 4, 5, 6])
        // What was still pending when the transfer ended comes before the end.
        #expect(try await stream.next() == [7, 8])
        #expect(try await stream.next() == nil)
        #expect(calls.resumes.load(ordering: .relaxed) == 0)
    }

    @Test("a consumer that waits gets the pass's batch when it is published, not piece by piece")
    func waitingConsumerGetsTheBatch() async throws {
        let stream = Self.makeStream(highWater: 1 << 20, calls: Calls())
        async let first = stream.next()
        // Let the consumer start waiting; whether it waits already or not, it gets one batch.
        await Task.yield()
        _ = Self.offer(stream, Array(repeating: 1, count: 1000))
        _ = Self.offer(stream, Array(repeating: 2, count: 1000))
        stream.publishPending()
        let chunk = try await first
        #expect(chunk?.count == 2000)
        #expect(chunk?.first == 1 && chunk?.last == 2)
        stream.finish(nil)
        #expect(try await stream.next() == nil)
    }

    @Test("a full buffer pauses the transfer; draining to half resumes it; the refused piece is not kept")
    func backPressure() async throws {
        let calls = Calls()
        let highWater = 64 << 10
        let stream = Self.makeStream(highWater: highWater, calls: calls)
        let piece = Array(repeating: UInt8(7), count: 16 << 10)
        var taken = 0
        var full = false
        // One long pass: the pieces pile up until the high-water mark, then curl is paused.
        for _ in 0..<16 {
            switch Self.offer(stream, piece) {
            case .taken: taken += piece.count
            case .full: full = true
            case .dropped: Issue.record("nothing is dropped while the consumer is there")
            }
            if full { break }
        }
        #expect(full)
        #expect(taken == highWater)
        #expect(stream.isPausedForConsumer)
        #expect(stream.peakBufferedBytes == highWater)
        // The pending bytes were published with the pause, so the consumer has what to drain.
        stream.publishPending()
        var received = 0
        while received < taken {
            let chunk = try #require(try await stream.next())
            received += chunk.count
        }
        #expect(received == taken)
        #expect(calls.resumes.load(ordering: .relaxed) == 1)
        #expect(!stream.isPausedForConsumer)
        // curl delivers the refused piece again after the resume.
        #expect(Self.isTaken(Self.offer(stream, piece), first: true))
        stream.finish(nil)
        #expect(try await stream.next()?.count == piece.count)
        #expect(try await stream.next() == nil)
    }

    @Test("large passes are published in batches of a quarter of the buffer")
    func batchLimit() async throws {
        let highWater = 256 << 10
        let stream = Self.makeStream(highWater: highWater, calls: Calls())
        let piece = Array(repeating: UInt8(1), count: 16 << 10)
        // 12 pieces (192 KiB) in one pass stay under the high-water mark.
        for _ in 0..<12 { _ = Self.offer(stream, piece) }
        stream.finish(nil)
        var sizes: [Int] = []
        while let chunk = try await stream.next() { sizes.append(chunk.count) }
        #expect(sizes.reduce(0, +) == 12 * piece.count)
        #expect(sizes.allSatisfy { $0 <= highWater / 4 + piece.count })
        #expect(sizes.count >= 2)
    }

    @Test("after the consumer cancels, pieces are dropped and the loop is told once")
    func cancelDrops() async throws {
        let calls = Calls()
        let stream = Self.makeStream(highWater: 1 << 20, calls: calls)
        _ = Self.offer(stream, [1, 2, 3])
        stream.cancel()
        guard case .dropped = Self.offer(stream, [4]) else {
            Issue.record("a cancelled stream drops what curl still delivers")
            return
        }
        stream.publishPending()
        await #expect(throws: CancellationError.self) { try await stream.next() }
        #expect(calls.aborts.load(ordering: .relaxed) == 1)
    }
}
