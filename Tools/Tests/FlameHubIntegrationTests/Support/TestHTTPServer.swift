import HTTPTypes
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// A small real HTTP/1.1 server (Hummingbird) on 127.0.0.1 and a free port, with the endpoints
/// the transport tests need. Handlers that wait watch a stop flag, so stopping never hangs.
///
/// - `GET /hello`: `hello`
/// - `GET /headers`: `host: <authority>`, then the request's header fields, one `name: value` per
///   line (names lowercased)
/// - `PUT|POST /upload`: reads the body as a stream; answers `<length> <fnv1a> <content-length> <transfer-encoding>`
/// - `POST /echo`: the body back, with the request's content type in `X-Echo-Content-Type`
/// - `GET|POST /flaky/:key?fail=N&retryAfter=S`: 503 (with `Retry-After: S`) for the first N
///   requests per key, then 200 `ok`; ``hits(_:)`` counts them
/// - `GET|POST /slow?ms=N`: answers after N ms
/// - `GET /stall`: sends 1 KiB of the body, then nothing for a minute
/// - `GET /drip`: a body of 16 bytes every 50 ms, for a minute
/// - `GET /bytes?count=N`: N bytes (`a`…`z` repeated) in 64 KiB chunks
/// - `GET /redirect/same`: 302 to `/headers`; `GET /redirect/other/:port`: 302 to `http://localhost:<port>/headers`
final class TestHTTPServer: Sendable {
    let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>
    private let shared: Shared

    var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(port: Int, group: ServiceGroup, task: Task<Void, any Error>, shared: Shared) {
        self.port = port
        self.group = group
        self.task = task
        self.shared = shared
    }

    /// Requests seen by `/flaky/<key>`.
    func hits(_ key: String) -> Int { shared.counters.withLock { $0[key] ?? 0 } }

    /// Runs `body` with a started server and stops the server afterwards, whatever happens.
    static func with<T>(_ body: (TestHTTPServer) async throws -> T) async throws -> T {
        try await withFixture({ try await start() }, stop: { await $0.stop() }, body)
    }

