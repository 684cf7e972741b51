import HTTPTypes
import Testing

@testable import FlameHub

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Response streams through real libcurl: the 16 KiB pieces of curl's write callback reach the
/// consumer batched per loop pass, intact and in order, with the buffer bounded.
@Suite("Streamed downloads in batches", .enabled(if: TestTools.shouldRun("nginx")))
struct StreamBatchingTests {
    @Test("an 8 MiB body arrives whole and in order, in fewer chunks than curl's pieces, within the buffer bound")
    func batchedDownload() async throws {
        let size = 8 << 20
        let bufferSize = 256 << 10
        let payload = patternBytes(count: size)
        try await NginxServer.with { nginx in
            try nginx.serve(payload, as: "pattern.bin")
            try await Fixtures.withTransport({ $0.streamBufferSize = bufferSize }) { transport in
                let request = try HTTPRequest(method: .get, url: "\(nginx.baseURL)/pattern.bin")
                let (response, body) = try await transport.send(request, body: nil)
                #expect(response.status.code == 200)
                guard case .stream(let handle) = body.storage, let stream = handle.source as? CurlResponseStream
                else {
                    Issue.record("an 8 MiB body must be streamed")
                    return
                }
                var received = 0
                var chunks = 0
                var intact = true
                for try await chunk in body {
                    // memcmp: an element-wise compare of megabytes is slow in a debug build.
                    let matches = payload.withUnsafeBytes { expected in
                        chunk.withUnsafeBytes { actual in
                            guard let want = expected.baseAddress, let got = actual.baseAddress,
                                received + actual.count <= expected.count
                            else { return actual.isEmpty }
                            return memcmp(want + received, got, actual.count) == 0
                        }
                    }
                    if !matches { intact = false }
                    received += chunk.count
                    chunks += 1
                }
                #expect(received == size)
                #expect(intact)
                // curl's write callback never passes more than 16 KiB: one chunk per piece would
                // be 512 chunks.
                #expect(chunks < size / (16 << 10), "chunks: \(chunks)")
                // The high-water mark plus at most one piece.
                #expect(stream.peakBufferedBytes <= bufferSize + (16 << 10), "peak: \(stream.peakBufferedBytes)")
            }
        }
    }
}
