// Measures the emulator: how long it takes to start, and how many small requests per second it
// answers to 64 concurrent clients on loopback (target: at least 2,000/s on 2 cores).
// Usage: EmulatorBench [legacy|current] [COUNT]
import FlameHub
import FlameHubEmulator
import Foundation
import HTTPTypes

let arguments = CommandLine.arguments
let generation: HubGeneration = arguments.count > 1 ? HubGeneration(rawValue: arguments[1]) ?? .current : .current
let count = arguments.count > 2 ? Int(arguments[2]) ?? 20_000 : 20_000
let width = 64

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

let clock = ContinuousClock()
let startedAt = clock.now
let emulator = try await HubEmulator.start(generation: generation)
let startup = clock.now - startedAt

let transport = CurlTransport(configuration: CurlConfiguration(maxConnectionsPerHost: 0))
let base = "http://127.0.0.1:\(emulator.port)"

// One admin token, obtained the way every client does.
var tokenRequest = try HTTPRequest(method: .post, url: "\(base)/auth/token")
tokenRequest.headerFields[.contentType] = "application/json"
let (tokenResponse, tokenBody) = try await transport.send(
    tokenRequest, body: .string(#"{"grant_type":"password","username":"admin","password":"start123"}"#))
let tokenJSON = try JSONSerialization.jsonObject(with: Data(try await tokenBody.collect(upTo: 1 << 20)))
guard tokenResponse.status.code == 200, let token = (tokenJSON as? [String: Any])?["access_token"] as? String else {
    print("could not log in: status \(tokenResponse.status.code)")
    exit(1)
}

func measure(_ label: String, path: String, authorized: Bool) async throws {
    var request = try HTTPRequest(method: .get, url: base + path)
    if authorized { request.headerFields[.authorization] = "Bearer \(token)" }
    let fixed = request
    let begin = clock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<width {
            group.addTask {
                for _ in 0..<(count / width) {
                    let (response, body) = try await transport.send(fixed, body: nil)
                    _ = try await body.collect(upTo: 1 << 20)
                    guard response.status.code == 200 else {
                        throw TransportError(.other, message: "\(path) answered \(response.status.code)")
                    }
                }
            }
        }
        try await group.waitForAll()
    }
    let elapsed = seconds(clock.now - begin)
    let padded = label.padding(toLength: 34, withPad: " ", startingAt: 0)
    print("\(generation) \(padded) " + String(format: "%8.0f requests/s", Double(count) / elapsed))
}

print(String(format: "%@ start-up: %.1f ms (target < 1000 ms)", "\(generation)", seconds(startup) * 1000))
try await measure("GET /auth/ (public status)", path: "/auth/", authorized: false)
try await measure("GET /auth/realms (token checked)", path: "/auth/realms", authorized: true)
try await measure("GET /core/nodes (token checked)", path: "/core/nodes", authorized: true)
await emulator.stop()
