import CCurl

/// Turns a failed `CURLcode` into a ``TransportError`` with the right code and retry facts.
enum CurlErrorMapping {
    /// - Parameters:
    ///   - connected: a new connection reached the proxy or server (its connect time is known).
    ///   - requestSent: libcurl got as far as sending the request at least once, so bytes of it
    ///     may have left. This, not the connect time (zero on a reused connection), decides
    ///     ``TransportError/mayHaveReachedServer`` and whether a timeout was the connect's.
    static func error(
        for code: CURLcode, message: String, url: String, usesProxy: Bool, proxyURL: String?, connected: Bool,
        requestSent: Bool
    ) -> TransportError {
        let curlCode = Int(code.rawValue)
        func make(_ kind: TransportError.Code, text: String = message) -> TransportError {
            TransportError(kind, message: text, url: url, curlCode: curlCode, mayHaveReachedServer: requestSent)
        }
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST:
            return make(.couldNotResolveHost)
        case CURLE_COULDNT_RESOLVE_PROXY:
            return make(.couldNotResolveProxy)
        case CURLE_COULDNT_CONNECT:
            if usesProxy && !connected {
                let proxy = proxyURL.map(TransportError.redactingCredentials) ?? "the proxy"
                return make(.proxyFailure, text: "could not connect to proxy \(proxy): \(message)")
            }
            return make(.connectionFailed)
        case CURLE_OPERATION_TIMEDOUT:
            // Before the request went out, the time ran out while a connection was being opened.
            return make(requestSent ? .requestTimeout : .connectTimeout)
        case CURLE_PROXY:
            return make(.proxyFailure)
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return make(.pinnedKeyMismatch)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ENGINE_NOTFOUND,
            CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_INVALIDCERTSTATUS, CURLE_USE_SSL_FAILED:
            return make(.tlsFailure)
        case CURLE_SEND_ERROR, CURLE_SEND_FAIL_REWIND:
            return make(.sendFailed)
        case CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM,
            CURLE_BAD_CONTENT_ENCODING:
            return make(.receiveFailed)
        case CURLE_WEIRD_SERVER_REPLY:
            return make(.invalidResponse)
        case CURLE_UNSUPPORTED_PROTOCOL where requestSent:
            // libcurl's code for an answer that is not HTTP ("Received HTTP/0.9 when not allowed").
            return make(.invalidResponse, text: "the server's answer is not HTTP: \(message)")
        case CURLE_TOO_MANY_REDIRECTS:
            return make(.tooManyRedirects)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_BAD_FUNCTION_ARGUMENT, CURLE_READ_ERROR,
            CURLE_FILESIZE_EXCEEDED, CURLE_LOGIN_DENIED:
            return make(.invalidRequest)
        default:
            return make(.other)
        }
    }
}
