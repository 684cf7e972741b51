import CCurl
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import HTTPTypes
import Synchronization
import Testing

@testable import FlameHub

private func map(_ code: CURLcode, sent: Bool, connected: Bool = false, proxy: Bool = false) -> TransportError {
    CurlErrorMapping.error(
        for: code, message: "detail", url: "http://hub.test/core/nodes", usesProxy: proxy,
        proxyURL: proxy ? "http://user:secret@proxy.test:3128" : nil, connected: connected, requestSent: sent)
}

@Suite("Transport errors say whether the request may have left")
struct TransportErrorClassificationTests {
    @Test("a timeout before the request went out is the connect's; after, the request's, also on a reused connection")
    func timeouts() {
        let connecting = map(CURLE_OPERATION_TIMEDOUT, sent: false)
        #expect(connecting.code == .connectTimeout)
        #expect(connecting.mayHaveReachedServer == false)
        // A reused connection has no connect time: only the send decides.
        let reused = map(CURLE_OPERATION_TIMEDOUT, sent: true, connected: false)
        #expect(reused.code == .requestTimeout)
        #expect(reused.mayHaveReachedServer == true)
    }

    @Test("an answer that is not HTTP is invalidResponse; a scheme libcurl refuses before sending stays invalidRequest")
    func invalidResponse() {
        let garbage = map(CURLE_UNSUPPORTED_PROTOCOL, sent: true)
        #expect(garbage.code == .invalidResponse)
        #expect(garbage.mayHaveReachedServer == true)
        #expect(garbage.message.contains("not HTTP"))
        let weird = map(CURLE_WEIRD_SERVER_REPLY, sent: true)
        #expect(weird.code == .invalidResponse)
        let refused = map(CURLE_UNSUPPORTED_PROTOCOL, sent: false)
        #expect(refused.code == .invalidRequest)
        #expect(refused.mayHaveReachedServer == false)
    }

    @Test("whatever the code, mayHaveReachedServer is whether the request was sent")
    func reachedFollowsTheSend() {
        for code in [CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_READ_ERROR, CURLE_COULDNT_CONNECT] {
            #expect(map(code, sent: true).mayHaveReachedServer == true, "\(code)")
            #expect(map(code, sent: false).mayHaveReachedServer == false, "\(code)")
        }
        let proxy = map(CURLE_COULDNT_CONNECT, sent: false, proxy: true)
        #expect(proxy.code == .proxyFailure)
        #expect(!proxy.message.contains("secret"))
    }

    @Test("a body libcurl cannot rewind for a resend is a send failure that may have reached the server")
    func rewindFailure() {
        let error = map(CURLE_SEND_FAIL_REWIND, sent: true)
        #expect(error.code == .sendFailed)
        #expect(error.mayHaveReachedServer == true)
    }
}

@Suite("libcurl never sends a request twice unless it may")
struct TransportSendGuardTests {
    private func sendsOnce(_ method: HTTPRequest.Method, body: RequestBody? = nil) throws -> Bool {
        let request = try HTTPRequest(method: method, url: "http://hub.test/core/nodes")
        let easy = try #require(CurlEasyHandle.make())
        defer { easy.cleanup() }
        return CurlTransfer(request: request, body: body, configuration: CurlConfiguration(), proxy: nil, easy: easy)
            .sendsOnce
    }

    @Test("POST, PATCH and unknown methods are sent once; idempotent ones only with a replayable body")
    func sendsOnce() throws {
        #expect(try sendsOnce(.post))
        #expect(try sendsOnce(.post, body: .string("x")))
        #expect(try sendsOnce(.patch, body: .string("x")))
        #expect(try sendsOnce(try #require(HTTPRequest.Method("LOCK"))))
        #expect(try !sendsOnce(.get))
        #expect(try !sendsOnce(.put, body: .string("x")))
        #expect(try !sendsOnce(.delete))
        let stream = RequestBody.stream(AsyncStream<[UInt8]> { $0.finish() })
        #expect(try sendsOnce(.put, body: stream))
    }

