// The SDK's runtime-dependent behaviour, checked in a program linked the way users link it: the
// FlameHub library and FoundationEssentials, without the full Foundation (time-zone database,
// ICU, locale data) that the test suite brings in through Swift Testing. Run by .ci/test after
// the unit tests: `swift run FlameHubLinkCheck`; prints every check, exits 1 on any failure.
import FlameHub
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

@main
enum LinkCheck {
    static func main() async {
        var report = Report()
        let locale = switchToCommaDecimalLocale()
        print("FlameHubLinkCheck: \(CurlTransport.libcurlVersion); C locale \(locale)")
        checkRetryAfter(&report)
        checkNumbers(&report)
        checkHubDates(&report)
        do {
            let server = try EchoServer()
            defer { server.stop() }
            await checkWireFormat(&report, server: server)
            await checkProxyEnvironment(&report, server: server)
        } catch {
            report.check("the loopback echo server starts", false, "\(error)")
        }
        print(
            report.failures == 0
                ? "all \(report.count) checks passed" : "\(report.failures) of \(report.count) checks FAILED")
        exit(report.failures == 0 ? 0 : 1)
    }

    /// A locale whose decimal separator is a comma, when one is installed: formatting and parsing
    /// of numbers and dates must not follow it. Environment variables are set too, for code that
    /// would read them.
    static func switchToCommaDecimalLocale() -> String {
        for candidate in ["de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8", "ru_RU.UTF-8"] {
            if setlocale(LC_ALL, candidate) != nil {
                setenv("LANG", candidate, 1)
                setenv("LC_ALL", candidate, 1)
                return "\(candidate) (decimal point '\(String(cString: localeconv().pointee.decimal_point))')"
            }
        }
        setenv("LANG", "de_DE.UTF-8", 1)
        _ = setlocale(LC_ALL, "")
        return "\(String(cString: setlocale(LC_ALL, nil))) (no comma-decimal locale installed; LANG=de_DE.UTF-8 set)"
    }

    // MARK: Retry-After

