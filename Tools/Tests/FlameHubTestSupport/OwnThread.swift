#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Threads of their own for test work that would otherwise hold a thread of the Swift
/// concurrency pool: blocking socket calls, and long CPU work such as parsing every source file
/// in a debug build.
///
/// On a 2-core machine the pool has two threads, and the in-process test servers (Hummingbird)
/// answer on them. A test parsing sources for 30 s on one of them (and another blocked waiting
/// for its result) was part of what left a server unable to answer a plain GET for over 10 s.
public enum OwnThread {
    /// Runs `body` on a new detached thread and returns at once.
    public static func start(_ body: @escaping @Sendable () -> Void) throws {
        final class Box: Sendable {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        let context = Unmanaged.passRetained(Box(body)).toOpaque()
        // pthread_t is an integer on Linux and an optional pointer on Darwin, the start routine's
        // argument optional on Linux only (as in the SDK's curl loop).
        #if canImport(Darwin)
            var thread: pthread_t?
        #else
            var thread = pthread_t()
        #endif
        let created = pthread_create(
            &thread, nil,
            { raw in
                guard let raw = raw as UnsafeMutableRawPointer? else { return nil }
                Unmanaged<Box>.fromOpaque(raw).takeRetainedValue().body()
                return nil
            }, context)
        guard created == 0 else {
            Unmanaged<Box>.fromOpaque(context).release()
            throw FixtureError("pthread_create failed: \(created)")
        }
        #if canImport(Darwin)
            if let thread { pthread_detach(thread) }
        #else
            pthread_detach(thread)
        #endif
    }

    /// Runs `body` on a new thread and returns its result; the calling task is suspended, not
    /// blocked, meanwhile.
    public static func run<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            do {
                try start { continuation.resume(with: Swift.Result { try body() }) }
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }
}
