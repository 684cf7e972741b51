// Measures CurlTransport against the same server the raw libcurl baselines use.
// Usage: TransportBench sequential URL COUNT | concurrent URL COUNT WIDTH | stream URL 1
// Prints the elapsed seconds of the measured part only; `stream` reads one large body chunk by
// chunk (as a download does) and adds the bytes (peak RSS: measure with /usr/bin/time).
import FlameHub
import Foundation
import HTTPTypes

let arguments = CommandLine.arguments
guard arguments.count >= 4, let count = Int(arguments[3]) else {
    print("usage: TransportBench sequential|concurrent URL COUNT [WIDTH]")
    exit(2)
}
let url = arguments[2]
let width = arguments.count > 4 ? Int(arguments[4]) ?? 64 : 64
let transport = CurlTransport(
    configuration: CurlConfiguration(maxConnectionsPerHost: 0, acceptsCompressedResponses: false))
let request = try HTTPRequest(method: .get, url: url)

func fetch() async throws {
    let (response, body) = try await transport.send(request, body: nil)
    _ = try await body.collect(upTo: 1 << 20)
    guard response.status.code == 200 else { throw TransportError(.other, message: "status \(response.status.code)") }
}

if arguments[1] == "stream" {
    let start = ContinuousClock.now
    let (response, body) = try await transport.send(request, body: nil)
    var bytes = 0
    for try await chunk in body { bytes += chunk.count }
    guard response.status.code == 200 else { throw TransportError(.other, message: "status \(response.status.code)") }
    let elapsed = ContinuousClock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print(String(format: "%.6f %d", seconds, bytes))
    exit(0)
}

// FLAMEHUB_BENCH_EXECUTOR=io: the requests run in tasks that prefer the transport's
// `ioExecutor`, so responses are resumed on the I/O thread instead of a pool thread. Either way
// the measured loop is a detached task, off the main actor: a raw C loop has no such hops.
let preferred: CurlIOExecutor? =
    ProcessInfo.processInfo.environment["FLAMEHUB_BENCH_EXECUTOR"] == "io" ? transport.ioExecutor : nil
let mode = arguments[1]
guard mode == "sequential" || mode == "concurrent" else {
    print("unknown mode \(mode)")
    exit(2)
}
let clock = ContinuousClock()
// Detached: the measured loop is nonisolated, so that it runs on the preferred executor (or the
// pool) rather than on the main actor of the top-level code.
let elapsed = try await Task.detached(executorPreference: preferred) {
    // Warm up the connection(s) outside the measurement, as the C baselines do implicitly.
    for _ in 0..<min(width, 100) { try await fetch() }
    let start = clock.now
    if mode == "sequential" {
        for _ in 0..<count { try await fetch() }
    } else {
        try await withThrowingTaskGroup(of: Void.self) { group in
            let perTask = count / width
            for _ in 0..<width {
                group.addTask { for _ in 0..<perTask { try await fetch() } }
            }
            try await group.waitForAll()
        }
    }
    return clock.now - start
}.value
print(String(format: "%.6f", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
