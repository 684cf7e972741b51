// The SDK at its surface, as a new user calls it: `CoreClient` with the default transport,
// `StaticAuth` and a fixed `.current` dialect, against the same nginx fixtures the peers read;
// and the storage client streaming a large file to and from the emulator.
// Usage:
//   SurfaceBench get BASE ID COUNT        getNode(ID), COUNT sequential calls
//   SurfaceBench find BASE COUNT          findNodes() (one 50-node page), COUNT sequential calls
//   SurfaceBench findall BASE COUNT       findAllNodes() to the end, COUNT times
//   SurfaceBench transport URL COUNT      CurlTransport.shared.send + collect, COUNT sequential calls
//   SurfaceBench download STORAGE AUTH FILE-ID [identity]  streams one bucket file, discarding it
//                                                    (identity: without accepting gzip)
//   SurfaceBench upload STORAGE AUTH BUCKET-ID PATH  uploads the file at PATH into the bucket
// Prints the elapsed seconds of the measured part (and, for findall, the records seen; for
// the streams, the bytes moved and the process's peak RSS in KiB).
import FlameHub
import Foundation
import HTTPTypes

func usage() -> Never {
    FileHandle.standardError.write(Data("usage: see the comment at the top of SurfaceBench/main.swift\n".utf8))
    exit(2)
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// The process's peak resident set in KiB (Linux reports `ru_maxrss` in KiB).
func peakRSS() -> Int {
    var usage = rusage()
    #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    #else
        getrusage(RUSAGE_SELF, &usage)
    #endif
    return usage.ru_maxrss
}

/// A failed check of an answer.
struct BenchError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

let arguments = CommandLine.arguments
guard arguments.count >= 4 else { usage() }
let clock = ContinuousClock()

/// Runs `body` `count` times after a short warm-up and prints the seconds the `count` runs took.
@Sendable func measure(count: Int, _ body: () async throws -> Int) async throws {
    var seen = 0
    for _ in 0..<min(count, 50) { seen &+= try await body() }
    seen = 0
    let start = clock.now
    for _ in 0..<count { seen &+= try await body() }
    print(String(format: "%.6f %d", seconds(clock.now - start), seen))
}

/// The curl transport of the `get`, `find`, `findall` and `transport` modes: the shared one, or
/// with the I/O thread's busy-poll window set by FLAMEHUB_BENCH_POLL_US (µs; for experiments).
let pollWindow = ProcessInfo.processInfo.environment["FLAMEHUB_BENCH_POLL_US"].flatMap { Int($0) }
let curl: CurlTransport = {
    guard let pollWindow else { return CurlTransport.shared }
    var configuration = CurlConfiguration()
    configuration.busyPollWindow = .microseconds(pollWindow)
    return CurlTransport(configuration: configuration)
}()

/// FLAMEHUB_BENCH_EXECUTOR=io runs the measured calls in a detached task that prefers the curl
/// transport's `ioExecutor` (responses resumed on its I/O thread), `pool` in a detached task on
/// the global executor (the same without the main actor's hops); unset, on the main actor of the
/// top-level code, as a new user's program calls them.
let executorMode = ProcessInfo.processInfo.environment["FLAMEHUB_BENCH_EXECUTOR"]
func measured(_ run: @escaping @Sendable () async throws -> Void) async throws {
    switch executorMode {
    case "io": try await Task.detached(executorPreference: curl.ioExecutor) { try await run() }.value
    case "pool": try await Task.detached { try await run() }.value
    default: try await run()
    }
}

func core(_ base: String) -> CoreClient {
    guard pollWindow != nil else {
        return CoreClient(baseURL: base, auth: StaticAuth("benchmark-token"), dialect: .current)
    }
    return CoreClient(
        baseURL: base, auth: StaticAuth("benchmark-token"),
        transport: curl.with([RetryMiddleware(), UserAgentMiddleware()]), dialect: .current)
}

switch arguments[1] {
case "get":
    guard arguments.count >= 5, let count = Int(arguments[4]) else { usage() }
    let client = core(arguments[2])
    let id = arguments[3]
    try await measured {
        try await measure(count: count) {
            guard let node = try await client.getNode(id) else { throw BenchError("node \(id) not found") }
            return node.name.utf8.count
        }
    }
case "find":
    guard let count = Int(arguments[3]) else { usage() }
    let client = core(arguments[2])
    try await measured { try await measure(count: count) { try await client.findNodes().count } }
case "findall":
    guard let count = Int(arguments[3]) else { usage() }
    let client = core(arguments[2])
    try await measure(count: count) {
        var records = 0
        for try await _ in client.findAllNodes() { records += 1 }
        return records
    }
case "transport":
    guard let count = Int(arguments[3]) else { usage() }
    let transport = curl
    let request = try HTTPRequest(method: .get, url: arguments[2])
    try await measured {
        try await measure(count: count) {
            let (response, body) = try await transport.send(request, body: nil)
            let bytes = try await body.collect(upTo: 1 << 20)
            guard response.status.code == 200 else { throw BenchError("status \(response.status.code)") }
            return bytes.count
        }
    }
case "download":
    guard arguments.count >= 5 else { usage() }
    // `identity` asks for the bytes as stored (what `curl -o` gets); by default the SDK accepts
    // gzip, which the Hub then sends (what `curl --compressed` gets).
    var configuration = CurlConfiguration()
    configuration.acceptsCompressedResponses = arguments.count < 6 || arguments[5] != "identity"
    let storage = StorageClient(
        baseURL: arguments[2], auth: StaticAuth(arguments[3]), transport: CurlTransport(configuration: configuration))
    let start = clock.now
    var bytes = 0
    for try await chunk in try await storage.streamBucketFile(arguments[4]) { bytes += chunk.count }
    print(String(format: "%.6f %d %d", seconds(clock.now - start), bytes, peakRSS()))
case "upload":
    guard arguments.count >= 6 else { usage() }
    let storage = StorageClient(baseURL: arguments[2], auth: StaticAuth(arguments[3]))
    let start = clock.now
    let files = try await storage.upload([try .file(path: arguments[5], name: "upload.bin")], to: arguments[4])
    let bytes = files.reduce(0) { $0 + Int($1.size ?? 0) }
    print(String(format: "%.6f %d %d", seconds(clock.now - start), bytes, peakRSS()))
default:
    usage()
}
