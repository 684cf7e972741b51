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

// Warm up the connection(s) outside the measurement, as the C baselines do implicitly.
for _ in 0..<min(width, 100) { try await fetch() }

let clock = ContinuousClock()
let start = clock.now
switch arguments[1] {
case "sequential":
    for _ in 0..<count { try await fetch() }
case "concurrent":
    try await withThrowingTaskGroup(of: Void.self) { group in
        let perTask = count / width
        for _ in 0..<width {
            group.addTask { for _ in 0..<perTask { try await fetch() } }
        }
        try await group.waitForAll()
    }
default:
    print("unknown mode \(arguments[1])")
    exit(2)
}
let elapsed = clock.now - start
print(String(format: "%.6f", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
