/// How a ``CurlTransport`` connects: timeouts, TLS, proxy, redirects and limits.
///
/// Nested value types with documented defaults, in the manner of async-http-client's
/// `HTTPClient.Configuration`. The defaults are safe: peer and host verification on, proxy
/// taken from the environment consistently, redirects followed without leaking credentials.
public struct CurlConfiguration: Sendable, Hashable {
    /// Timeouts; see ``Timeouts``.
    public var timeouts: Timeouts
    /// TLS settings; see ``TLS``.
    public var tls: TLS
    /// Proxy settings; see ``Proxy``.
    public var proxy: Proxy
    /// Redirect handling; see ``Redirects``.
    public var redirects: Redirects
    /// The `User-Agent` sent when a request sets none. Default `flamehub-swift/<version>`.
    public var userAgent: String
    /// Which HTTP version to prefer. Default ``HTTPVersion/automatic``.
    public var httpVersion: HTTPVersion
    /// Connections kept open to one host at most; further requests wait for one. Default 16.
    public var maxConnectionsPerHost: Int
    /// Connections open at most over all hosts (0: no limit). Default 0.
    public var maxTotalConnections: Int
    /// How many bytes of a streamed response are buffered before the transfer is paused for a
    /// slow consumer. Default 1 MiB.
    public var streamBufferSize: Int
    /// Whether to ask for compressed responses (gzip, deflate, br) and decode them. Default true.
    public var acceptsCompressedResponses: Bool
    /// How long the I/O thread keeps polling without sleeping after its last piece of work.
    /// Default 200 µs; `.zero` sleeps at once.
    ///
    /// Waking a sleeping thread costs tens of microseconds (far more on virtual machines whose
    /// idle CPUs halt), and a request needs several such wakeups: the I/O thread for the request,
    /// again for the response. Polling briefly turns them into cheap checks, for at most this
    /// much CPU time after each burst of work.
    public var busyPollWindow: Duration

    /// A configuration with the documented defaults, any of which can be overridden.
    public init(
        timeouts: Timeouts = Timeouts(),
        tls: TLS = TLS(),
        proxy: Proxy = .environment,
        redirects: Redirects = Redirects(),
        userAgent: String = FlameHubVersion.userAgent,
        httpVersion: HTTPVersion = .automatic,
        maxConnectionsPerHost: Int = 16,
        maxTotalConnections: Int = 0,
        streamBufferSize: Int = 1 << 20,
        acceptsCompressedResponses: Bool = true,
        busyPollWindow: Duration = .microseconds(200)
    ) {
        self.timeouts = timeouts
        self.tls = tls
        self.proxy = proxy
        self.redirects = redirects
        self.userAgent = userAgent
        self.httpVersion = httpVersion
        self.maxConnectionsPerHost = maxConnectionsPerHost
        self.maxTotalConnections = maxTotalConnections
        self.streamBufferSize = streamBufferSize
        self.acceptsCompressedResponses = acceptsCompressedResponses
        self.busyPollWindow = busyPollWindow
    }

    /// Timeouts, with millisecond precision.
    public struct Timeouts: Sendable, Hashable {
        /// Time to establish the connection (TCP, proxy and TLS). Default 10 s.
        public var connect: Duration
        /// Time for the whole request, body included; nil for no limit. Default nil, since
        /// downloads of any size are expected; ``stall`` catches dead transfers.
        public var request: Duration?
        /// Aborts a transfer that moves fewer than a minimum number of bytes over a window.
        /// Default: under 1 byte/s for 60 s. Time spent paused for a slow consumer does not count.
        public var stall: Stall?

        /// Timeouts with the documented defaults.
        public init(connect: Duration = .seconds(10), request: Duration? = nil, stall: Stall? = Stall()) {
            self.connect = connect
            self.request = request
            self.stall = stall
        }
    }

    /// A minimum transfer speed over a window.
    public struct Stall: Sendable, Hashable {
        /// The least average speed over ``window``, in bytes per second. Default 1.
        public var minimumBytesPerSecond: Int
        /// The window over which the speed is measured. Default 60 s.
        public var window: Duration

        /// A stall rule with the documented defaults.
        public init(minimumBytesPerSecond: Int = 1, window: Duration = .seconds(60)) {
            self.minimumBytesPerSecond = minimumBytesPerSecond
            self.window = window
        }
    }

    /// TLS settings. Verification of the peer's certificate and host name is on by default.
    public struct TLS: Sendable, Hashable {
        /// Verify the server's certificate chain. Default true.
        public var verifyPeer: Bool
        /// Verify that the certificate names the host. Default true.
        public var verifyHost: Bool
        /// Trusted CA certificates; nil uses the system's bundle.
        public var trustRoots: TrustRoots?
        /// A client certificate for mutual TLS.
        public var clientCertificate: ClientCertificate?
        /// A pinned public key: `sha256//<base64>` (several joined by `;`) or a PEM/DER file path.
        public var pinnedPublicKey: String?
        /// The lowest TLS version accepted. Default ``TLSVersion/tls1_2``.
        public var minimumVersion: TLSVersion

