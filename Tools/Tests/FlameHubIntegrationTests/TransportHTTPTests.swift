import Foundation
import HTTPTypes
import Synchronization
import Testing

@testable import FlameHub

/// `CurlTransport` against a real HTTP/1.1 server (Hummingbird) on 127.0.0.1.
@Suite("CurlTransport against a local HTTP server")
struct TransportHTTPTests {
    @Test("a simple GET, and the default User-Agent with no Expect header")
    func simpleGet() async throws {
        try await TestHTTPServer.with { server in
            try await Fixtures.withTransport { transport in
                let hello = try await transport.text("\(server.baseURL)/hello")
                #expect(hello.status == 200)
                #expect(hello.text == "hello")
                let headers = try await transport.text("\(server.baseURL)/headers")
                #expect(headers.text.contains("user-agent: \(FlameHubVersion.userAgent)\n"))
                #expect(!headers.text.contains("expect:"))
            }
        }
    }

    @Test("a kept handle carries no option of the request before it")
    func keptHandlesStartClean() async throws {
        try await TestHTTPServer.with { server in
            // One request at a time, so every request takes the handle the one before it left.
            try await Fixtures.withTransport { transport in
                let url = "\(server.baseURL)/inspect"
                func inspect(
                    _ method: HTTPRequest.Method = .get, headers: HTTPFields = [:], body: RequestBody? = nil
                ) async throws -> String {
                    let result = try await transport.text(url, method: method, headers: headers, body: body)
                    #expect(result.status == 200)
                    return result.text
                }
                let custom = try await inspect(headers: [.userAgent: "custom/1", .acceptEncoding: "identity"])
                #expect(custom.contains("user-agent: custom/1\n"))
                #expect(custom.contains("accept-encoding: identity\n"))
                let plain = try await inspect()
                #expect(plain.contains("user-agent: \(FlameHubVersion.userAgent)\n"))
                #expect(plain.contains("accept-encoding: ") && !plain.contains("accept-encoding: identity"))
                let head = try await transport.fetch(url, method: .head)
                #expect(head.0.status == 200 && head.1.isEmpty)
                #expect(try await inspect().hasPrefix("method: GET\n"))
                let posted = try await inspect(.post, body: .bytes(Array("abc".utf8), contentType: "text/plain"))
                #expect(posted.hasPrefix("method: POST\n") && posted.contains("length: 3\n"))
                let afterPost = try await inspect()
                #expect(afterPost.hasPrefix("method: GET\n") && afterPost.contains("length: 0\n"))
                #expect(!afterPost.contains("content-type") && !afterPost.contains("content-length"))
                #expect(try await inspect(.delete).hasPrefix("method: DELETE\n"))
                let tagged = try await inspect(headers: [HTTPField.Name("X-Tag")!: "one"])
                #expect(tagged.contains("x-tag: one\n"))
                let afterDelete = try await inspect()
                #expect(afterDelete.hasPrefix("method: GET\n") && !afterDelete.contains("x-tag"))
            }
        }
    }

    @Test("after its busy-poll window the I/O thread sleeps: an idle transport costs no CPU")
    func idleTransportSleeps() async throws {
        try await TestHTTPServer.with { server in
            try await Fixtures.withTransport({ $0.busyPollWindow = .milliseconds(5) }) { transport in
                try await transport.expectText("\(server.baseURL)/hello", "hello")
                try await Task.sleep(for: .milliseconds(50))
                let before = try #require(transport.ioThreadCPUTime)
                try await Task.sleep(for: .milliseconds(500))
                let spent = try #require(transport.ioThreadCPUTime) - before
                // A polling thread would spend about 0.5 s here; a sleeping one almost nothing.
                #expect(spent < .milliseconds(50), "the I/O thread used \(spent) of CPU while idle")
                try await transport.expectText("\(server.baseURL)/hello", "hello")
            }
        }
    }

