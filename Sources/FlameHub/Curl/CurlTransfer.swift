import CCurl
import HTTPTypes

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One request on its way through the curl loop.
///
/// Created and configured by the calling task (so option setting costs the loop nothing), then
/// handed to the loop thread through its locked inbox; from then on every mutable property is
/// touched only there (hence `@unchecked Sendable`). The loop keeps the transfer alive until after
/// its easy handle has been removed, so the unretained pointers given to curl's callbacks never
/// dangle.
final class CurlTransfer: @unchecked Sendable {
    let request: HTTPRequest
    let body: RequestBody?
    let configuration: CurlConfiguration
    let proxy: ResolvedProxy?
    let url: String

    /// Unsafe rather than checked: a checked continuation allocates per request, and the loop
    /// resumes this one exactly once (it is cleared when used).
    var continuation: UnsafeContinuation<(CurlResponseHead, ResponseBody), any Error>?
    weak var loop: CurlLoop?

    /// The easy handle and its buffers, this transfer's until it is recycled.
    let easy: CurlEasyHandle
    // Loop-thread state.
    /// `easy.pointer` while the transfer is configured or running; nil once it let go of it.
    var handle: UnsafeMutableRawPointer?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var mime: OpaquePointer?
    private var postData: UnsafeMutableRawBufferPointer?
    private var uploadFile: Int32 = -1
    private var uploadStream: UploadBuffer?
    private var partStreams: [UploadBuffer] = []
    private var producers: [Task<Void, Never>] = []
    /// The header lines of the latest response, collected by C code on the loop thread and
    /// parsed by the caller, not on the loop thread. It also counts the sends of the request.
    private var headSink: UnsafeMutablePointer<fh_head_sink> { easy.headSink }
    private(set) var headDelivered = false
    private var earlyBody: [UInt8] = []
    private(set) var stream: CurlResponseStream?
    private(set) var finished = false
    /// Set when the loop aborts the transfer itself (a stall), to report instead of curl's code.
    var abortReason: TransportError?
    /// Set by the loop when it starts the transfer where stalls are checked; the default is no
    /// clock read, since a 64-way loop creates thousands of transfers a second.
    var stallWindowStart = CurlTransfer.loadTime
    private static let loadTime = ContinuousClock.now
    var stallWindowBytes: Int64 = 0

    init(
        request: HTTPRequest, body: RequestBody?, configuration: CurlConfiguration, proxy: ResolvedProxy?,
        easy: CurlEasyHandle
    ) {
        self.request = request
        self.body = body
        self.configuration = configuration
        self.proxy = proxy
        self.easy = easy
        url = request.urlString
    }

    /// Whether libcurl began to send the request (on a new or a reused connection).
    var requestSent: Bool { headSink.pointee.sends > 0 }

    /// Whether the transfer is paused for the caller's side: a slow consumer of the response, or
    /// a request body stream that has nothing to send yet (stall time does not count).
    var isWaitingForCaller: Bool {
        (stream?.isPausedForConsumer ?? false) || (uploadStream?.isWaitingForProducer ?? false)
            || partStreams.contains { $0.isWaitingForProducer }
    }

    // MARK: setup

    /// The options a later request may keep instead of resetting the handle: those of a
    /// body-less GET through the same proxy (everything else comes from the transport's one
    /// configuration). Most SDK calls are such GETs, and a reset plus twenty options per
    /// request is measurable.
    struct ReusableSetup: Equatable {
        var proxy: ResolvedProxy?
    }

    /// Whether libcurl must never send this request a second time unanswered: a request that is
    /// not idempotent (POST, PATCH, …) or whose body cannot be produced twice. libcurl's own
    /// retry on a fresh connection stays for the others, where it is harmless.
    var sendsOnce: Bool {
        !RetryPolicy.idempotentMethods.contains(request.method) || !(body?.isReplayable ?? true)
    }

    /// Non-nil when this request leaves its handle set up for a later one.
    var reusableSetup: ReusableSetup? {
        Self.reusableSetup(method: request.method, body: body, proxy: proxy)
    }

