import Testing

@testable import FlameHub

@Suite("Proxy resolution from an injected environment")
struct TransportProxyResolutionTests {
    private func resolve(
        _ proxy: CurlConfiguration.Proxy = .environment, scheme: String, _ environment: [String: String]
    ) -> ResolvedProxy? {
        proxy.resolve(scheme: scheme) { environment[$0] }
    }

    @Test("no variables: direct")
    func empty() {
        #expect(resolve(scheme: "http", [:]) == nil)
        #expect(resolve(scheme: "https", [:]) == nil)
    }

    @Test("uppercase HTTP_PROXY is honoured, unlike libcurl alone")
    func uppercaseHTTPProxy() {
        #expect(resolve(scheme: "http", ["HTTP_PROXY": "http://upper:3128"])?.url == "http://upper:3128")
        #expect(resolve(scheme: "http", ["http_proxy": "http://lower:3128"])?.url == "http://lower:3128")
    }

    @Test("lowercase wins when both cases are set")
    func lowercaseWins() {
        let environment = [
            "HTTP_PROXY": "http://upper:1", "http_proxy": "http://lower:1", "HTTPS_PROXY": "http://upper:2",
            "https_proxy": "http://lower:2",
        ]
        #expect(resolve(scheme: "http", environment)?.url == "http://lower:1")
        #expect(resolve(scheme: "https", environment)?.url == "http://lower:2")
    }

    @Test("the scheme picks the variable; ALL_PROXY is the fallback in either case")
    func schemeAndFallback() {
        #expect(resolve(scheme: "https", ["HTTP_PROXY": "http://plain:1"]) == nil)
        #expect(resolve(scheme: "http", ["HTTPS_PROXY": "http://secure:1"]) == nil)
        #expect(resolve(scheme: "https", ["HTTPS_PROXY": "http://secure:1"])?.url == "http://secure:1")
        #expect(resolve(scheme: "https", ["ALL_PROXY": "socks5://all:1080"])?.url == "socks5://all:1080")
        #expect(resolve(scheme: "http", ["all_proxy": "socks5://all:1080"])?.url == "socks5://all:1080")
        #expect(
            resolve(scheme: "http", ["ALL_PROXY": "socks5://all:1080", "HTTP_PROXY": "http://plain:1"])?.url
                == "http://plain:1")
    }

    @Test("NO_PROXY is passed along in either case")
    func noProxy() {
        #expect(
            resolve(scheme: "http", ["HTTP_PROXY": "http://p:1", "NO_PROXY": "localhost,.internal"])?.noProxy
                == "localhost,.internal")
        #expect(
            resolve(scheme: "https", ["https_proxy": "http://p:1", "no_proxy": "127.0.0.1"])?.noProxy == "127.0.0.1")
        #expect(
            resolve(scheme: "http", ["HTTP_PROXY": "http://p:1", "NO_PROXY": "upper", "no_proxy": "lower"])?.noProxy
                == "lower")
        #expect(resolve(scheme: "http", ["HTTP_PROXY": "http://p:1"])?.noProxy == nil)
    }

    @Test("empty values count as unset")
    func emptyValues() {
        #expect(resolve(scheme: "http", ["http_proxy": "", "HTTP_PROXY": "http://upper:1"])?.url == "http://upper:1")
        #expect(resolve(scheme: "http", ["http_proxy": "", "HTTP_PROXY": ""]) == nil)
    }

    @Test("disabled ignores the environment; explicit ignores it too")
    func disabledAndExplicit() {
        let environment = ["HTTP_PROXY": "http://env:1", "NO_PROXY": "*"]
        #expect(resolve(.disabled, scheme: "http", environment) == nil)
        let explicit = CurlConfiguration.Proxy.explicit(
            .init(url: "http://mine:3128", username: "u", password: "p", noProxy: "hub.internal"))
        #expect(
            resolve(explicit, scheme: "https", environment)
                == ResolvedProxy(url: "http://mine:3128", username: "u", password: "p", noProxy: "hub.internal"))
    }
}