    @Test("streaming upload from a file: the server sees every byte, with Content-Length, no Expect")
    func uploadFromFile() async throws {
        let directory = try TestNetwork.makeTemporaryDirectory("flamehub-upload")
        defer { TestNetwork.removeDirectory(directory) }
        let bytes = patternBytes(count: 6 << 20 + 123)
        let path = "\(directory)/upload.bin"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        try await TestHTTPServer.with { server in
            try await Fixtures.withTransport { transport in
                let result = try await transport.text(
                    "\(server.baseURL)/upload", method: .put,
                    body: .file(path: path, contentType: "application/octet-stream"))
                #expect(result.status == 200)
                #expect(result.text == "\(bytes.count) \(FNV1a.hash(bytes)) \(bytes.count) -")
                // A large body with no Expect: 100-continue wait (curl's 1 s stall) is sent as is.
                let headers = try await transport.text("\(server.baseURL)/headers")
                #expect(!headers.text.contains("expect"))
            }
        }
    }

    @Test("streaming upload from an async sequence, with a known length and chunked without one")
    func uploadFromAsyncSequence() async throws {
        let chunks = (0..<48).map { patternBytes(count: 64 << 10, seed: UInt64($0) + 1) }
        let all = chunks.flatMap { $0 }
        /// A slow producer: the read callback has to pause and be resumed.
        func producer() -> AsyncThrowingStream<[UInt8], any Error> {
            AsyncThrowingStream { continuation in
                let task = Task {
                    for (index, chunk) in chunks.enumerated() {
                        if index % 8 == 0 { try? await Task.sleep(for: .milliseconds(5)) }
                        continuation.yield(chunk)
                    }
                    continuation.finish()
                }
                continuation.onTermination = { _ in task.cancel() }
            }
        }
        try await TestHTTPServer.with { server in
            try await Fixtures.withTransport { transport in
                let known = try await transport.text(
                    "\(server.baseURL)/upload", method: .put, body: .stream(producer(), length: Int64(all.count)))
                #expect(known.status == 200)
                #expect(known.text == "\(all.count) \(FNV1a.hash(all)) \(all.count) -")

                let chunked = try await transport.text(
                    "\(server.baseURL)/upload", method: .post, body: .stream(producer()))
                #expect(chunked.status == 200)
                #expect(chunked.text == "\(all.count) \(FNV1a.hash(all)) - chunked")
            }
        }
    }

    @Test("an upload waiting for its own slow producer is not taken for a stalled transfer")
    func slowProducerIsNotAStall() async throws {
        let chunks = (0..<2).map { patternBytes(count: 1000, seed: UInt64($0) + 3) }
        let all = chunks.flatMap { $0 }
        let slow = AsyncStream<[UInt8]> { continuation in
            let task = Task {
                for chunk in chunks {
                    // Each gap is longer than the stall window below.
                    try? await Task.sleep(for: .milliseconds(2500))
                    continuation.yield(chunk)
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
        try await TestHTTPServer.with { server in
            try await Fixtures.withTransport({
                // Generous for loaded machines: the server's answer must come within the window.
                $0.timeouts.stall = .init(minimumBytesPerSecond: 100, window: .seconds(2))
            }) { transport in
                let result = try await transport.text("\(server.baseURL)/upload", method: .post, body: .stream(slow))
                #expect(result.text == "\(all.count) \(FNV1a.hash(all)) - chunked")
            }
        }
    }

    @Test("a failing upload stream fails the request with invalidRequest")
    func failingUploadStream() async throws {
        struct Broken: Error {}
        let stream = AsyncThrowingStream<[UInt8], any Error> { continuation in
            continuation.yield(Array(repeating: 1, count: 1000))
            continuation.finish(throwing: Broken())
        }
        try await TestHTTPServer.with { server in
            try await Fixtures.withTransport { transport in
                let error = await #expect(throws: TransportError.self) {
                    _ = try await transport.fetch("\(server.baseURL)/upload", method: .post, body: .stream(stream))
                }
                #expect(error?.code == .invalidRequest)
                #expect(error?.message.contains("Broken") == true)
                // The transport is still usable.
                try await transport.expectText("\(server.baseURL)/hello", "hello")
            }
        }
    }

    @Test("methods without a body: POST sends an empty body with Content-Length 0, DELETE none")
    func emptyBodies() async throws {
        try await TestHTTPServer.with { server in
            try await Fixtures.withTransport { transport in
                let post = try await transport.text("\(server.baseURL)/upload", method: .post)
                #expect(post.text == "0 \(FNV1a.hash([])) 0 -")
                let put = try await transport.text("\(server.baseURL)/upload", method: .put, body: .bytes([]))
                #expect(put.text == "0 \(FNV1a.hash([])) 0 -")
                let delete = try await transport.text("\(server.baseURL)/hello", method: .delete)
                #expect(delete.status == 404)
            }
        }
    }

    @Test("an upload file that does not exist fails before anything is sent")
    func missingUploadFile() async throws {
        try await TestHTTPServer.with { server in
            try await Fixtures.withTransport { transport in
                let error = await #expect(throws: TransportError.self) {
                    _ = try await transport.fetch(
                        "\(server.baseURL)/upload", method: .put, body: .file(path: "/nonexistent/flamehub/upload.bin"))
                }
                #expect(error?.code == .invalidRequest)
                #expect(error?.mayHaveReachedServer == false)
                try await transport.expectText("\(server.baseURL)/hello", "hello")
            }
        }
    }

    @Test("shutdown fails requests in flight and later ones with the shutdown code")
    func shutdown() async throws {
        try await TestHTTPServer.with { server in
            let transport = Fixtures.transport()
            let request = try HTTPRequest(method: .get, url: "\(server.baseURL)/slow?ms=60000")
            let inFlight = Task { try await transport.send(request, body: nil) }
            try await Task.sleep(for: .milliseconds(300))
            transport.shutdown()
            let error = await #expect(throws: TransportError.self) { _ = try await inFlight.value }
            #expect(error?.code == .shutdown)
            let later = await #expect(throws: TransportError.self) {
                _ = try await transport.fetch("\(server.baseURL)/hello")
            }
            #expect(later?.code == .shutdown)
        }
    }

