#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small HTTP/1.1 server on 127.0.0.1 for the leak check, one thread per connection, so that
/// the program links nothing but the SDK. The path picks the behaviour:
/// `/ok` and `/auth/…` 200 with a realm list (kept alive), `/error` 500 with an error body, `/reset` a
/// TCP reset instead of an answer, `/stall` no answer for a second, `/slow` a body that trickles.
enum LocalServer {
    /// Starts listening and returns the port.
    static func start() -> UInt16 {
        signal(SIGPIPE, SIG_IGN)
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                guard bind(listener, generic, length) == 0, listen(listener, 256) == 0,
                    getsockname(listener, generic, &length) == 0
                else { fatalError("the leak check's server cannot listen: errno \(errno)") }
            }
        }
        // C function pointers cannot capture, not even `Self`: hence the qualified names.
        spawn(listener) { listener in
            while true {
                let connection = accept(listener, nil, nil)
                if connection < 0 { continue }
                LocalServer.spawn(connection) { LocalServer.serve($0) }
            }
        }
        return UInt16(bigEndian: address.sin_port)
    }

    /// Runs `body(fd)` on a detached POSIX thread (a C function pointer cannot capture, so the
    /// behaviour is picked by the listener flag).
    static func spawn(_ fd: Int32, _ body: @escaping @convention(c) (Int32) -> Void) {
        let argument = UnsafeMutablePointer<(Int32, @convention(c) (Int32) -> Void)>.allocate(capacity: 1)
        argument.initialize(to: (fd, body))
        var thread = pthread_t()
        let result = pthread_create(
            &thread, nil,
            { raw in
                guard let raw else { return nil }
                let pair = raw.assumingMemoryBound(to: (Int32, @convention(c) (Int32) -> Void).self)
                let (fd, body) = pair.move()
                pair.deallocate()
                body(fd)
                return nil
            }, argument)
        if result == 0 { pthread_detach(thread) } else { fatalError("pthread_create: \(result)") }
    }

    static func serve(_ fd: Int32) {
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        defer { close(fd) }
        while true {
            // Read up to the end of a head (the check sends GETs only: no request bodies).
            var headEnd: Int?
            while headEnd == nil {
                let count = read(fd, &buffer, buffer.count)
                if count <= 0 { return }
                pending += buffer[0..<count]
                headEnd = find(pending)
            }
            guard let end = headEnd else { return }
            let head = String(decoding: pending[0..<end], as: UTF8.self)
            pending.removeFirst(end + 4)
            let path = head.split(separator: " ", maxSplits: 2).dropFirst().first.map(String.init) ?? "/"
            if path.hasPrefix("/ok") || path.hasPrefix("/auth") {
                let body =
                    #"{"data":[{"id":"794f2375-f043-4789-bd0c-e5534e8deeaa","name":"master","displayName":null,"#
                    + #""description":null,"builtIn":true,"createdAt":"2025-05-12T09:44:08.284Z","#
                    + #""updatedAt":"2025-05-12T09:44:08.284Z"}],"meta":{"total":1,"limit":50,"offset":0}}"#
                let head =
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
                guard send(fd, head + body) else { return }
            } else if path.hasPrefix("/error") {
                let body = #"{"statusCode":500,"code":"internal_error","message":"boom","issues":[]}"#
                guard
                    send(
                        fd,
                        "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
                    )
                else { return }
            } else if path.hasPrefix("/reset") {
                var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
                setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
                return
            } else if path.hasPrefix("/stall") {
                usleep(1_000_000)
                return
            } else {
                guard send(fd, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n") else { return }
                for _ in 0..<1000 {
                    usleep(10_000)
                    guard send(fd, String(repeating: "x", count: 100)) else { return }
                }
            }
        }
    }

    private static func find(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }

    private static func send(_ fd: Int32, _ text: String) -> Bool {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return -1 }
                return Glibc.send(fd, base + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written <= 0 { return false }
            offset += written
        }
        return true
    }
}