    static func checkRetryAfter(_ report: inout Report) {
        // Sun, 06 Nov 1994 08:49:37 GMT, 30 s ahead.
        let now = Date(timeIntervalSince1970: 784_111_777 - 30)
        let cases = [
            ("delay seconds", "120", Duration.seconds(120)),
            ("IMF-fixdate", "Sun, 06 Nov 1994 08:49:37 GMT", .seconds(30)),
            ("RFC 850 date", "Sunday, 06-Nov-94 08:49:37 GMT", .seconds(30)),
            ("asctime date", "Sun Nov  6 08:49:37 1994", .seconds(30)),
            ("IMF-fixdate on a leap day", "Thu, 29 Feb 1996 00:00:00 GMT", .seconds(41_440_253)),
        ]
        for (name, value, expected) in cases {
            let parsed = RetryPolicy.parseRetryAfter(value, now: now)
            report.check(
                "Retry-After \(name) '\(value)' is \(expected)", parsed == expected, "got \(String(describing: parsed))"
            )
        }
        let past = RetryPolicy.parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT")
        report.check(
            "Retry-After date in the past (now = Date()) is zero", past == .zero, "got \(String(describing: past))")
        let impossible = RetryPolicy.parseRetryAfter("Tue, 29 Feb 2025 00:00:00 GMT", now: now)
        report.check(
            "Retry-After impossible date is refused", impossible == nil, "got \(String(describing: impossible))")
        let policy = RetryPolicy(maxDelay: .seconds(60))
        let delay = policy.delay(
            forRetry: 1, retryAfter: RetryPolicy.parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now: now))
        report.check("RetryPolicy waits what an HTTP-date Retry-After asks", delay == .seconds(30), "got \(delay)")
    }

    // MARK: numbers

    static func checkNumbers(_ report: inout Report) {
        report.check("a Double filter value is written with a point", (1.5).filterText == "1.5", (1.5).filterText)
        report.check(
            "a large Double filter value keeps its digits", (1234567.25).filterText == "1234567.25",
            (1234567.25).filterText)
        let id = UUID(uuidString: "2F8FC7DF-D5FF-484C-BFED-76B8F3C43AFD")
        report.check(
            "a UUID filter value is lowercase", id?.filterText == "2f8fc7df-d5ff-484c-bfed-76b8f3c43afd",
            id?.filterText ?? "no UUID")
    }

    // MARK: ISO-8601 dates of Hub records

    static func checkHubDates(_ report: inout Report) {
        // 2025-05-12T09:44:08Z
        let base = 1_747_043_048.0
        let cases: [(String, Double)] = [
            ("2025-05-12T09:44:08Z", base),
            ("2025-05-12T09:44:08.284Z", base + 0.284),
            ("2025-05-12T09:44:08.284000Z", base + 0.284),
            ("2025-05-12T11:44:08.284+02:00", base + 0.284),
            ("2025-05-12T04:14:08-05:30", base),
            ("2024-02-29T23:59:59Z", 1_709_251_199),
        ]
        for (text, expected) in cases {
            let json =
                #"{"id":"2f8fc7df-d5ff-484c-bfed-76b8f3c43afd","createdAt":"\#(text)","updated_at":"\#(text)","score":0.25}"#
            do {
                let probe = try HubJSON.decodeRecord(Probe.self, from: Array(json.utf8))
                let seconds = probe.createdAt.timeIntervalSince1970
                report.check(
                    "Hub date '\(text)' decodes to \(expected)",
                    abs(seconds - expected) < 0.0005 && probe.updatedAt == probe.createdAt, "got \(seconds)")
            } catch {
                report.check("Hub date '\(text)' decodes", false, "\(error)")
            }
        }
        do {
            let json =
                #"{"id":"2f8fc7df-d5ff-484c-bfed-76b8f3c43afd","createdAt":"2025-05-12T09:44:08Z","updatedAt":"2025-05-12T09:44:08Z","score":1234.5}"#
            let probe = try HubJSON.decodeRecord(Probe.self, from: Array(json.utf8))
            report.check("a JSON number with a fraction decodes exactly", probe.score == 1234.5, "got \(probe.score)")
        } catch {
            report.check("a JSON number with a fraction decodes", false, "\(error)")
        }
    }

    // MARK: what goes on the wire

    static func checkWireFormat(_ report: inout Report, server: EchoServer) async {
        let transport = CurlTransport(configuration: CurlConfiguration(proxy: .disabled))
        defer { transport.shutdown() }
        let probes = Resource<Probes>(
            context: HubContext(
                baseURL: "http://127.0.0.1:\(server.port)/", service: .core, auth: nil, transport: transport,
                dialect: .current))
        let date = Date(timeIntervalSince1970: 1_747_043_048.284)
        do {
            let created = try await probes.create(Probe.make(createdAt: date, score: 1234.5))
            let body = server.lastRequest.body
            report.check(
                "a Date in a request body is ISO-8601 UTC with milliseconds",
                body.contains(#""createdAt":"2025-05-12T09:44:08.284Z""#), body)
            report.check("a Double in a request body is written with a point", body.contains(#""score":1234.5"#), body)
            report.check(
                "the record the server echoes decodes to the same date",
                abs(created.createdAt.timeIntervalSince1970 - date.timeIntervalSince1970) < 0.0005,
                "\(created.createdAt.timeIntervalSince1970)")
        } catch {
            report.check("a record is created against the loopback server", false, "\(error)")
        }
    }

    // MARK: proxy settings from the environment

    static func checkProxyEnvironment(_ report: inout Report, server: EchoServer) async {
        for name in [
            "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY",
        ] {
            unsetenv(name)
        }
        let proxy = "http://127.0.0.1:\(server.port)"
        // Uppercase, which libcurl alone ignores for http URLs; the SDK honours both cases.
        setenv("HTTP_PROXY", proxy, 1)
        await expectRequestLine(
            &report, "HTTP_PROXY from the environment is used", server: server,
            baseURL: "http://flamehub-linkcheck.invalid/",
            line: "POST http://flamehub-linkcheck.invalid/probes HTTP/1.1")
        // Lowercase wins over uppercase.
        setenv("HTTP_PROXY", "http://127.0.0.1:1", 1)
        setenv("http_proxy", proxy, 1)
        await expectRequestLine(
            &report, "http_proxy wins over HTTP_PROXY", server: server,
            baseURL: "http://flamehub-linkcheck.invalid/",
            line: "POST http://flamehub-linkcheck.invalid/probes HTTP/1.1")
        setenv("NO_PROXY", "127.0.0.1", 1)
        await expectRequestLine(
            &report, "NO_PROXY from the environment bypasses the proxy", server: server,
            baseURL: "http://127.0.0.1:\(server.port)/", line: "POST /probes HTTP/1.1")
        for name in ["http_proxy", "HTTP_PROXY", "NO_PROXY"] { unsetenv(name) }
    }

    static func expectRequestLine(
        _ report: inout Report, _ name: String, server: EchoServer, baseURL: String, line: String
    ) async {
        // The environment is read when the transport is created.
        let transport = CurlTransport(configuration: CurlConfiguration(proxy: .environment))
        defer { transport.shutdown() }
        let probes = Resource<Probes>(
            context: HubContext(baseURL: baseURL, service: .core, auth: nil, transport: transport, dialect: .current))
        do {
            _ = try await probes.create(Probe.make(createdAt: Date(timeIntervalSince1970: 0), score: 1))
            let seen = server.lastRequest.line
            report.check(name, seen == line, "the server saw '\(seen)'")
        } catch {
            report.check(name, false, "\(error)")
        }
    }
}

/// Counts checks and failures, printing each one.
struct Report {
    private(set) var count = 0
    private(set) var failures = 0

    mutating func check(_ name: String, _ passed: Bool, _ detail: @autoclosure () -> String = "") {
        count += 1
        if passed {
            print("ok    \(name)")
        } else {
            failures += 1
            print("FAIL  \(name): \(detail())")
        }
    }
}

/// A record with the kinds of values whose reading could depend on the runtime.
struct Probe: HubModel {
    var id: UUID
    var createdAt: Date
    var updatedAt: Date
    var score: Double

    static func make(createdAt: Date, score: Double) -> Probe {
        Probe(
            id: UUID(uuidString: "2f8fc7df-d5ff-484c-bfed-76b8f3c43afd") ?? UUID(), createdAt: createdAt,
            updatedAt: createdAt, score: score)
    }
}

/// `POST /probes`, whose answer is the request body itself (see ``EchoServer``).
enum Probes: CreatableResource {
    typealias Model = Probe
    typealias Create = Probe
    static let path = "probes"
}

/// A loopback HTTP/1.1 server on its own thread that answers every request with the request's
/// body (so a create returns the record it sent) and remembers the request line and body, so a
/// check sees what went on the wire and whether it came through a proxy (absolute-form target).
final class EchoServer: Sendable {
    struct Request: Sendable {
        var line = ""
        var body = ""
    }

    let port: Int
    private let listener: Int32
    private let requests = Mutex(Request())

    var lastRequest: Request { requests.withLock { $0 } }

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening =
            listener >= 0
            && withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(listener, $0, length) == 0 && listen(listener, 16) == 0
                        && getsockname(listener, $0, &length) == 0
                }
            }
        guard listening else { throw LinkCheckError("cannot listen on 127.0.0.1: errno \(errno)") }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        var thread = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let created = pthread_create(
            &thread, nil,
            { raw in
                guard let raw else { return nil }
                Unmanaged<EchoServer>.fromOpaque(raw).takeRetainedValue().serve()
                return nil
            }, context)
        guard created == 0 else {
            Unmanaged<EchoServer>.fromOpaque(context).release()
            throw LinkCheckError("cannot start the server thread")
        }
        pthread_detach(thread)
    }

    func stop() {
        // Wakes the blocked accept, which then fails and ends the thread.
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func serve() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            answer(client)
            close(client)
        }
    }

    private func answer(_ client: Int32) {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        func readMore() -> Bool {
            let count = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return false }
            received.append(contentsOf: buffer[..<count])
            return true
        }
        let separator = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while headEnd == nil {
            guard readMore() else { return }
            headEnd = received.indices.dropLast(3).first { received[$0..<$0 + 4].elementsEqual(separator) }
        }
        guard let headEnd else { return }
        let head = String(decoding: received[..<headEnd], as: UTF8.self)
        let lines = head.split(separator: "\r\n")
        var length = 0
        for line in lines.dropFirst() where line.lowercased().hasPrefix("content-length:") {
            length = Int(String(line.dropFirst("content-length:".count).filter { $0 != " " && $0 != "\t" })) ?? 0
        }
        while received.count < headEnd + 4 + length {
            guard readMore() else { return }
        }
        let body = Array(received[(headEnd + 4)..<(headEnd + 4 + length)])
        requests.withLock {
            $0 = Request(line: lines.first.map(String.init) ?? "", body: String(decoding: body, as: UTF8.self))
        }
        let response =
            Array(
                "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
                    .utf8)
            + body
        _ = response.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }
}

struct LinkCheckError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