        /// TLS settings with the documented defaults.
        public init(
            verifyPeer: Bool = true,
            verifyHost: Bool = true,
            trustRoots: TrustRoots? = nil,
            clientCertificate: ClientCertificate? = nil,
            pinnedPublicKey: String? = nil,
            minimumVersion: TLSVersion = .tls1_2
        ) {
            self.verifyPeer = verifyPeer
            self.verifyHost = verifyHost
            self.trustRoots = trustRoots
            self.clientCertificate = clientCertificate
            self.pinnedPublicKey = pinnedPublicKey
            self.minimumVersion = minimumVersion
        }
    }

    /// Where trusted CA certificates come from.
    public enum TrustRoots: Sendable, Hashable {
        /// A PEM bundle file.
        case file(String)
        /// A directory of hashed certificates (as `c_rehash` makes).
        case directory(String)
        /// PEM text in memory.
        case pem(String)
    }

    /// A client certificate and its private key, for mutual TLS.
    public struct ClientCertificate: Sendable, Hashable, CustomStringConvertible {
        /// Where the certificate and key come from.
        public enum Source: Sendable, Hashable {
            /// PEM files on disk.
            case files(certificate: String, key: String)
            /// PEM text in memory.
            case pem(certificate: String, key: String)
        }

        /// The certificate and key.
        public var source: Source
        /// The key's passphrase, if it is encrypted. Never printed.
        public var keyPassword: String?

        /// A client certificate from `source`, with an optional key passphrase.
        public init(_ source: Source, keyPassword: String? = nil) {
            self.source = source
            self.keyPassword = keyPassword
        }

        public var description: String {
            switch source {
            case .files(let certificate, let key): "ClientCertificate(certificate: \(certificate), key: \(key))"
            case .pem: "ClientCertificate(pem: <in memory>)"
            }
        }
    }

    /// TLS protocol versions.
    public enum TLSVersion: Sendable, Hashable {
        case tls1_2
        case tls1_3
    }

    /// Which proxy requests go through.
    public enum Proxy: Sendable, Hashable, CustomStringConvertible {
        /// From `HTTPS_PROXY`/`https_proxy` (https URLs), `HTTP_PROXY`/`http_proxy` (http URLs),
        /// `ALL_PROXY`/`all_proxy` as fallback and `NO_PROXY`/`no_proxy`, honouring both cases
        /// alike (libcurl alone ignores uppercase `HTTP_PROXY`). Lowercase wins when both are set.
        /// The variables are read once, when the ``CurlTransport`` is created.
        case environment
        /// No proxy, whatever the environment says.
        case disabled
        /// An explicit proxy.
        case explicit(ExplicitProxy)

        public var description: String {
            switch self {
            case .environment: "environment"
            case .disabled: "disabled"
            case .explicit(let proxy): proxy.description
            }
        }
    }

    /// An explicitly configured proxy.
    public struct ExplicitProxy: Sendable, Hashable, CustomStringConvertible {
        /// `http://host:port`, `https://host:port` or `socks5://host:port` (`socks5h` resolves names
        /// on the proxy).
        public var url: String
        /// Proxy user name, if the proxy needs one.
        public var username: String?
        /// Proxy password. Never printed.
        public var password: String?
        /// Hosts reached directly: comma-separated names, domains (`.example.org`), IPs; `*` for all.
        public var noProxy: String?

        /// A proxy at `url` with optional credentials and exclusions.
        public init(url: String, username: String? = nil, password: String? = nil, noProxy: String? = nil) {
            self.url = url
            self.username = username
            self.password = password
            self.noProxy = noProxy
        }

        public var description: String {
            "proxy \(TransportError.redactingCredentials(url))\(username.map { " as \($0)" } ?? "")"
        }
    }

    /// Redirect handling. `Authorization` is never sent to another host.
    public struct Redirects: Sendable, Hashable {
        /// Whether to follow redirects. Default true.
        public var follow: Bool
        /// The most redirects followed for one request. Default 5.
        public var maxRedirects: Int

        /// Redirect handling with the documented defaults.
        public init(follow: Bool = true, maxRedirects: Int = 5) {
            self.follow = follow
            self.maxRedirects = maxRedirects
        }
    }

    /// HTTP version preferences.
    public enum HTTPVersion: Sendable, Hashable {
        /// libcurl's default: HTTP/2 over TLS when the server offers it, else HTTP/1.1.
        case automatic
        /// HTTP/1.1 only.
        case http1_1
        /// HTTP/2 over TLS (negotiated), HTTP/1.1 for cleartext.
        case http2
        /// HTTP/2 without negotiation, also on cleartext connections.
        case http2PriorKnowledge
    }
}