    @Test("multipart form with a field, a file part streamed from disk and a stream part")
    func multipart() async throws {
        let directory = try TestNetwork.makeTemporaryDirectory("flamehub-multipart")
        defer { TestNetwork.removeDirectory(directory) }
        let fileBytes = patternBytes(count: 300_000)
        let path = "\(directory)/report.bin"
        try Data(fileBytes).write(to: URL(fileURLWithPath: path))
        let streamed = Array("streamed part".utf8)
        let form = MultipartForm([
            .init(name: "title", content: .bytes(Array("quarterly report".utf8))),
            .init(
                name: "file", filename: "report.bin", contentType: "application/x-report", content: .file(path: path)),
            .stream(
                name: "notes", filename: "notes.txt", length: Int64(streamed.count),
                AsyncStream { continuation in
                    continuation.yield(streamed)
                    continuation.finish()
                }),
        ])
        try await TestHTTPServer.with { server in
            try await Fixtures.withTransport { transport in
                let parts = try await MultipartParser.echo(form, to: server, through: transport)
                #expect(parts.count == 3)
                #expect(parts[0].headers.contains("Content-Disposition: form-data; name=\"title\""))
                #expect(parts[0].content == Array("quarterly report".utf8))
                #expect(
                    parts[1].headers.contains("Content-Disposition: form-data; name=\"file\"; filename=\"report.bin\""))
                #expect(parts[1].headers.contains("Content-Type: application/x-report"))
                #expect(parts[1].content == fileBytes)
                #expect(parts[2].headers.contains("filename=\"notes.txt\""))
                #expect(parts[2].content == streamed)
            }
        }
    }

    @Test("a multipart stream part from a slow producer, of unknown length, arrives whole")
    func multipartSlowStreamPart() async throws {
        let chunks = (0..<24).map { patternBytes(count: 32 << 10, seed: UInt64($0) + 7) }
        let all = chunks.flatMap { $0 }
        let slow = AsyncStream<[UInt8]> { continuation in
            let task = Task {
                for chunk in chunks {
                    try? await Task.sleep(for: .milliseconds(10))
                    continuation.yield(chunk)
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
        let form = MultipartForm([.stream(name: "data", filename: "data.bin", slow)])
        try await TestHTTPServer.with { server in
            try await Fixtures.withTransport { transport in
                let parts = try await MultipartParser.echo(form, to: server, through: transport)
                #expect(parts.count == 1)
                #expect(parts.first?.content == all)
            }
        }
    }

    @Test("connecting to a closed port fails at once with connectionFailed, nothing sent")
    func closedPort() async throws {
        try await TestNetwork.withRefusingPort { port in
            try await Fixtures.withTransport { transport in
                let error = await #expect(throws: TransportError.self) {
                    _ = try await transport.fetch("http://127.0.0.1:\(port)/nothing?token=secret")
                }
                #expect(error?.code == .connectionFailed)
                #expect(error?.curlCode == 7)
                #expect(error?.mayHaveReachedServer == false)
                #expect(error?.url == "http://127.0.0.1:\(port)/nothing?token=<redacted>")
            }
        }
    }

    @Test("a server that never accepts hits the connect timeout")
    func connectTimeout() async throws {
        let listener = try await UnacceptingListener()
        defer { listener.stop() }
        try await Fixtures.withTransport({ $0.timeouts.connect = .milliseconds(400) }) { transport in
            let error = await #expect(throws: TransportError.self) {
                _ = try await transport.fetch("http://127.0.0.1:\(listener.port)/")
            }
            #expect(error?.code == .connectTimeout)
            #expect(error?.mayHaveReachedServer == false)
        }
    }

    @Test("a response slower than the request timeout fails with requestTimeout")
    func requestTimeout() async throws {
        try await TestHTTPServer.with { server in
            try await Fixtures.withTransport({ $0.timeouts.request = .milliseconds(300) }) { transport in
                let error = await #expect(throws: TransportError.self) {
                    _ = try await transport.fetch("\(server.baseURL)/slow?ms=30000")
                }
                #expect(error?.code == .requestTimeout)
                #expect(error?.mayHaveReachedServer == true)
            }
        }
    }

    @Test("a body that stops moving is aborted by the stall window")
    func stalledBody() async throws {
        try await TestHTTPServer.with { server in
            try await Fixtures.withTransport({
                $0.timeouts.stall = .init(minimumBytesPerSecond: 1, window: .milliseconds(500))
            }) { transport in
                let error = await #expect(throws: TransportError.self) {
                    _ = try await transport.fetch("\(server.baseURL)/stall")
                }
                #expect(error?.code == .stalled)
                #expect(error?.mayHaveReachedServer == true)
            }
        }
    }

    @Test("cancelling the task aborts a request waiting for its response, promptly")
    func cancellationBeforeHead() async throws {
        try await TestHTTPServer.with { server in
            try await Fixtures.withTransport { transport in
                let request = try HTTPRequest(method: .get, url: "\(server.baseURL)/slow?ms=60000")
                let task = Task { try await transport.send(request, body: nil) }
                try await Task.sleep(for: .milliseconds(300))
                await expectPromptCancellation(of: task)
                // The transport and its connections are still fine.
                try await transport.expectText("\(server.baseURL)/hello", "hello")
            }
        }
    }

    @Test("cancelling the task while it streams a body ends the stream promptly")
    func cancellationWhileStreaming() async throws {
        try await TestHTTPServer.with { server in
            try await Fixtures.withTransport { transport in
                let request = try HTTPRequest(method: .get, url: "\(server.baseURL)/drip")
                let received = AtomicCounter()
                let task = Task {
                    let (_, body) = try await transport.send(request, body: nil)
                    for try await chunk in body { received.add(chunk.count) }
                }
                while received.value == 0 { try await Task.sleep(for: .milliseconds(20)) }
                await expectPromptCancellation(of: task)
                try await transport.expectText("\(server.baseURL)/hello", "hello")
            }
        }
    }

    @Test("a task cancelled before sending never starts a transfer")
    func cancelledBeforeSend() async throws {
        try await TestHTTPServer.with { server in
            try await Fixtures.withTransport { transport in
                let request = try HTTPRequest(method: .get, url: "\(server.baseURL)/flaky/never")
                let task = Task {
                    withUnsafeCurrentTask { $0?.cancel() }
                    return try await transport.send(request, body: nil)
                }
                await #expect(throws: CancellationError.self) { try await task.value }
                #expect(server.hits("never") == 0)
            }
        }
    }

    @Test("a dropped body aborts its transfer and the transport goes on")
    func droppedBody() async throws {
        try await TestHTTPServer.with { server in
            try await Fixtures.withTransport { transport in
                for _ in 0..<3 {
                    let request = try HTTPRequest(method: .get, url: "\(server.baseURL)/drip")
                    _ = try await transport.send(request, body: nil)
                }
                try await transport.expectText("\(server.baseURL)/hello", "hello")
            }
        }
    }

    @Test("collect(upTo:) refuses a larger body with bodyTooLarge, and the transport goes on")
    func bodySizeCap() async throws {
        try await TestHTTPServer.with { server in
            try await Fixtures.withTransport { transport in
                let error = await #expect(throws: TransportError.self) {
                    _ = try await transport.fetch("\(server.baseURL)/bytes?count=\(3 << 20)", limit: 1 << 20)
                }
                #expect(error?.code == .bodyTooLarge)
                let (_, exact) = try await transport.fetch("\(server.baseURL)/bytes?count=\(1 << 20)", limit: 1 << 20)
                #expect(exact.count == 1 << 20)
                try await transport.expectText("\(server.baseURL)/hello", "hello")
            }
        }
    }
}

