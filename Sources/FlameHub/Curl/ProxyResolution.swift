#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The proxy one transfer uses, decided by us rather than by libcurl so that both cases of the
/// environment variables behave alike.
struct ResolvedProxy: Equatable {
    var url: String
    var username: String?
    var password: String?
    var noProxy: String?
}

extension CurlConfiguration.Proxy {
    /// The proxy for a request to a URL with `scheme`; nil means connect directly.
    func resolve(scheme: String, environment: (String) -> String? = ProxyEnvironment.value) -> ResolvedProxy? {
        switch self {
        case .disabled:
            return nil
        case .explicit(let proxy):
            return ResolvedProxy(
                url: proxy.url, username: proxy.username, password: proxy.password, noProxy: proxy.noProxy)
        case .environment:
            func lookup(_ name: String) -> String? {
                // Lowercase first (curl's own precedence), then uppercase; empty means unset.
                for candidate in [name.lowercased(), name.uppercased()] {
                    if let value = environment(candidate), !value.isEmpty { return value }
                }
                return nil
            }
            let specific = scheme == "https" ? lookup("https_proxy") : lookup("http_proxy")
            guard let url = specific ?? lookup("all_proxy") else { return nil }
            return ResolvedProxy(url: url, noProxy: lookup("no_proxy"))
        }
    }
}

/// Reads the process environment.
enum ProxyEnvironment {
    static func value(_ name: String) -> String? {
        guard let raw = getenv(name) else { return nil }
        return String(cString: raw)
    }
}