    /// What a request with these parts leaves its handle set up for (asked before the handle
    /// is taken, so before the transfer exists).
    static func reusableSetup(method: HTTPRequest.Method, body: RequestBody?, proxy: ResolvedProxy?)
        -> ReusableSetup?
    {
        method == .get && body == nil ? ReusableSetup(proxy: proxy) : nil
    }

    /// Configures `handle` for this request. Throws a ``TransportError`` naming a rejected option.
    ///
    /// With `keepingOptions`, the handle still has the options of an earlier request with the
    /// same ``reusableSetup``, and only what differs per request is set.
    func configure(keepingOptions: Bool) throws {
        let handle = easy.pointer
        self.handle = handle
        let context = Unmanaged.passUnretained(self).toOpaque()
        try check(fh_easy_setopt_string(handle, CURLOPT_URL, url), "URL")
        // Nothing of the request before: no head bytes, counters or error text.
        easy.prepareForTransfer()
        headSink.pointee.owner = context
        headSink.pointee.on_complete = curlHeadComplete
        headSink.pointee.send_once = sendsOnce ? 1 : 0
        try check(fh_easy_set_write_callback(handle, curlWriteCallback, context), "WRITEFUNCTION")
        if !keepingOptions {
            // A kept handle's options still point at its own buffers; a reset one's do not.
            try check(fh_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, easy.errorBuffer), "ERRORBUFFER")
            try check(fh_easy_set_head_sink(handle, headSink), "HEADERFUNCTION")
            try check(fh_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1), "NOSIGNAL")
            try check(fh_easy_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"), "PROTOCOLS_STR")
            try check(
                fh_easy_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"), "REDIR_PROTOCOLS_STR")
            try check(fh_easy_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1), "TCP_KEEPALIVE")
            // A larger receive buffer than libcurl's 16 KiB: a large download takes a quarter of
            // the reads. No larger than 64 KiB: from 128 KiB (glibc's mmap threshold) on it cost a
            // 64-way raw multi loop of small GETs 2.5 µs a request (libcurl 7.88 seems to allocate
            // it per transfer); at 64 KiB it cost nothing measurable.
            try check(
                fh_easy_setopt_long(handle, CURLOPT_BUFFERSIZE, Self.receiveBufferSize(configuration)), "BUFFERSIZE")
            try configureTimeouts(handle)
            try configureRedirects(handle)
            try configureTLS(handle)
            try configureProxy(handle)
            try configureProtocol(handle)
            try configureBody(handle, context: context)
        }
        try configureCompression(handle)
        try configureHeaders(handle)
    }

    /// A quarter of the stream buffer, between libcurl's default (16 KiB) and 64 KiB: a read
    /// never brings more than the high-water mark of the response stream can take.
    static func receiveBufferSize(_ configuration: CurlConfiguration) -> Int {
        min(max(configuration.streamBufferSize / 4, 16 << 10), 64 << 10)
    }

    private func configureTimeouts(_ handle: UnsafeMutableRawPointer) throws {
        let timeouts = configuration.timeouts
        try check(
            fh_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(timeouts.connect)), "CONNECTTIMEOUT_MS")
        if let request = timeouts.request {
            try check(fh_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, milliseconds(request)), "TIMEOUT_MS")
        }
    }

    private func configureRedirects(_ handle: UnsafeMutableRawPointer) throws {
        let redirects = configuration.redirects
        try check(fh_easy_setopt_long(handle, CURLOPT_FOLLOWLOCATION, redirects.follow ? 1 : 0), "FOLLOWLOCATION")
        try check(fh_easy_setopt_long(handle, CURLOPT_MAXREDIRS, redirects.maxRedirects), "MAXREDIRS")
        // Credentials stay with the original host (also curl's default; stated to survive changes).
        try check(fh_easy_setopt_long(handle, CURLOPT_UNRESTRICTED_AUTH, 0), "UNRESTRICTED_AUTH")
    }

    private func configureTLS(_ handle: UnsafeMutableRawPointer) throws {
        let tls = configuration.tls
        try check(fh_easy_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, tls.verifyPeer ? 1 : 0), "SSL_VERIFYPEER")
        try check(fh_easy_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, tls.verifyHost ? 2 : 0), "SSL_VERIFYHOST")
        let version = tls.minimumVersion == .tls1_3 ? CURL_SSLVERSION_TLSv1_3 : CURL_SSLVERSION_TLSv1_2
        try check(fh_easy_setopt_long(handle, CURLOPT_SSLVERSION, Int(version)), "SSLVERSION")
        switch tls.trustRoots {
        case .file(let path):
            try check(fh_easy_setopt_string(handle, CURLOPT_CAINFO, path), "CAINFO")
            try check(fh_easy_setopt_string(handle, CURLOPT_PROXY_CAINFO, path), "PROXY_CAINFO")
        case .directory(let path):
            try check(fh_easy_setopt_string(handle, CURLOPT_CAPATH, path), "CAPATH")
            try check(fh_easy_setopt_string(handle, CURLOPT_PROXY_CAPATH, path), "PROXY_CAPATH")
        case .pem(let pem):
            try setBlob(handle, CURLOPT_CAINFO_BLOB, pem, "CAINFO_BLOB")
            try setBlob(handle, CURLOPT_PROXY_CAINFO_BLOB, pem, "PROXY_CAINFO_BLOB")
        case nil:
            break
        }
        if let certificate = tls.clientCertificate {
            switch certificate.source {
            case .files(let certificatePath, let keyPath):
                try check(fh_easy_setopt_string(handle, CURLOPT_SSLCERT, certificatePath), "SSLCERT")
                try check(fh_easy_setopt_string(handle, CURLOPT_SSLKEY, keyPath), "SSLKEY")
            case .pem(let certificatePEM, let keyPEM):
                try setBlob(handle, CURLOPT_SSLCERT_BLOB, certificatePEM, "SSLCERT_BLOB")
                try setBlob(handle, CURLOPT_SSLKEY_BLOB, keyPEM, "SSLKEY_BLOB")
            }
            try check(fh_easy_setopt_string(handle, CURLOPT_SSLCERTTYPE, "PEM"), "SSLCERTTYPE")
            if let password = certificate.keyPassword {
                try check(fh_easy_setopt_string(handle, CURLOPT_KEYPASSWD, password), "KEYPASSWD")
            }
        }
        if let pinned = tls.pinnedPublicKey {
            try check(fh_easy_setopt_string(handle, CURLOPT_PINNEDPUBLICKEY, pinned), "PINNEDPUBLICKEY")
        }
    }

    private func configureProxy(_ handle: UnsafeMutableRawPointer) throws {
        // Always set explicitly: an empty proxy stops libcurl from reading the environment itself.
        try check(fh_easy_setopt_string(handle, CURLOPT_PROXY, proxy?.url ?? ""), "PROXY")
        guard let proxy else { return }
        try check(fh_easy_setopt_long(handle, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1), "SUPPRESS_CONNECT_HEADERS")
        if let username = proxy.username {
            try check(fh_easy_setopt_string(handle, CURLOPT_PROXYUSERNAME, username), "PROXYUSERNAME")
        }
        if let password = proxy.password {
            try check(fh_easy_setopt_string(handle, CURLOPT_PROXYPASSWORD, password), "PROXYPASSWORD")
        }
        if let noProxy = proxy.noProxy {
            try check(fh_easy_setopt_string(handle, CURLOPT_NOPROXY, noProxy), "NOPROXY")
        }
    }

    private func configureProtocol(_ handle: UnsafeMutableRawPointer) throws {
        let version: Int
        switch configuration.httpVersion {
        case .automatic: version = CURL_HTTP_VERSION_2TLS
        case .http1_1: version = CURL_HTTP_VERSION_1_1
        case .http2: version = CURL_HTTP_VERSION_2TLS
        case .http2PriorKnowledge: version = CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE
        }
        try check(fh_easy_setopt_long(handle, CURLOPT_HTTP_VERSION, version), "HTTP_VERSION")
    }

    private func configureCompression(_ handle: UnsafeMutableRawPointer) throws {
        if configuration.acceptsCompressedResponses && request.headerFields[.acceptEncoding] == nil {
            // An empty string asks for every encoding libcurl can decode, and decodes it.
            try check(fh_easy_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, ""), "ACCEPT_ENCODING")
        } else {
            try check(fh_easy_setopt_pointer(handle, CURLOPT_ACCEPT_ENCODING, nil), "ACCEPT_ENCODING")
        }
    }

    private func configureBody(_ handle: UnsafeMutableRawPointer, context: UnsafeMutableRawPointer) throws {
        let method = request.method
        guard let body else {
            switch method {
            case .get: try check(fh_easy_setopt_long(handle, CURLOPT_HTTPGET, 1), "HTTPGET")
            case .head: try check(fh_easy_setopt_long(handle, CURLOPT_NOBODY, 1), "NOBODY")
            case .post, .put, .patch:
                // An explicit empty body, so curl neither reads stdin nor omits Content-Length.
                try check(fh_easy_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, 0), "POSTFIELDSIZE_LARGE")
                try check(fh_easy_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, ""), "COPYPOSTFIELDS")
                try setMethod(handle, method)
            default: try setMethod(handle, method)
            }
            return
        }
        switch body.content {
        case .bytes(let bytes):
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
            bytes.withUnsafeBytes { source in buffer.copyMemory(from: source) }
            postData = buffer
            try check(
                fh_easy_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes.count)), "POSTFIELDSIZE_LARGE")
            try check(fh_easy_setopt_pointer(handle, CURLOPT_POSTFIELDS, buffer.baseAddress), "POSTFIELDS")
            try setMethod(handle, method)
        case .file(let path, _):
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                throw TransportError(
                    .invalidRequest, message: "cannot open upload file \(path): \(String(cString: strerror(errno)))",
                    url: url)
            }
            uploadFile = descriptor
            var info = stat()
            guard fstat(descriptor, &info) == 0 else {
                throw TransportError(.invalidRequest, message: "cannot read the size of upload file \(path)", url: url)
            }
            try configureUpload(handle, length: Int64(info.st_size), context: context)
        case .stream(let stream, let length):
            let buffer = makeUploadBuffer()
            uploadStream = buffer
            producers.append(Task { await buffer.produce(from: stream) })
            try configureUpload(handle, length: length, context: context)
        case .multipart(let form):
            try configureMultipart(handle, form: form)
        }
    }

    private func configureUpload(_ handle: UnsafeMutableRawPointer, length: Int64?, context: UnsafeMutableRawPointer)
        throws
    {
        try check(fh_easy_setopt_long(handle, CURLOPT_UPLOAD, 1), "UPLOAD")
        // Unknown length: HTTP/1.1 chunked transfer encoding.
        try check(fh_easy_setopt_off(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(length ?? -1)), "INFILESIZE_LARGE")
        try check(fh_easy_set_read_callback(handle, curlReadCallback, context), "READFUNCTION")
        try setMethod(handle, request.method)
    }

    private func configureMultipart(_ handle: UnsafeMutableRawPointer, form: MultipartForm) throws {
        guard let mime = curl_mime_init(handle) else {
            throw TransportError(.invalidRequest, message: "libcurl could not create a multipart form", url: url)
        }
        self.mime = mime
        for part in form.parts {
            guard let mimePart = curl_mime_addpart(mime) else {
                throw TransportError(.invalidRequest, message: "libcurl could not add a multipart part", url: url)
            }
            try check(curl_mime_name(mimePart, part.name), "mime name of part '\(part.name)'")
            switch part.content {
            case .bytes(let bytes):
                try bytes.withUnsafeBytes { raw in
                    let pointer = raw.baseAddress?.assumingMemoryBound(to: CChar.self)
                    try check(curl_mime_data(mimePart, pointer, raw.count), "mime data of part '\(part.name)'")
                }
            case .file(let path):
                guard access(path, R_OK) == 0 else {
                    throw TransportError(
                        .invalidRequest, message: "cannot read file \(path) for part '\(part.name)'", url: url)
                }
                try check(curl_mime_filedata(mimePart, path), "mime file of part '\(part.name)'")
            case .stream(let stream, let length):
                let buffer = makeUploadBuffer()
                partStreams.append(buffer)
                producers.append(Task { await buffer.produce(from: stream) })
                let context = Unmanaged.passUnretained(buffer).toOpaque()
                try check(
                    fh_mime_data_cb(mimePart, curl_off_t(length ?? -1), curlPartReadCallback, context),
                    "mime stream of part '\(part.name)'")
            }
            if let filename = part.filename {
                try check(curl_mime_filename(mimePart, filename), "mime file name of part '\(part.name)'")
            }
            let isFile: Bool
            switch part.content {
            case .file, .stream: isFile = true
            case .bytes: isFile = part.filename != nil
            }
            if let type = part.contentType ?? (isFile ? "application/octet-stream" : nil) {
                try check(curl_mime_type(mimePart, type), "mime type of part '\(part.name)'")
            }
        }
        try check(fh_easy_setopt_mime(handle, mime), "MIMEPOST")
        if request.method != .post { try setMethod(handle, request.method) }
    }

    private func makeUploadBuffer() -> UploadBuffer {
        UploadBuffer(highWater: configuration.streamBufferSize) { [weak self] in
            guard let self else { return }
            self.loop?.resume(self)
        }
    }

    private func configureHeaders(_ handle: UnsafeMutableRawPointer) throws {
        var list: UnsafeMutablePointer<curl_slist>?
        func add(_ line: String) throws {
            guard let extended = curl_slist_append(list, line) else {
                throw TransportError(.invalidRequest, message: "libcurl could not store a header", url: url)
            }
            list = extended
        }
        // Content-Length and Transfer-Encoding are libcurl's to set from the body. (Compared one
        // by one: a `Set` literal here allocated on every request.)
        for field in request.headerFields where field.name != .contentLength && field.name != .transferEncoding {
            guard !field.value.contains("\r") && !field.value.contains("\n") else {
                headerList = list
                throw TransportError(
                    .invalidRequest, message: "header field \(field.name) contains a line break", url: url)
            }
            // "Name;" is curl's way of sending a header with an empty value.
            try add(field.value.isEmpty ? "\(field.name.rawName);" : "\(field.name.rawName): \(field.value)")
        }
        if request.headerFields[.contentType] == nil, let type = body?.contentType {
            try add("Content-Type: \(type)")
        }
        if request.headerFields[.userAgent] == nil {
            // An option rather than a list entry: libcurl scans its header list several times
            // per request, so every entry costs the loop thread.
            try check(fh_easy_setopt_string(handle, CURLOPT_USERAGENT, configuration.userAgent), "USERAGENT")
        } else {
            try check(fh_easy_setopt_pointer(handle, CURLOPT_USERAGENT, nil), "USERAGENT")
        }
        if body != nil {
            // Never wait for `100 Continue`: servers that don't send it would stall us a second.
            try add("Expect:")
        }
        headerList = list
        try check(fh_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, list), "HTTPHEADER")
    }

    private func setMethod(_ handle: UnsafeMutableRawPointer, _ method: HTTPRequest.Method) throws {
        try check(fh_easy_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method.rawValue), "CUSTOMREQUEST")
    }

    private func setBlob(_ handle: UnsafeMutableRawPointer, _ option: CURLoption, _ text: String, _ name: String) throws
    {
        var bytes = Array(text.utf8)
        try check(fh_easy_setopt_blob(handle, option, &bytes, bytes.count), name)
    }

    private func check(_ code: CURLcode, _ option: String) throws {
        guard code == CURLE_OK else {
            throw TransportError(
                .invalidRequest, message: "libcurl rejected \(option): \(String(cString: curl_easy_strerror(code)))",
                url: url, curlCode: Int(code.rawValue))
        }
    }

    private func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000), 1)
    }

    // MARK: callbacks (loop thread)

    fileprivate func receiveBody(_ chunk: UnsafeBufferPointer<UInt8>) -> Int {
        if !headDelivered {
            earlyBody.append(contentsOf: chunk)
            if earlyBody.count >= configuration.streamBufferSize { deliverHead(complete: false) }
            return chunk.count
        }
        guard let stream else { return chunk.count }
        switch stream.offer(chunk) {
        case .taken(let firstPending):
            if firstPending { loop?.publishAfterPass(self) }
            return chunk.count
        case .dropped: return chunk.count
        case .full: return Int(FH_CURL_WRITEFUNC_PAUSE)
        }
    }

    fileprivate func readBody(into destination: UnsafeMutableRawPointer, capacity: Int) -> Int {
        if uploadFile >= 0 {
            let count = read(uploadFile, destination, capacity)
            return count >= 0 ? count : Int(FH_CURL_READFUNC_ABORT)
        }
        guard let uploadStream else { return 0 }
        return Self.translate(uploadStream.read(into: destination, capacity: capacity))
    }

    static func translate(_ result: UploadBuffer.ReadResult) -> Int {
        switch result {
        case .bytes(let count): count
        case .pause: Int(FH_CURL_READFUNC_PAUSE)
        case .end: 0
        case .failed: Int(FH_CURL_READFUNC_ABORT)
        }
    }

    // MARK: completion (loop thread)

    /// Whether the final response's head is complete (not a 1xx, not a redirect being followed).
    var isHeadReady: Bool {
        guard headSink.pointee.complete != 0, let handle else { return false }
        var status = 0
        _ = fh_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        if status < 200 { return false }
        // A switch, not a `Set` literal, which allocated on every response.
        let isRedirect =
            switch status {
            case 301, 302, 303, 307, 308: true
            default: false
            }
        if configuration.redirects.follow && isRedirect && headSink.pointee.has_location != 0 {
            return false
        }
        return true
    }

    /// Hands the response head to the waiting caller, with the body complete or as a stream.
    func deliverHead(complete: Bool) {
        guard !headDelivered, let continuation else { return }
        headDelivered = true
        self.continuation = nil
        var status = 0
        if let handle { _ = fh_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status) }
        let sink = headSink.pointee
        let response = CurlResponseHead(
            status: status, headerBytes: Array(UnsafeBufferPointer(start: sink.bytes, count: sink.count)))
        if complete {
            let body = earlyBody
            earlyBody = []
            continuation.resume(returning: (response, ResponseBody(bytes: body)))
            return
        }
        let stream = CurlResponseStream(
            highWater: configuration.streamBufferSize, declaredLength: declaredLength(),
            resume: { [weak self] in
                guard let self else { return }
                self.loop?.resume(self)
            },
            abort: { [weak self] in
                guard let self else { return }
                self.loop?.cancel(self, reason: CancellationError())
            })
        stream.seed(earlyBody)
        earlyBody = []
        self.stream = stream
        continuation.resume(returning: (response, ResponseBody(source: stream)))
    }

    /// The length of the body to come, when the head states it and it is the length the
    /// caller will read: not for HEAD, and not for an encoded body (libcurl may decode it).
    private func declaredLength() -> Int64? {
        guard let handle, request.method != .head, headSink.pointee.has_content_encoding == 0 else { return nil }
        var length: curl_off_t = -1
        // -1 when there is no Content-Length, or a Transfer-Encoding overrides it.
        guard fh_easy_getinfo_off(handle, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length) == CURLE_OK, length >= 0
        else { return nil }
        return Int64(length)
    }

    /// Ends the transfer: the caller gets the head (or the error), a stream gets its end.
    func complete(with failure: (any Error)?) {
        guard !finished else { return }
        finished = true
        var failure = failure
        if failure == nil && !headDelivered && headSink.pointee.complete == 0 {
            // libcurl ends a transfer whose connection closed in the middle of the head without
            // an error, as if an empty body had come: a cut head, not an answer.
            failure = TransportError(
                .receiveFailed, message: "the connection closed in the middle of the response head", url: url,
                mayHaveReachedServer: true)
        }
        if let failure {
            if let continuation {
                self.continuation = nil
                continuation.resume(throwing: failure)
            }
            stream?.finish(failure)
        } else {
            deliverHead(complete: true)
            stream?.finish(nil)
        }
        uploadStream?.abort()
        for buffer in partStreams { buffer.abort() }
        for producer in producers { producer.cancel() }
    }

    /// The error for a failed curl code, in terms of our ``TransportError``.
    func error(for code: CURLcode) -> TransportError {
        if let abortReason { return abortReason }
        if code == CURLE_ABORTED_BY_CALLBACK || code == CURLE_READ_ERROR,
            let failure = uploadStream?.failure ?? partStreams.lazy.compactMap(\.failure).first
        {
            return TransportError(
                .invalidRequest, message: "the request body stream failed: \(failure)", url: url,
                mayHaveReachedServer: true)
        }
        let sink = headSink.pointee
        // libcurl went to send the request again with no answer to the first copy: refused by
        // the send guard, or failing to rewind a body that cannot be read twice.
        let resendRefused =
            (code == CURLE_ABORTED_BY_CALLBACK && sink.resend_refused != 0)
            || (code == CURLE_SEND_FAIL_REWIND && sendsOnce && sink.sends > 0 && sink.heads == sink.heads_at_send)
        if resendRefused {
            return TransportError(
                .receiveFailed,
                message:
                    "the reused connection closed before any response; the \(request.method.rawValue) is not sent again, since the server may have received it",
                url: url, curlCode: Int(code.rawValue), mayHaveReachedServer: true)
        }
        let detail = String(cString: easy.errorBuffer)
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        // A reused connection has no connect time: it tells only whether a new connection got
        // as far as the proxy or server, never whether the request left.
        var connectTime = 0.0
        if let handle { _ = fh_easy_getinfo_double(handle, CURLINFO_CONNECT_TIME, &connectTime) }
        return CurlErrorMapping.error(
            for: code, message: message, url: url, usesProxy: proxy != nil, proxyURL: proxy?.url,
            connected: connectTime > 0, requestSent: requestSent)
    }

    /// Frees what the easy handle pointed at; called after the handle left the multi handle and
    /// before it is given to another transfer.
    func releaseResources() {
        if let handle {
            // The handle outlives this transfer in the pool: leave it no pointers into us. (The
            // error buffer and head sink are the handle's own.)
            _ = fh_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, nil)
            easy.detach()
        }
        if let headerList { curl_slist_free_all(headerList) }
        headerList = nil
        if let mime { curl_mime_free(mime) }
        mime = nil
        postData?.deallocate()
        postData = nil
        if uploadFile >= 0 { close(uploadFile) }
        uploadFile = -1
        handle = nil
    }
}

// C callbacks. `userdata` is the transfer (or, for form parts, the part's buffer), kept alive by
// the loop until after the handle has been reset.

private let curlHeadComplete: fh_head_complete_callback = { owner in
    guard let owner else { return }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(owner).takeUnretainedValue()
    transfer.loop?.headerBlockCompleted(transfer)
}

private let curlWriteCallback: fh_data_callback = { buffer, size, count, userdata in
    guard let buffer, let userdata else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    return transfer.receiveBody(
        UnsafeBufferPointer(start: UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self), count: size * count))
}

private let curlReadCallback: fh_data_callback = { buffer, size, count, userdata in
    guard let buffer, let userdata else { return Int(FH_CURL_READFUNC_ABORT) }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    return transfer.readBody(into: UnsafeMutableRawPointer(buffer), capacity: size * count)
}

private let curlPartReadCallback: curl_read_callback = { buffer, size, count, userdata in
    guard let buffer, let userdata else { return Int(FH_CURL_READFUNC_ABORT) }
    let upload = Unmanaged<UploadBuffer>.fromOpaque(userdata).takeUnretainedValue()
    return CurlTransfer.translate(upload.read(into: UnsafeMutableRawPointer(buffer), capacity: size * count))
}