/// `RetryMiddleware` in front of `CurlTransport`, against a server that fails on purpose.
@Suite("Retries against a real server")
struct TransportRetryIntegrationTests {
    /// Counts the attempts that reach the transport.
    struct CountingMiddleware: HTTPMiddleware {
        let counter = AtomicCounter()
        var attempts: Int { counter.value }
        func intercept(
            _ request: HTTPRequest, body: RequestBody?,
            next: @Sendable (HTTPRequest, RequestBody?) async throws -> (HTTPResponse, ResponseBody)
        ) async throws -> (HTTPResponse, ResponseBody) {
            counter.add(1)
            return try await next(request, body)
        }
    }

    @Test("a GET against a server failing twice with Retry-After: 1 succeeds on the third attempt")
    func recoversAfterFailures() async throws {
        try await TestHTTPServer.with { server in
            try await Fixtures.withTransport { transport in
                let client = transport.with([
                    RetryMiddleware(policy: RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(10)))
                ])
                let clock = ContinuousClock()
                let start = clock.now
                let result = try await client.text("\(server.baseURL)/flaky/get?fail=2&retryAfter=1")
                #expect(result.status == 200)
                #expect(result.text == "ok after 3")
                #expect(server.hits("get") == 3)
                // Two Retry-After waits of one second each were honoured (a lower bound only).
                #expect(clock.now - start >= .milliseconds(1900))
            }
        }
    }

    @Test("gives up after maxAttempts and hands back the last 503")
    func givesUp() async throws {
        try await TestHTTPServer.with { server in
            try await Fixtures.withTransport { transport in
                let client = transport.with([
                    RetryMiddleware(policy: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10)))
                ])
                let result = try await client.text("\(server.baseURL)/flaky/many?fail=10")
                #expect(result.status == 503)
                #expect(result.text == "failure 3")
                #expect(server.hits("many") == 3)
            }
        }
    }

    @Test("POST is not retried on 503")
    func postNotRetried() async throws {
        try await TestHTTPServer.with { server in
            try await Fixtures.withTransport { transport in
                let client = transport.with([RetryMiddleware(policy: RetryPolicy(baseDelay: .milliseconds(10)))])
                let result = try await client.text(
                    "\(server.baseURL)/flaky/post?fail=1", method: .post, body: .string("create"))
                #expect(result.status == 503)
                #expect(server.hits("post") == 1)
            }
        }
    }

    @Test("POST to a closed port is retried (nothing was sent); a POST timeout is not")
    func postConnectionFailures() async throws {
        // Held bound while the test runs: a port free a moment ago can become a test server's.
        try await TestNetwork.withRefusingPort { port in
            try await Fixtures.withTransport({ $0.timeouts.request = .milliseconds(300) }) { transport in
                let counter = CountingMiddleware()
                let policy = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10))
                let client = transport.with([RetryMiddleware(policy: policy), counter])
                let error = await #expect(throws: TransportError.self) {
                    _ = try await client.fetch("http://127.0.0.1:\(port)/", method: .post, body: .string("x"))
                }
                #expect(error?.code == .connectionFailed)
                #expect(counter.attempts == 3)

                try await TestHTTPServer.with { server in
                    let timedOut = CountingMiddleware()
                    let slowClient = transport.with([RetryMiddleware(policy: policy), timedOut])
                    let postError = await #expect(throws: TransportError.self) {
                        _ = try await slowClient.fetch(
                            "\(server.baseURL)/slow?ms=30000", method: .post, body: .string("x"))
                    }
                    #expect(postError?.code == .requestTimeout)
                    #expect(postError?.mayHaveReachedServer == true)
                    #expect(timedOut.attempts == 1)

                    let getCounter = CountingMiddleware()
                    let getClient = transport.with([RetryMiddleware(policy: policy), getCounter])
                    await #expect(throws: TransportError.self) {
                        _ = try await getClient.fetch("\(server.baseURL)/slow?ms=30000")
                    }
                    #expect(getCounter.attempts == 3)
                }
            }
        }
    }
}

