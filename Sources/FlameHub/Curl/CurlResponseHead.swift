import HTTPTypes

/// A response head as the loop thread collected it: the status and the raw header lines.
///
/// Parsing into `HTTPFields` happens in the calling task, keeping string work off the loop thread.
struct CurlResponseHead: Sendable {
    var status: Int
    var headerBytes: [UInt8]

    /// The parsed head. Lines that are not valid fields (obsolete folding, bad names) are skipped.
    func makeResponse() -> HTTPResponse {
        var fields = HTTPFields()
        var lineStart = headerBytes.startIndex
        while lineStart < headerBytes.endIndex {
            let lineEnd = headerBytes[lineStart...].firstIndex(of: 0x0A) ?? headerBytes.endIndex
            let line = headerBytes[lineStart..<lineEnd]
            lineStart = lineEnd == headerBytes.endIndex ? lineEnd : lineEnd + 1
            guard let colon = line.firstIndex(of: 0x3A),
                let name = HTTPField.Name(String(decoding: line[..<colon], as: UTF8.self))
            else { continue }
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingSpaces()
            fields.append(HTTPField(name: name, value: value))
        }
        return HTTPResponse(status: .init(code: min(max(status, 100), 999)), headerFields: fields)
    }
}
