import FlameHub
import HTTPTypes
import Synchronization
import Testing

/// Transports and request helpers shared by the transport integration tests.
enum Fixtures {
    /// A transport with `proxy: .disabled` (so a proxy set in the environment never interferes)
    /// and whatever else `configure` changes.
    static func transport(_ configure: (inout CurlConfiguration) -> Void = { _ in }) -> CurlTransport {
        var configuration = CurlConfiguration(proxy: .disabled)
        configure(&configuration)
        return CurlTransport(configuration: configuration)
    }

    /// Runs `body` with a transport and shuts the transport down afterwards.
    static func withTransport<T>(
        _ configure: (inout CurlConfiguration) -> Void = { _ in }, _ body: (CurlTransport) async throws -> T
    ) async throws -> T {
        let transport = transport(configure)
        defer { transport.shutdown() }
        return try await body(transport)
    }
}

extension HTTPTransport {
    /// Sends a request and collects the whole response body.
    func fetch(
        _ url: String, method: HTTPRequest.Method = .get, headers: HTTPFields = [:], body: RequestBody? = nil,
        limit: Int = 64 << 20
    ) async throws -> (HTTPResponse, [UInt8]) {
        let request = try HTTPRequest(method: method, url: url, headerFields: headers)
        let (response, responseBody) = try await send(request, body: body)
        return (response, try await responseBody.collect(upTo: limit))
    }

    /// Sends a request and returns the status and the body as text.
    func text(
        _ url: String, method: HTTPRequest.Method = .get, headers: HTTPFields = [:], body: RequestBody? = nil
    ) async throws -> (status: Int, text: String) {
        let (response, bytes) = try await fetch(url, method: method, headers: headers, body: body)
        return (response.status.code, String(decoding: bytes, as: UTF8.self))
    }
}

extension HTTPTransport {
    /// Expects a GET of `url` to answer 200 with exactly `expected` as its body.
    func expectText(_ url: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation)
        async throws
    {
        let result = try await text(url)
        #expect(result.status == 200, sourceLocation: sourceLocation)
        #expect(result.text == expected, sourceLocation: sourceLocation)
    }
}

/// A counter that tasks can share.
final class AtomicCounter: Sendable {
    private let storage = Atomic<Int>(0)
    var value: Int { storage.load(ordering: .relaxed) }
    func add(_ amount: Int) { storage.add(amount, ordering: .relaxed) }
}
