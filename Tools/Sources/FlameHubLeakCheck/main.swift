import FlameHub
import FlameHubHygiene
import HTTPTypes

#if canImport(Glibc)
    import Glibc
#endif

// Mixed traffic through CurlTransport and an AuthClient against LocalServer — successes, HTTP
// errors, resets, timeouts and cancellations — then the transport is shut down and released, and
// the process's file descriptors and threads must be back at their baseline. Built with
// `-sanitize=address` (LeakSanitizer reports definite leaks at exit, failing the run) or run under
// valgrind; `.ci/leak-check` does both kinds of build. Usage: flamehub-leak-check [requests] [concurrency]

let arguments = CommandLine.arguments
let total = arguments.count > 1 ? Int(arguments[1]) ?? 10_000 : 10_000
let concurrency = arguments.count > 2 ? Int(arguments[2]) ?? 16 : 16

enum Kind: Int, CaseIterable { case ok, error, reset, timeout, cancel, decoded }

/// Sends request `index` and says whether it ended as its kind must: 200, 500, a transport
/// error, a timeout, a cancellation, a decoded list.
func run(_ index: Int, _ transport: CurlTransport, _ auth: AuthClient, _ base: String) async -> (Kind, Bool) {
    let kind: Kind
    switch index % 10 {
    case 0...3: kind = .ok
    case 4: kind = .error
    case 5: kind = .reset
    case 6: kind = .timeout
    case 7: kind = .cancel
    default: kind = .decoded
    }
    do {
        switch kind {
        case .decoded:
            return (kind, try await auth.realms.list().count == 1)
        case .cancel:
            let task = Task {
                let (_, body) = try await transport.send(try HTTPRequest(method: .get, url: base + "/slow"), body: nil)
                return try await body.collect(upTo: 1 << 20).count
            }
            try await Task.sleep(for: .milliseconds(index % 3 == 0 ? 0 : 30))
            task.cancel()
            do {
                _ = try await task.value
                return (kind, false)
            } catch is CancellationError {
                return (kind, true)
            }
        default:
            let path = ["/ok", "/error", "/reset", "/stall"][
                [Kind.ok, .error, .reset, .timeout].firstIndex(of: kind) ?? 0]
            let (response, body) = try await transport.send(try HTTPRequest(method: .get, url: base + path), body: nil)
            let bytes = try await body.collect(upTo: 1 << 20)
            return (
                kind,
                (kind == .ok && response.status.code == 200 || kind == .error && response.status.code == 500)
                    && !bytes.isEmpty
            )
        }
    } catch let error as TransportError {
        switch kind {
        case .reset: return (kind, [.receiveFailed, .sendFailed].contains(error.code))
        case .timeout: return (kind, error.code == .requestTimeout)
        default:
            print("request \(index) (\(kind)): \(error)")
            return (kind, false)
        }
    } catch {
        print("request \(index) (\(kind)): \(type(of: error)) \(error)")
        return (kind, false)
    }
}

let port = LocalServer.start()
let base = "http://127.0.0.1:\(port)"
// Warm the cooperative pool so that its threads count in the baseline.
await withTaskGroup(of: Void.self) { group in
    for _ in 0..<64 { group.addTask { try? await Task.sleep(for: .milliseconds(5)) } }
}
let fdBaseline = ProcessStats.fileDescriptors
let threadBaseline = ProcessStats.threads
let rssStart = ProcessStats.residentMiB()
let clock = ContinuousClock()
let start = clock.now
var outcomes: [Kind: (ok: Int, bad: Int)] = [:]
var peakFDs = 0
var peakThreads = 0
do {
    let transport = CurlTransport(
        configuration: CurlConfiguration(
            timeouts: .init(connect: .seconds(2), request: .milliseconds(300)), proxy: .disabled))
    let auth = AuthClient(baseURL: base + "/auth/", auth: .token("leak-check"), transport: transport, dialect: .current)
    await withTaskGroup(of: (Kind, Bool).self) { group in
        var next = 0
        for _ in 0..<min(concurrency, total) {
            let index = next
            group.addTask { await run(index, transport, auth, base) }
            next += 1
        }
        while let (kind, passed) = await group.next() {
            outcomes[kind, default: (0, 0)].ok += passed ? 1 : 0
            outcomes[kind, default: (0, 0)].bad += passed ? 0 : 1
            if next % 500 == 0 {
                peakFDs = max(peakFDs, ProcessStats.fileDescriptors)
                peakThreads = max(peakThreads, ProcessStats.threads)
            }
            if next < total {
                let index = next
                group.addTask { await run(index, transport, auth, base) }
                next += 1
            }
        }
    }
    transport.shutdown()
}
// The server's connection threads end when the client's connections close; give them a moment.
var fdEnd = ProcessStats.fileDescriptors
var threadEnd = ProcessStats.threads
for _ in 0..<50 where fdEnd > fdBaseline || threadEnd > threadBaseline {
    try await Task.sleep(for: .milliseconds(100))
    fdEnd = ProcessStats.fileDescriptors
    threadEnd = ProcessStats.threads
}
let elapsed = clock.now - start
let failures = outcomes.values.reduce(0) { $0 + $1.bad }
for kind in Kind.allCases {
    let outcome = outcomes[kind] ?? (0, 0)
    print("\(kind): \(outcome.ok) as expected, \(outcome.bad) not")
}
print(
    "requests: \(total), concurrency \(concurrency), \(elapsed); fds \(fdBaseline) → peak \(peakFDs) → \(fdEnd); "
        + "threads \(threadBaseline) → peak \(peakThreads) → \(threadEnd); RSS \(rssStart) → \(ProcessStats.residentMiB()) MiB"
)
if failures > 0 || fdEnd > fdBaseline || threadEnd > threadBaseline {
    print("LEAK CHECK FAILED")
    exit(1)
}
print("LEAK CHECK PASSED")
