import Foundation
import HTTPTypes
import Testing

@testable import FlameHub

#if canImport(Darwin)
    import Darwin
#endif

/// The name of the calling thread (the curl loop names its thread `flamehub-curl`).
private func currentThreadName() -> String {
    #if os(Linux)
        // Glibc's pthread_getname_np is not visible to Swift (it needs _GNU_SOURCE).
        let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
        return name.trimmingCharacters(in: .newlines)
    #else
        var name = [CChar](repeating: 0, count: 64)
        _ = pthread_getname_np(pthread_self(), &name, name.count)
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    #endif
}

/// Tasks that prefer `CurlTransport.ioExecutor`: their code runs on the I/O thread, their
/// requests are sent once each, and cancellation and shutdown still end them.
@Suite("CurlTransport's I/O-thread executor", .enabled(if: TestTools.shouldRun("nginx")))
struct TransportIOExecutorTests {
    @Test("sequential requests of a task that prefers it resume on the I/O thread, each sent once")
    func sequentialOnIOThread() async throws {
        try await NginxServer.with { nginx in
            try nginx.serve(Array("small\n".utf8), as: "small.txt")
            try await Fixtures.withTransport { transport in
                let threads = try await Task.detached(executorPreference: transport.ioExecutor) {
                    var threads: [String] = []
                    for index in 0..<30 {
                        let result = try await transport.text("\(nginx.baseURL)/small.txt?i=\(index)")
                        #expect(result.status == 200)
                        #expect(result.text == "small\n")
                        threads.append(currentThreadName())
                    }
                    return threads
                }.value
                #expect(threads.allSatisfy { $0 == "flamehub-curl" }, "threads: \(Set(threads))")
                // Without the preference, responses resume on the global executor as before.
                let elsewhere = try await Task.detached {
                    _ = try await transport.text("\(nginx.baseURL)/small.txt?i=pool")
                    return currentThreadName()
                }.value
                #expect(elsewhere != "flamehub-curl")
            }
            let log = try await nginx.accessLog(waitingFor: 31, uri: "/small.txt")
            #expect(log.count == 31)
            #expect(Set(log.map(\.connection)).count == 1, "connections: \(log.map(\.connection))")
        }
    }

    @Test("64 child tasks on the I/O thread, with streamed bodies paused and resumed, all complete")
    func concurrentOnIOThread() async throws {
        try await NginxServer.with { nginx in
            let payload = patternBytes(count: 300_000)
            try nginx.serve(payload, as: "payload.bin")
            // A 64 KiB stream buffer: each 300 kB body pauses its transfer several times, and the
            // consumer that resumes it runs on the same thread as the loop.
            try await Fixtures.withTransport({ $0.streamBufferSize = 64 << 10 }) { transport in
                let results = try await Task.detached(executorPreference: transport.ioExecutor) {
                    try await withThrowingTaskGroup(of: (Int, Bool, String).self) { group in
                        for index in 0..<64 {
                            group.addTask {
                                let (response, body) = try await transport.fetch(
                                    "\(nginx.baseURL)/payload.bin?index=\(index)")
                                return (response.status.code, body == payload, currentThreadName())
                            }
                        }
                        return try await group.reduce(into: []) { $0.append($1) }
                    }
                }.value
                #expect(results.count == 64)
                #expect(results.allSatisfy { $0.0 == 200 && $0.1 })
                #expect(results.allSatisfy { $0.2 == "flamehub-curl" })
            }
            let log = try await nginx.accessLog(waitingFor: 64, uri: "/payload.bin")
            #expect(log.count == 64)
        }
    }

    @Test("cancelling a task that prefers it cancels its transfer")
    func cancellation() async throws {
        try await TestHTTPServer.with { server in
            try await Fixtures.withTransport { transport in
                let request = try HTTPRequest(method: .get, url: "\(server.baseURL)/slow?ms=60000")
                let task = Task.detached(executorPreference: transport.ioExecutor) {
                    try await transport.send(request, body: nil)
                }
                try await Task.sleep(for: .milliseconds(200))
                task.cancel()
                await #expect(throws: CancellationError.self) { _ = try await task.value }
                // The loop goes on serving requests, from the same executor.
                let status = try await Task.detached(executorPreference: transport.ioExecutor) {
                    try await transport.text("\(server.baseURL)/hello").status
                }.value
                #expect(status == 200)
            }
        }
    }

    @Test("after shutdown its tasks go on, on the global executor, and their requests fail")
    func afterShutdown() async throws {
        try await TestHTTPServer.with { server in
            let transport = Fixtures.transport()
            let request = try HTTPRequest(method: .get, url: "\(server.baseURL)/slow?ms=60000")
            let inFlight = Task.detached(executorPreference: transport.ioExecutor) {
                do {
                    _ = try await transport.send(request, body: nil)
                    return (TransportError.Code?.none, currentThreadName())
                } catch let error as TransportError {
                    return (error.code, currentThreadName())
                }
            }
            try await Task.sleep(for: .milliseconds(200))
            transport.shutdown()
            let (code, thread) = try await inFlight.value
            #expect(code == .shutdown)
            // The closing loop fails it after closing its inbox: the task resumes on a pool
            // thread, since the loop thread runs no more jobs.
            #expect(thread != "flamehub-curl")
            let later = await Task.detached(executorPreference: transport.ioExecutor) {
                do {
                    _ = try await transport.fetch("\(server.baseURL)/hello")
                    return TransportError.Code?.none
                } catch let error as TransportError {
                    return error.code
                } catch {
                    return .other
                }
            }.value
            #expect(later == .shutdown)
        }
    }
}
