import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A raw HTTP/1.1 server on 127.0.0.1 and a free port (POSIX sockets, a thread per connection)
/// whose every answer is scripted, for the failures a real server never makes on purpose:
/// closing a kept-alive connection after reading a request, never answering, answering garbage.
///
/// Every request is read whole (`Content-Length` or chunked) and recorded before its action
/// runs, so ``count(_:_:)`` tells exactly how many copies of a request arrived.
final class ScriptedServer: Sendable {
    /// What the server does with one request.
    enum Action: Sendable {
        /// Answers `status` with `body` and keeps the connection open for the next request.
        case respond(status: Int, body: String, headers: [String] = [])
        /// Closes the connection without answering.
        case close
        /// Never answers; the connection stays open until the client closes it or the server stops.
        case hang
        /// Writes `bytes` as they are (no HTTP framing added), then closes the connection.
        case raw([UInt8])
        /// Writes `bytes` as they are, then keeps the connection open without writing more.
        case rawThenHang([UInt8])
    }

    /// A request as it arrived.
    struct Request: Sendable {
        var method: String
        var target: String
        var body: [UInt8]
        /// Which connection it came on (0 for the first accepted).
        var connection: Int
        /// Its position on that connection (0 for a connection's first request).
        var indexOnConnection: Int
    }

    let port: Int
    var baseURL: String { "http://127.0.0.1:\(port)" }
    private let listener: Int32
    private let script: @Sendable (Request) -> Action
    private let state = Mutex(State())

    private struct State {
        var requests: [Request] = []
        var clients: [Int32] = []
        var connections = 0
        var stopped = false
    }

    /// The requests received so far, in arrival order.
    var requests: [Request] { state.withLock { $0.requests } }

    /// How many copies of `method target` arrived.
    func count(_ method: String, _ target: String) -> Int {
        state.withLock { $0.requests.filter { $0.method == method && $0.target == target }.count }
    }

    /// How many connections the server accepted.
    var connections: Int { state.withLock { $0.connections } }

    /// Runs `body` with a started server and stops it afterwards, whatever happens.
    static func with<T>(
        _ script: @escaping @Sendable (Request) -> Action, _ body: (ScriptedServer) async throws -> T
    ) async throws -> T {
        try await withFixture({ try ScriptedServer(script: script) }, stop: { $0.stop() }, body)
    }

    init(script: @escaping @Sendable (Request) -> Action) throws {
        self.script = script
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = TestNetwork.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening =
            listener >= 0
            && withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(listener, $0, length) == 0 && listen(listener, 64) == 0
                        && getsockname(listener, $0, &length) == 0
                }
            }
        guard listening else {
            if listener >= 0 { close(listener) }
            throw FixtureError("the scripted server cannot listen on 127.0.0.1")
        }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        try OwnThread.start { [self] in acceptLoop() }
    }

    /// Shuts the listener and every connection down; the threads blocked on them wake and close
    /// them (closing here could let a thread use a descriptor number the process has reused).
    func stop() {
        state.withLock { state in
            state.stopped = true
            for client in state.clients { shutdown(client, Int32(SHUT_RDWR)) }
        }
        shutdown(listener, Int32(SHUT_RDWR))
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else {
                close(listener)
                return
            }
            // Kept from child processes other tests spawn: one holding a copy would keep the
            // connection open after the script closes it.
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            let connection: Int? = state.withLock { state in
                guard !state.stopped else { return nil }
                state.clients.append(client)
                defer { state.connections += 1 }
                return state.connections
            }
            guard let connection else {
                close(client)
                close(listener)
                return
            }
            do {
                try OwnThread.start { [self] in serve(client, connection: connection) }
            } catch {
                forget(client)
            }
        }
    }

    private func serve(_ client: Int32, connection: Int) {
        var reader = RequestReader(socket: client)
        var index = 0
        while let next = reader.next() {
            let request = Request(
                method: next.method, target: next.target, body: next.body, connection: connection,
                indexOnConnection: index)
            index += 1
            state.withLock { $0.requests.append(request) }
            switch script(request) {
            case .respond(let status, let body, let headers):
                let head =
                    "HTTP/1.1 \(status) Scripted\r\nContent-Length: \(body.utf8.count)\r\n"
                    + headers.map { "\($0)\r\n" }.joined() + "\r\n"
                guard write(client, Array(head.utf8) + Array(body.utf8)) else { return forget(client) }
            case .close:
                return forget(client)
            case .hang:
                reader.waitForClose()
                return forget(client)
            case .raw(let bytes):
                _ = write(client, bytes)
                return forget(client)
            case .rawThenHang(let bytes):
                _ = write(client, bytes)
                reader.waitForClose()
                return forget(client)
            }
        }
        forget(client)
    }

    /// Closes `client`, which its own thread alone does.
    private func forget(_ client: Int32) {
        state.withLock { state in
            // Under the lock, so that stop() never shuts down a number reused after the close.
            state.clients.removeAll { $0 == client }
            close(client)
        }
    }

    private func write(_ client: Int32, _ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { return false }
            sent += count
        }
        return true
    }
}

