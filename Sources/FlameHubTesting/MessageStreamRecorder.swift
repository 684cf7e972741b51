import FlameHub
import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Iterates a ``FlameHub/MessageStream`` in a task of its own and records what it yields, so a
/// test can wait for messages without blocking on the sequence.
///
/// ```swift
/// let recorder = MessageStreamRecorder(messenger.messages())
/// defer { recorder.cancel() }
/// try await recorder.waitFor(1)
/// #expect(recorder.ids == sentIDs)
/// ```
public final class MessageStreamRecorder: Sendable {
    private struct Seen {
        var ids: [UUID] = []
        var error: (any Error)?
        var ended = false
    }

    private final class Box: Sendable {
        let seen = Mutex(Seen())
    }

    private let box = Box()
    private let task: Task<Void, Never>

    /// Starts iterating `stream`.
    public init(_ stream: MessageStream) {
        let box = box
        task = Task {
            do {
                for try await message in stream { box.seen.withLock { $0.ids.append(message.id) } }
            } catch {
                box.seen.withLock { $0.error = error }
            }
            box.seen.withLock { $0.ended = true }
        }
    }

    /// The ids of the messages yielded so far, in order.
    public var ids: [UUID] { box.seen.withLock { $0.ids } }
    /// The error the stream ended with, if it did.
    public var error: (any Error)? { box.seen.withLock { $0.error } }
    /// Whether the stream has ended.
    public var isEnded: Bool { box.seen.withLock { $0.ended } }

    /// Stops iterating (which ends the stream and closes its connection).
    public func cancel() { task.cancel() }

    /// Waits until `count` messages were yielded.
    public func waitFor(_ count: Int, timeout: Duration = .seconds(30)) async throws {
        try await eventually("\(count) messages", timeout: timeout) { self.ids.count >= count }
    }

    /// Waits until the stream has ended.
    public func waitForEnd(timeout: Duration = .seconds(30)) async throws {
        try await eventually("the end of the stream", timeout: timeout) { self.isEnded }
    }
}