/// Redirects follow, but `Authorization` never goes to another host.
@Suite("Redirects")
struct TransportRedirectTests {
    @Test("Authorization is kept for the same host and dropped for another host")
    func authorizationStaysHome() async throws {
        try await TestHTTPServer.with { first in
            try await TestHTTPServer.with { second in
                try await Fixtures.withTransport { transport in
                    var headers = HTTPFields()
                    headers[.authorization] = "Bearer home-only-secret"
                    headers[HTTPField.Name("X-Trace")!] = "kept"
                    let same = try await transport.text("\(first.baseURL)/redirect/same", headers: headers)
                    #expect(same.status == 200)
                    #expect(same.text.contains("authorization: Bearer home-only-secret"))

                    let other = try await transport.text(
                        "\(first.baseURL)/redirect/other/\(second.port)", headers: headers)
                    #expect(other.status == 200)
                    #expect(other.text.contains("host: localhost:\(second.port)"))
                    #expect(!other.text.contains("home-only-secret"))
                    #expect(!other.text.contains("authorization"))
                }
            }
        }
    }

    @Test("with following off, the redirect itself is the response")
    func notFollowing() async throws {
        try await TestHTTPServer.with { server in
            try await Fixtures.withTransport({ $0.redirects.follow = false }) { transport in
                let (response, _) = try await transport.fetch("\(server.baseURL)/redirect/same")
                #expect(response.status.code == 302)
                #expect(response.headerFields[.location] == "/headers")
            }
        }
    }

