import HTTPTypes

/// A response head as the loop thread collected it: the status and the raw header lines.
///
/// Parsing into `HTTPFields` happens in the calling task, keeping string work off the loop thread.
struct CurlResponseHead: Sendable {
    var status: Int
    var headerBytes: [UInt8]

    /// The parsed head. Lines that are not valid fields (obsolete folding, bad names) are skipped.
    func makeResponse() -> HTTPResponse {
        // Appended straight into `HTTPFields`, with room for one field a line: building an array
        // first and converting it went through a generic `replaceSubrange` per field and showed
        // in the 64-way profile.
        var fields = HTTPFields()
        fields.reserveCapacity(headerBytes.lazy.filter { $0 == 0x0A }.count)
        headerBytes.withUnsafeBufferPointer { bytes in
            var lineStart = 0
            while lineStart < bytes.count {
                var lineEnd = lineStart
                while lineEnd < bytes.count && bytes[lineEnd] != 0x0A { lineEnd += 1 }
                defer { lineStart = lineEnd + 1 }
                var colon = lineStart
                while colon < lineEnd && bytes[colon] != 0x3A { colon += 1 }
                guard colon < lineEnd, let name = Self.name(UnsafeBufferPointer(rebasing: bytes[lineStart..<colon]))
                else { continue }
                // Optional whitespace around the value, and the line's CR, are not part of it.
                var valueStart = colon + 1
                var valueEnd = lineEnd
                while valueStart < valueEnd && Self.isWhitespace(bytes[valueStart]) { valueStart += 1 }
                while valueEnd > valueStart && Self.isWhitespace(bytes[valueEnd - 1]) { valueEnd -= 1 }
                let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[valueStart..<valueEnd]), as: UTF8.self)
                fields.append(HTTPField(name: name, value: value))
            }
        }
        return HTTPResponse(status: .init(code: min(max(status, 100), 999)), headerFields: fields)
    }

    /// The fields most servers send, spelled as they usually are: a name among them is taken as
    /// it is, without building a `String` to validate and lowercase (every response has several).
    private static let commonNames: [(bytes: [UInt8], name: HTTPField.Name)] = [
        HTTPField.Name.server, .date, .contentType, .contentLength, .connection, .lastModified, .eTag,
        .acceptRanges, .contentEncoding, .transferEncoding, .location, .cacheControl, .vary, .setCookie,
        .retryAfter, .wwwAuthenticate,
    ].map { (Array($0.rawName.utf8), $0) }

    /// The field name in `bytes`, or nil if it is not a valid one.
    private static func name(_ bytes: UnsafeBufferPointer<UInt8>) -> HTTPField.Name? {
        // Exact spelling only, so `rawName` stays what the server sent.
        for common in commonNames where common.bytes.count == bytes.count && common.bytes.elementsEqual(bytes) {
            return common.name
        }
        return HTTPField.Name(String(decoding: bytes, as: UTF8.self))
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }
}