    /// Feeds the C head sink one line, as libcurl's header callback would.
    private func feed(_ sink: inout fh_head_sink, _ line: String) {
        var bytes = Array(line.utf8CString.dropLast())
        _ = bytes.withUnsafeMutableBufferPointer { fh_head_sink_collect($0.baseAddress, 1, $0.count, &sink) }
    }

    private func prereq(_ sink: inout fh_head_sink) -> Int32 {
        fh_head_sink_prereq(&sink, nil, nil, 0, 0)
    }

    @Test("the guard lets a redirect's second send through and refuses a resend that had no answer")
    func guardRefusesUnansweredResend() {
        var sink = fh_head_sink()
        defer { free(sink.bytes) }
        sink.send_once = 1
        #expect(prereq(&sink) == CURL_PREREQFUNC_OK)
        feed(&sink, "HTTP/1.1 307 Temporary Redirect\r\n")
        feed(&sink, "Location: /elsewhere\r\n")
        feed(&sink, "\r\n")
        // The redirect was an answer: following it sends the request again, legitimately.
        #expect(prereq(&sink) == CURL_PREREQFUNC_OK)
        #expect(sink.sends == 2)
        // No answer since: this is libcurl's silent retry on a fresh connection.
        #expect(prereq(&sink) == CURL_PREREQFUNC_ABORT)
        #expect(sink.resend_refused == 1)
        #expect(sink.sends == 2)
    }

    @Test("without send_once libcurl's own retry goes ahead")
    func guardAllowsIdempotentResend() {
        var sink = fh_head_sink()
        #expect(prereq(&sink) == CURL_PREREQFUNC_OK)
        #expect(prereq(&sink) == CURL_PREREQFUNC_OK)
        #expect(sink.resend_refused == 0)
    }

    @Test("the sink notes a Content-Encoding, per response")
    func contentEncoding() {
        var sink = fh_head_sink()
        defer { free(sink.bytes) }
        feed(&sink, "HTTP/1.1 302 Found\r\n")
        feed(&sink, "Content-Encoding: gzip\r\n")
        #expect(sink.has_content_encoding == 1)
        feed(&sink, "HTTP/1.1 200 OK\r\n")
        #expect(sink.has_content_encoding == 0)
        #expect(sink.heads == 2)
    }
}

/// A streamed body that says how long it is and counts what is asked of it.
private final class DeclaredSource: ResponseBodySource {
    let declaredLength: Int64?
    private let chunks: Mutex<[[UInt8]]>
    private let counters = Mutex((reads: 0, cancelled: false))
    var reads: Int { counters.withLock { $0.reads } }
    var cancelled: Bool { counters.withLock { $0.cancelled } }

    init(declaredLength: Int64?, chunks: [[UInt8]]) {
        self.declaredLength = declaredLength
        self.chunks = Mutex(chunks)
    }

    func next() async throws -> [UInt8]? {
        counters.withLock { $0.reads += 1 }
        return chunks.withLock { $0.isEmpty ? nil : $0.removeFirst() }
    }

    func cancel() { counters.withLock { $0.cancelled = true } }
}

@Suite("collect(upTo:) and the declared length")
struct ResponseBodyDeclaredLengthTests {
    @Test("a declared length over the cap is refused before any byte is read")
    func refusedAtTheHead() async {
        let source = DeclaredSource(declaredLength: 100 << 20, chunks: [[UInt8](repeating: 1, count: 10)])
        let body = ResponseBody(source: source)
        let error = await #expect(throws: TransportError.self) { _ = try await body.collect(upTo: 1 << 20) }
        #expect(error?.code == .bodyTooLarge)
        #expect(source.reads == 0)
        #expect(source.cancelled)
    }

    @Test("a declared length up to the cap is read as usual")
    func withinTheCap() async throws {
        let source = DeclaredSource(declaredLength: 6, chunks: [[1, 2, 3], [4, 5, 6]])
        let bytes = try await ResponseBody(source: source).collect(upTo: 6)
        #expect(bytes == [1, 2, 3, 4, 5, 6])
    }
}
