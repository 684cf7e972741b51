import CCurl
import HTTPTypes

/// The production ``HTTPTransport``, built on libcurl.
///
/// One curl multi handle is driven by one dedicated I/O thread, so any number of concurrent
/// requests share a thread and a pool of kept-alive connections. Task cancellation aborts a
/// transfer promptly; response bodies stream with backpressure; request bodies stream from
/// files or async sequences; multipart forms stream file parts from disk.
///
/// ```swift
/// let transport = CurlTransport(configuration: .init(
///     timeouts: .init(connect: .seconds(5)),
///     tls: .init(trustRoots: .file("/etc/ssl/private-ca.pem"))))
/// let request = try HTTPRequest(method: .get, url: "https://hub.example.org/core/nodes")
/// let (response, body) = try await transport.send(request, body: nil)
/// let bytes = try await body.collect(upTo: 1 << 20)
/// ```
///
/// Create one transport and share it: each owns a thread and a connection pool until it is
/// released (or ``shutdown()`` is called).
public final class CurlTransport: HTTPTransport {
    /// The configuration every request of this transport uses.
    public let configuration: CurlConfiguration
    private let loop: CurlLoop
    /// The executor that runs a task's jobs on this transport's I/O thread: a task that prefers
    /// it (`Task(executorPreference:)`, `withTaskExecutorPreference`) gets its responses without
    /// a thread hop. Read ``CurlIOExecutor`` for where your code then runs.
    public let ioExecutor: CurlIOExecutor
    /// Proxies for http and https URLs, resolved once (the environment is read at creation).
    private let httpProxy: ResolvedProxy?
    private let httpsProxy: ResolvedProxy?

    /// A transport with `configuration`.
    ///
    /// With ``CurlConfiguration/Proxy/environment`` the proxy variables are read here, once.
    public init(configuration: CurlConfiguration = CurlConfiguration()) {
        self.configuration = configuration
        loop = CurlLoop(configuration: configuration)
        ioExecutor = CurlIOExecutor(loop: loop)
        httpProxy = configuration.proxy.resolve(scheme: "http")
        httpsProxy = configuration.proxy.resolve(scheme: "https")
    }

    deinit {
        loop.shutdown()
    }

    /// A process-wide transport with the default configuration.
    public static let shared = CurlTransport()

    /// The libcurl version and features this transport runs on, e.g. `libcurl/7.88.1 OpenSSL/3.0.19 …`.
    public static var libcurlVersion: String { String(cString: fh_curl_version_string()) }

    public func send(_ request: HTTPRequest, body: RequestBody?) async throws -> (HTTPResponse, ResponseBody) {
        try Task.checkCancellation()
        try HeaderText.check(request, body: body, userAgent: configuration.userAgent)
        let proxy = request.scheme?.lowercased() == "https" ? httpsProxy : httpProxy
        let (easy, keepsOptions) = try loop.takeHandle(
            for: CurlTransfer.reusableSetup(method: request.method, body: body, proxy: proxy))
        let transfer = CurlTransfer(
            request: request, body: body, configuration: configuration, proxy: proxy, easy: easy)
        transfer.loop = loop
        do {
            try transfer.configure(keepingOptions: keepsOptions)
        } catch {
            transfer.complete(with: error)
            transfer.releaseResources()
            loop.returnHandle(easy)
            throw error
        }
        let (head, body) = try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { continuation in
                transfer.continuation = continuation
                loop.submit(transfer)
            }
        } onCancel: {
            loop.cancel(transfer, reason: CancellationError())
        }
        return (head.makeResponse(), body)
    }

    /// CPU time this transport's I/O thread has used so far (for tests).
    var ioThreadCPUTime: Duration? { loop.ioThreadCPUTime }

    /// Stops the I/O thread; requests in flight fail with ``TransportError/Code/shutdown``.
    public func shutdown() {
        loop.shutdown()
    }
}