/// Reads HTTP/1.1 requests off a socket: the head, then a `Content-Length` or chunked body.
private struct RequestReader {
    let socket: Int32
    private var buffer: [UInt8] = []

    init(socket: Int32) { self.socket = socket }

    /// The next whole request, or nil when the connection ends first.
    mutating func next() -> (method: String, target: String, body: [UInt8])? {
        guard let headLength = readUntil(Array("\r\n\r\n".utf8)) else { return nil }
        let head = String(decoding: buffer[..<headLength], as: UTF8.self)
        buffer.removeFirst(headLength + 4)
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let requestLine = lines.first?.split(separator: " ") ?? []
        guard requestLine.count >= 2 else { return nil }
        var length = 0
        var chunked = false
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].filter { $0 != " " && $0 != "\t" }
            if name == "content-length" { length = Int(value) ?? 0 }
            if name == "transfer-encoding" && value.lowercased().contains("chunked") { chunked = true }
        }
        var body: [UInt8] = []
        if chunked {
            chunks: while true {
                guard let lineLength = readUntil(Array("\r\n".utf8)) else { return nil }
                let sizeText = String(decoding: buffer[..<lineLength], as: UTF8.self).split(separator: ";").first ?? ""
                buffer.removeFirst(lineLength + 2)
                guard let size = Int(sizeText, radix: 16) else { return nil }
                if size == 0 {
                    // Trailer lines, if any, then the empty line that ends the body.
                    while true {
                        guard let trailerLength = readUntil(Array("\r\n".utf8)) else { return nil }
                        buffer.removeFirst(trailerLength + 2)
                        if trailerLength == 0 { break chunks }
                    }
                }
                guard fill(size + 2) else { return nil }
                body += buffer[..<size]
                buffer.removeFirst(size + 2)
            }
        } else {
            guard fill(length) else { return nil }
            body = Array(buffer[..<length])
            buffer.removeFirst(length)
        }
        return (String(requestLine[0]), String(requestLine[1]), body)
    }

    /// Blocks until the peer closes the connection (or the server shuts the socket down).
    mutating func waitForClose() {
        while receive() {}
    }

    /// The offset of `separator` in the buffer, reading more until it is there.
    private mutating func readUntil(_ separator: [UInt8]) -> Int? {
        var searched = 0
        while true {
            if buffer.count >= separator.count {
                for start in searched...(buffer.count - separator.count)
                where buffer[start..<start + separator.count].elementsEqual(separator) {
                    return start
                }
                searched = buffer.count - separator.count + 1
            }
            guard receive() else { return nil }
        }
    }

    private mutating func fill(_ count: Int) -> Bool {
        while buffer.count < count {
            guard receive() else { return false }
        }
        return true
    }

    private mutating func receive() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return false }
        buffer += chunk[..<count]
        return true
    }
}
