import CCurl

/// Turns a failed `CURLcode` into a ``TransportError`` with the right code and retry facts.
enum CurlErrorMapping {
    static func error(
        for code: CURLcode, message: String, url: String, usesProxy: Bool, proxyURL: String?, connected: Bool
    ) -> TransportError {
        let curlCode = Int(code.rawValue)
        func make(_ kind: TransportError.Code, reached: Bool, text: String = message) -> TransportError {
            TransportError(kind, message: text, url: url, curlCode: curlCode, mayHaveReachedServer: reached)
        }
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST:
            return make(.couldNotResolveHost, reached: false)
        case CURLE_COULDNT_RESOLVE_PROXY:
            return make(.couldNotResolveProxy, reached: false)
        case CURLE_COULDNT_CONNECT:
            if usesProxy && !connected {
                let proxy = proxyURL.map(TransportError.redactingCredentials) ?? "the proxy"
                return make(.proxyFailure, reached: false, text: "could not connect to proxy \(proxy): \(message)")
            }
            return make(.connectionFailed, reached: false)
        case CURLE_OPERATION_TIMEDOUT:
            return connected ? make(.requestTimeout, reached: true) : make(.connectTimeout, reached: false)
        case CURLE_PROXY:
            return make(.proxyFailure, reached: false)
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return make(.pinnedKeyMismatch, reached: false)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ENGINE_NOTFOUND,
            CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_INVALIDCERTSTATUS, CURLE_USE_SSL_FAILED:
            return make(.tlsFailure, reached: false)
        case CURLE_SEND_ERROR:
            return make(.sendFailed, reached: true)
        case CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM,
            CURLE_WEIRD_SERVER_REPLY, CURLE_BAD_CONTENT_ENCODING:
            return make(.receiveFailed, reached: true)
        case CURLE_TOO_MANY_REDIRECTS:
            return make(.tooManyRedirects, reached: true)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_BAD_FUNCTION_ARGUMENT, CURLE_READ_ERROR,
            CURLE_FILESIZE_EXCEEDED, CURLE_LOGIN_DENIED:
            return make(.invalidRequest, reached: false)
        default:
            return make(.other, reached: connected)
        }
    }
}
