import FlameHub
import FlameHubEmulator
import HTTPTypes
import Testing

/// The fault matrix, status rows: 429/502/503/504 with `Retry-After` in seconds and in each
/// HTTP-date format, through `CurlTransport` and `CoreClient`; a POST is never retried.
///
/// Whether the header was understood is shown without timing: a `Retry-After` in the past (or
/// `0`) is retried at once and succeeds; one far in the future asks for more waiting than the
/// policy's 2 s overall, so the middleware hands back the status at once instead of retrying
/// after its own short delay (which it would do if the header were not understood).
@Suite("Fault matrix: statuses and Retry-After")
struct FaultMatrixStatusTests {
    typealias Counting = TransportRetryIntegrationTests.CountingMiddleware

    enum RetryAfterForm: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case seconds, imfFixdate, rfc850, asctime

        var testDescription: String { rawValue }

        /// A value whose delay is zero.
        var now: String {
            switch self {
            case .seconds: "0"
            case .imfFixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
            case .rfc850: "Sunday, 06-Nov-94 08:49:37 GMT"
            case .asctime: "Sun Nov  6 08:49:37 1994"
            }
        }

        /// A value decades ahead (RFC 850's two-digit year 66 is read as 2066, within 50 years).
        var farFuture: String {
            switch self {
            case .seconds: "86400"
            case .imfFixdate: "Thu, 01 Jan 2099 00:00:00 GMT"
            case .rfc850: "Friday, 01-Jan-66 00:00:00 GMT"
            case .asctime: "Thu Jan  1 00:00:00 2099"
            }
        }
    }

    static let statuses = [429, 502, 503, 504]

    /// Answers `status` with `Retry-After: value` on a target's first request, the node after.
    private func failingOnce(_ status: Int, retryAfter value: String) -> FaultFixtures.Script {
        let tally = AttemptTally()
        return { request in
            tally.next(request) == 1
                ? .respond(
                    status: status, body: #"{"statusCode":\#(status),"message":"busy"}"#,
                    headers: ["Content-Type: application/json", "Retry-After: \(value)"])
                : FaultFixtures.json(FaultFixtures.nodeJSON)
        }
    }

    @Test(
        "a GET answered with a retryable status is retried after Retry-After and succeeds; a POST is not retried",
        arguments: statuses, RetryAfterForm.allCases)
    func retriedAfterRetryAfter(status: Int, form: RetryAfterForm) async throws {
        try await ScriptedServer.with(failingOnce(status, retryAfter: form.now)) { server in
            try await Fixtures.withTransport { transport in
                let counter = Counting()
                let client = transport.with([RetryMiddleware(policy: FaultFixtures.policy), counter])
                let (response, _) = try await client.fetch("\(server.baseURL)/plain")
                #expect(response.status.code == 200)
                #expect(counter.attempts == 2)
                #expect(server.count("GET", "/plain") == 2)

                let coreCounter = Counting()
                let core = FaultFixtures.core(server.baseURL, transport, counter: coreCounter)
                #expect(try await core.getNode(FaultFixtures.nodeID)?.name == "fault-node")
                #expect(server.count("GET", path: FaultFixtures.nodePath) == 2)

                let error = await #expect(throws: HubAPIError.self) {
                    try await core.createNode(CreateNode(name: "once"))
                }
                #expect(error?.status == status)
                #expect(server.count("POST", "/nodes") == 1)
            }
        }
    }

    @Test(
        "a Retry-After beyond the policy's total wait is understood: the status is handed back at once",
        arguments: statuses, RetryAfterForm.allCases)
    func farFutureRetryAfter(status: Int, form: RetryAfterForm) async throws {
        try await ScriptedServer.with(failingOnce(status, retryAfter: form.farFuture)) { server in
            try await Fixtures.withTransport { transport in
                let counter = Counting()
                let core = FaultFixtures.core(server.baseURL, transport, counter: counter)
                let error = await #expect(throws: HubAPIError.self) {
                    _ = try await core.getNode(FaultFixtures.nodeID)
                }
                #expect(error?.status == status)
                #expect(error?.headers[.retryAfter] == form.farFuture)
                #expect(counter.attempts == 1)
                #expect(server.count("GET", path: FaultFixtures.nodePath) == 1)
            }
        }
    }

    @Test("the emulator's injected 503 with Retry-After: a list through CoreClient recovers")
    func emulatorInjected503() async throws {
        try await CoreHub.run(.current) { hub in
            _ = try await hub.core.createNode(CreateNode(name: "listed-node"))
            hub.hub.clearRequests()
            hub.hub.injectFault(
                Fault(pathPrefix: "/core/nodes", method: "GET", count: 2, action: .status(503, retryAfter: 0)))
            let nodes = try await hub.core.getNodes()
            #expect(nodes.items.contains { $0.name == "listed-node" })
            #expect(hub.hub.requests.filter { $0.method == "GET" && $0.path == "/core/nodes" }.count == 3)
        }
    }
}