    static func start() async throws -> TestHTTPServer {
        let shared = Shared()
        var logger = Logger(label: "test-http-server")
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let application = Application(
            router: makeRouter(shared),
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "test-http-server"),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        // Stopped by a graceful shutdown, never by cancelling the server task: a cancelled
        // Hummingbird server drops connections it accepted but has not handled yet, and NIO
        // traps on their unfinished writers ("Deinited NIOAsyncWriter without calling finish()").
        let group = ServiceGroup(services: [application], logger: logger)
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            await group.triggerGracefulShutdown()
            throw FixtureError("the test HTTP server did not start: \(String(describing: await task.result))")
        }
        return TestHTTPServer(port: port, group: group, task: task, shared: shared)
    }

    func stop() async {
        shared.stopped.store(true, ordering: .relaxed)
        await group.triggerGracefulShutdown()
        // Waiting handlers see the stop flag at once; cancel only if something still hangs.
        let task = task
        await withTaskGroup(of: Void.self) { waiters in
            waiters.addTask { _ = await task.result }
            waiters.addTask {
                try? await Task.sleep(for: .seconds(15))
                task.cancel()
            }
            await waiters.next()
            waiters.cancelAll()
        }
        _ = await task.result
    }

    private final class Shared: Sendable {
        let counters = Mutex<[String: Int]>([:])
        let stopped = Atomic<Bool>(false)

        /// Sleeps up to `duration`, waking early when the server stops.
        func pause(_ duration: Duration) async {
            let deadline = ContinuousClock.now + duration
            while ContinuousClock.now < deadline && !stopped.load(ordering: .relaxed) {
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
    }

    private static func makeRouter(_ shared: Shared) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("hello") { _, _ in "hello" }
        router.get("headers") { request, _ -> String in
            // HTTP/1.1's Host arrives as the request's authority, not as a header field.
            let host = "host: \(request.head.authority ?? "")\n"
            return host + request.headers.map { "\($0.name.canonicalName): \($0.value)\n" }.joined()
        }
        // Any method: what arrived, so tests can see that no option of an earlier request lingers.
        let inspect: @Sendable (Request, BasicRequestContext) async throws -> String = { request, _ in
            let body = try await request.body.collect(upTo: 1 << 20)
            let fields = request.headers.map { "\($0.name.canonicalName): \($0.value)\n" }.joined()
            return "method: \(request.method.rawValue)\n\(fields)length: \(body.readableBytes)\n"
        }
        for method: HTTPRequest.Method in [.get, .head, .post, .put, .patch, .delete] {
            router.on("inspect", method: method, use: inspect)
        }
        let upload: @Sendable (Request, BasicRequestContext) async throws -> String = { request, _ in
            var hasher = FNV1a()
            var length = 0
            for try await buffer in request.body {
                buffer.withUnsafeReadableBytes { bytes in
                    hasher.add(bytes)
                    length += bytes.count
                }
            }
            let contentLength = request.headers[.contentLength] ?? "-"
            let transferEncoding = request.headers[.transferEncoding] ?? "-"
            return "\(length) \(hasher.value) \(contentLength) \(transferEncoding)"
        }
        router.put("upload", use: upload)
        router.post("upload", use: upload)
        router.post("echo") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 64 << 20)
            var headers = HTTPFields()
            if let echo = HTTPField.Name("X-Echo-Content-Type") { headers[echo] = request.headers[.contentType] ?? "" }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
        }
        let flaky: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, context in
            let key = context.parameters.get("key") ?? "-"
            let failures = request.uri.queryParameters.get("fail", as: Int.self) ?? 0
            let hit = shared.counters.withLock { counters in
                counters[key, default: 0] += 1
                return counters[key] ?? 0
            }
            guard hit > failures else {
                var headers = HTTPFields()
                if let retryAfter = request.uri.queryParameters.get("retryAfter") { headers[.retryAfter] = retryAfter }
                return Response(
                    status: .serviceUnavailable, headers: headers,
                    body: .init(byteBuffer: ByteBuffer(string: "failure \(hit)")))
            }
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ok after \(hit)")))
        }
        router.get("flaky/:key", use: flaky)
        router.post("flaky/:key", use: flaky)
        let slow: @Sendable (Request, BasicRequestContext) async throws -> String = { request, _ in
            await shared.pause(.milliseconds(request.uri.queryParameters.get("ms", as: Int.self) ?? 1000))
            return "slow"
        }
        router.get("slow", use: slow)
        router.post("slow", use: slow)
        router.get("stall") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "application/octet-stream"],
                body: .init { writer in
                    try await writer.write(ByteBuffer(repeating: 0x61, count: 1024))
                    await shared.pause(.seconds(60))
                    try await writer.finish(nil)
                })
        }
        router.get("drip") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "application/octet-stream"],
                body: .init { writer in
                    for _ in 0..<1200 where !shared.stopped.load(ordering: .relaxed) {
                        try await writer.write(ByteBuffer(repeating: 0x62, count: 16))
                        await shared.pause(.milliseconds(50))
                    }
                    try await writer.finish(nil)
                })
        }
        router.get("bytes") { request, _ -> Response in
            let count = request.uri.queryParameters.get("count", as: Int.self) ?? 0
            return Response(
                status: .ok, headers: [.contentType: "application/octet-stream"],
                body: .init(contentLength: count) { writer in
                    var sent = 0
                    while sent < count {
                        let size = min(64 << 10, count - sent)
                        let bytes = (sent..<sent + size).map { UInt8(0x61 + $0 % 26) }
                        try await writer.write(ByteBuffer(bytes: bytes))
                        sent += size
                    }
                    try await writer.finish(nil)
                })
        }
        router.get("redirect/same") { _, _ in Response(status: .found, headers: [.location: "/headers"]) }
        router.get("redirect/other/:port") { _, context -> Response in
            let port = context.parameters.get("port") ?? "0"
            return Response(status: .found, headers: [.location: "http://localhost:\(port)/headers"])
        }
        return router
    }
}
