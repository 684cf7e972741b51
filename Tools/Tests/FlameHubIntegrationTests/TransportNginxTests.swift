import HTTPTypes
import Testing

@testable import FlameHub

/// `CurlTransport` against a real nginx: connection reuse counted on the server side,
/// concurrency, large streamed downloads and compressed responses.
@Suite("CurlTransport against nginx", .enabled(if: TestTools.shouldRun("nginx")))
struct TransportNginxTests {
    @Test("sequential requests, also from different tasks, reuse one kept-alive connection")
    func keepAlive() async throws {
        try await NginxServer.with { nginx in
            try nginx.serve(Array("small\n".utf8), as: "small.txt")
            try await Fixtures.withTransport { transport in
                for _ in 0..<15 {
                    let result = try await transport.text("\(nginx.baseURL)/small.txt")
                    #expect(result.status == 200)
                    #expect(result.text == "small\n")
                }
                for _ in 0..<5 {
                    let status = try await Task.detached {
                        try await transport.text("\(nginx.baseURL)/small.txt").status
                    }.value
                    #expect(status == 200)
                }
            }
            let log = try await nginx.accessLog(waitingFor: 20, uri: "/small.txt")
            #expect(log.count == 20)
            #expect(Set(log.map(\.connection)).count == 1, "connections: \(log.map(\.connection))")
        }
    }

    @Test("64 concurrent requests all succeed over at most maxConnectionsPerHost connections")
    func concurrency() async throws {
        try await NginxServer.with { nginx in
            let payload = patternBytes(count: 20_000)
            try nginx.serve(payload, as: "payload.bin")
            try await Fixtures.withTransport({ $0.maxConnectionsPerHost = 8 }) { transport in
                for wave in 0..<2 {
                    let bodies = try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { group in
                        for index in 0..<64 {
                            group.addTask {
                                let (response, body) = try await transport.fetch(
                                    "\(nginx.baseURL)/payload.bin?wave=\(wave)&index=\(index)")
                                return (response.status.code, body)
                            }
                        }
                        return try await group.reduce(into: []) { $0.append($1) }
                    }
                    #expect(bodies.count == 64)
                    #expect(bodies.allSatisfy { $0.0 == 200 && $0.1 == payload })
                }
            }
            let log = try await nginx.accessLog(waitingFor: 128, uri: "/payload.bin")
            #expect(log.count == 128)
            let connections = Set(log.map(\.connection))
            #expect(connections.count <= 8, "connections: \(connections.sorted())")
        }
    }

    @Test("a 1 GiB download with a slow consumer streams with bounded memory")
    func largeStreamingDownload() async throws {
        // 1 GiB (a sparse file, no disk): a body held whole would add 1 GiB to the resident set,
        // far above what the rest of the suite, running in this process, adds meanwhile (up to
        // 200 MiB was seen on 2 cores), so the bound below tells the two apart.
        let size = 1 << 30
        let bufferSize = 256 << 10
        try await MemoryBoundTests.exclusive {
            try await NginxServer.with { nginx in
                try nginx.serveZeros(size: size, as: "large.bin")
                try await Fixtures.withTransport({ $0.streamBufferSize = bufferSize }) { transport in
                    let request = try HTTPRequest(method: .get, url: "\(nginx.baseURL)/large.bin")
                    let baseline = ProcessMemory.residentBytes() ?? 0
                    let (response, body) = try await transport.send(request, body: nil)
                    #expect(response.status.code == 200)
                    #expect(response.headerFields[.contentLength] == "\(size)")
                    guard case .stream(let handle) = body.storage, let stream = handle.source as? CurlResponseStream
                    else {
                        Issue.record("a large body must be streamed, not collected")
                        return
                    }
                    var received = 0
                    var chunks = 0
                    var peakResident = baseline
                    var nonZero = false
                    for try await chunk in body {
                        received += chunk.count
                        chunks += 1
                        if chunk.first != 0 || chunk.last != 0 { nonZero = true }
                        // The first 8 MiB are read slowly, so the transfer must pause for the consumer.
                        if received < 8 << 20 && chunks % 4 == 0 { try await Task.sleep(for: .milliseconds(5)) }
                        if chunks % 256 == 0 { peakResident = max(peakResident, ProcessMemory.residentBytes() ?? 0) }
                    }
                    #expect(received == size)
                    #expect(!nonZero)
                    // The stream buffer filled up (the slow consumer was felt) but never grew past the
                    // high-water mark plus one early-body block and a curl chunk.
                    #expect(stream.peakBufferedBytes >= bufferSize / 2)
                    #expect(stream.peakBufferedBytes <= 2 * bufferSize + (64 << 10))
                    // Other tests share the process and their allocations land in this window too.
                    #expect(peakResident - baseline < size / 2, "RSS grew by \(peakResident - baseline) bytes")
                }
            }
        }
    }

