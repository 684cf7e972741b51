import HTTPTypes

/// Keeps secrets out of logs, error texts and descriptions.
enum Redaction {
    static let placeholder = "<redacted>"

    /// Header fields whose values are always secret.
    static let secretFields: Set<HTTPField.Name> = [.authorization, .cookie, .setCookie, .proxyAuthorization]

    /// Query parameter names whose values are secret (compared case-insensitively).
    static let secretParameters: Set<String> = [
        "token", "access_token", "refresh_token", "id_token", "password", "secret", "client_secret",
        "api_key", "apikey", "key", "code",
    ]

    /// The value to log for a header field.
    static func headerValue(_ field: HTTPField) -> String {
        if secretFields.contains(field.name) || looksLikeToken(field.value) { return placeholder }
        return field.value
    }

    /// A JWT, or a long unbroken run of token characters, is treated as a token.
    static func looksLikeToken(_ value: String) -> Bool {
        let candidate = value.hasPrefix("Bearer ") ? String(value.dropFirst(7)) : value
        if candidate.hasPrefix("eyJ") && candidate.split(separator: ".").count == 3 { return true }
        guard candidate.utf8.count >= 32 else { return false }
        return candidate.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x5F || byte == 0x2E || byte == 0x2B || byte == 0x2F || byte == 0x3D
        }
    }

    /// Replaces the values of secret-looking query parameters in a URL or path.
    static func redactQuery(_ target: String) -> String {
        guard let queryStart = target.firstIndex(of: "?") else { return target }
        let query = target[target.index(after: queryStart)...]
        let redacted = query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            guard let equals = pair.firstIndex(of: "=") else { return String(pair) }
            let name = pair[..<equals].lowercased()
            return secretParameters.contains(name) ? "\(pair[..<equals])=\(placeholder)" : String(pair)
        }
        return target[...queryStart] + redacted.joined(separator: "&")
    }
}
