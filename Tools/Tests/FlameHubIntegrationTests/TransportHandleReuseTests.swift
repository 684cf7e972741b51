import Foundation
import HTTPTypes
import Testing

@testable import FlameHub

/// An easy handle keeps its error buffer and response-head buffer from one request to the next,
/// and a finished GET's handle its options for the next GET (issue 12): nothing one request sent,
/// received or failed with may show in the next.
@Suite("A recycled curl handle carries nothing of the request before it")
struct TransportHandleReuseTests {
    @Test("request headers and credentials of one request are not sent with the next")
    func requestHeadersDoNotLinger() async throws {
        try await TestHTTPServer.with { server in
            // One request at a time, so every request takes the handle the one before it left.
            try await Fixtures.withTransport { transport in
                let url = "\(server.baseURL)/inspect"
                let tag = try #require(HTTPField.Name("X-Tag"))
                let first = try await transport.text(
                    url, headers: [.authorization: "Bearer secret-one", tag: "one"])
                #expect(first.text.contains("authorization: Bearer secret-one\n"))
                #expect(first.text.contains("x-tag: one\n"))
                let bare = try await transport.text(url)
                #expect(bare.status == 200)
                #expect(!bare.text.contains("authorization") && !bare.text.contains("secret-one"))
                #expect(!bare.text.contains("x-tag"))
                let second = try await transport.text(url, headers: [.authorization: "Bearer secret-two"])
                #expect(second.text.contains("authorization: Bearer secret-two\n"))
                #expect(!second.text.contains("secret-one") && !second.text.contains("x-tag"))
                // The same headers again: sent once each, no copy of an earlier list.
                let again = try await transport.text(url, headers: [.authorization: "Bearer secret-two"])
                #expect(again.text.components(separatedBy: "authorization:").count == 2)
            }
        }
    }

    @Test("response fields of one response are not part of the next response's head")
    func responseHeadsDoNotLinger() async throws {
        try await TestHTTPServer.with { server in
            try await Fixtures.withTransport { transport in
                let echoed = try await transport.fetch(
                    "\(server.baseURL)/echo", method: .post, body: .string("x", contentType: "text/x-first"))
                let echo = try #require(HTTPField.Name("X-Echo-Content-Type"))
                #expect(echoed.0.headerFields[echo] == "text/x-first")
                let refused = try await transport.fetch("\(server.baseURL)/flaky/reuse?fail=1&retryAfter=7")
                #expect(refused.0.status.code == 503)
                #expect(refused.0.headerFields[.retryAfter] == "7")
                #expect(refused.0.headerFields[echo] == nil)
                let plain = try await transport.fetch("\(server.baseURL)/hello")
                #expect(plain.0.status.code == 200)
                #expect(String(decoding: plain.1, as: UTF8.self) == "hello")
                #expect(plain.0.headerFields[echo] == nil && plain.0.headerFields[.retryAfter] == nil)
                // No field twice either: the buffer starts empty, not after the last head's bytes.
                let names = plain.0.headerFields.map(\.name.canonicalName)
                #expect(Set(names).count == names.count)
            }
        }
    }

    @Test("an error's text names its own request, not an earlier failure's")
    func errorTextDoesNotLinger() async throws {
        try await TestNetwork.withRefusingPort { closed in
            try await TestHTTPServer.with { server in
                try await Fixtures.withTransport { transport in
                    let first = await #expect(throws: TransportError.self) {
                        _ = try await transport.fetch("http://127.0.0.1:\(closed)/nothing")
                    }
                    #expect(first?.code == .connectionFailed)
                    #expect(first?.message.contains("\(closed)") == true)
                    // The GET after the failure takes the failed GET's handle, options kept.
                    let hello = try await transport.text("\(server.baseURL)/hello")
                    #expect(hello.text == "hello")
                    // A failure of another kind on a kept handle: its message is its own.
                    let unresolved = await #expect(throws: TransportError.self) {
                        _ = try await transport.fetch("http://flamehub-reuse.invalid/")
                    }
                    #expect(unresolved?.code == .couldNotResolveHost)
                    #expect(unresolved?.message.contains("flamehub-reuse.invalid") == true)
                    #expect(unresolved?.message.contains("\(closed)") == false)
                }
            }
        }
    }
}