    @Test("a consumer that pauses longer than the stall window is not taken for a stalled transfer")
    func slowConsumerIsNotAStall() async throws {
        let size = 8 << 20
        try await NginxServer.with { nginx in
            try nginx.serveZeros(size: size, as: "medium.bin")
            try await Fixtures.withTransport({
                $0.streamBufferSize = 64 << 10
                $0.timeouts.stall = .init(minimumBytesPerSecond: 1024, window: .seconds(2))
            }) { transport in
                let request = try HTTPRequest(method: .get, url: "\(nginx.baseURL)/medium.bin")
                let (_, body) = try await transport.send(request, body: nil)
                var received = 0
                var paused = false
                for try await chunk in body {
                    received += chunk.count
                    if !paused && received >= 1 << 20 {
                        paused = true
                        // Two and a half stall windows with the transfer paused for this consumer.
                        try await Task.sleep(for: .seconds(5))
                    }
                }
                #expect(received == size)
            }
        }
    }

    @Test("dropping a body whose transfer is paused frees it; the transport goes on")
    func dropPausedBody() async throws {
        try await NginxServer.with { nginx in
            try nginx.serveZeros(size: 32 << 20, as: "big.bin")
            try nginx.serve(Array("small\n".utf8), as: "small.txt")
            try await Fixtures.withTransport({ $0.streamBufferSize = 64 << 10 }) { transport in
                for _ in 0..<4 {
                    let request = try HTTPRequest(method: .get, url: "\(nginx.baseURL)/big.bin")
                    let (_, body) = try await transport.send(request, body: nil)
                    var iterator = body.makeAsyncIterator()
                    _ = try await iterator.next()
                    // Let the transfer fill the buffer and pause, then drop body and iterator.
                    try await Task.sleep(for: .milliseconds(100))
                }
                try await transport.expectText("\(nginx.baseURL)/small.txt", "small\n")
            }
            // Each abandoned transfer was cut off (nginx logs it) instead of running to its end.
            let log = try await nginx.accessLog(waitingFor: 4, uri: "/big.bin")
            #expect(log.count == 4)
            #expect(log.allSatisfy { $0.bytesSent < 32 << 20 }, "sent: \(log.map(\.bytesSent))")
        }
    }

    @Test("a gzip response is decoded; with compression off the plain body comes as is")
    func gzip() async throws {
        try await NginxServer.with { nginx in
            let text = Array(String(repeating: "FlameHub compresses well.\n", count: 4000).utf8)
            try nginx.serve(text, as: "text.txt")
            try await Fixtures.withTransport { transport in
                let (response, body) = try await transport.fetch("\(nginx.baseURL)/text.txt")
                #expect(response.status.code == 200)
                #expect(response.headerFields[.contentEncoding] == "gzip")
                #expect(body == text)
            }
            try await Fixtures.withTransport({ $0.acceptsCompressedResponses = false }) { transport in
                let (response, body) = try await transport.fetch("\(nginx.baseURL)/text.txt")
                #expect(response.headerFields[.contentEncoding] == nil)
                #expect(body == text)
            }
        }
    }

    @Test("HEAD returns the head without a body; 404 is a response, not an error")
    func headAndNotFound() async throws {
        try await NginxServer.with { nginx in
            try nginx.serve(patternBytes(count: 5000), as: "thing.bin")
            try await Fixtures.withTransport { transport in
                let (head, body) = try await transport.fetch("\(nginx.baseURL)/thing.bin", method: .head)
                #expect(head.status.code == 200)
                #expect(head.headerFields[.contentLength] == "5000")
                #expect(body.isEmpty)
                let missing = try await transport.text("\(nginx.baseURL)/missing.bin")
                #expect(missing.status == 404)
            }
        }
    }
}