    @Test("more redirects than allowed fail with tooManyRedirects")
    func tooMany() async throws {
        try await TestHTTPServer.with { server in
            try await Fixtures.withTransport({ $0.redirects.maxRedirects = 0 }) { transport in
                let error = await #expect(throws: TransportError.self) {
                    _ = try await transport.fetch("\(server.baseURL)/redirect/same")
                }
                #expect(error?.code == .tooManyRedirects)
            }
        }
    }
}

/// Cancels `task` and expects it to end with `CancellationError` long before the server (which
/// answers after a minute) would have ended it; the bound is generous for loaded machines.
private func expectPromptCancellation<Success: Sendable>(of task: Task<Success, any Error>) async {
    let clock = ContinuousClock()
    let start = clock.now
    task.cancel()
    let result = await task.result
    #expect(clock.now - start < .seconds(15))
    #expect(throws: CancellationError.self) { try result.get() }
}

/// Splits a `multipart/form-data` body into parts (enough for the tests' own bodies).
enum MultipartParser {
    struct Part {
        let headers: String
        let content: [UInt8]
    }

    /// Posts `form` to the server's `/echo` and splits what the server received into parts.
    static func echo(_ form: MultipartForm, to server: TestHTTPServer, through transport: CurlTransport)
        async throws -> [Part]
    {
        let (response, body) = try await transport.fetch(
            "\(server.baseURL)/echo", method: .post, body: .multipart(form))
        #expect(response.status.code == 200)
        let contentType = try #require(HTTPField.Name("X-Echo-Content-Type").flatMap { response.headerFields[$0] })
        let prefix = "multipart/form-data; boundary="
        #expect(contentType.hasPrefix(prefix))
        return try #require(parse(body, boundary: String(contentType.dropFirst(prefix.count))))
    }

    static func parse(_ body: [UInt8], boundary: String) -> [Part]? {
        let opening = Array("--\(boundary)\r\n".utf8)
        let delimiter = Array("\r\n--\(boundary)".utf8)
        let headerEnd = Array("\r\n\r\n".utf8)
        guard body.starts(with: opening) else { return nil }
        var parts: [Part] = []
        var position = opening.count
        while true {
            guard let headersEnd = find(headerEnd, in: body, from: position) else { return nil }
            let headers = String(decoding: body[position..<headersEnd], as: UTF8.self)
            let contentStart = headersEnd + headerEnd.count
            guard let contentEnd = find(delimiter, in: body, from: contentStart) else { return nil }
            parts.append(Part(headers: headers, content: Array(body[contentStart..<contentEnd])))
            position = contentEnd + delimiter.count
            if body[position...].starts(with: Array("--".utf8)) { return parts }
            position += 2  // CRLF
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first && haystack[index..<index + needle.count].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }
}
