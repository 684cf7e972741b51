import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An incremental `multipart/form-data` parser (RFC 7578 / RFC 2046) over body chunks.
///
/// Feed it the request body's `ByteBuffer`s as they arrive; it reports part boundaries and
/// hands part contents on as slices, keeping at most one delimiter's length (plus one header
/// block) buffered — so a 1 GiB upload never needs more than a chunk of memory.
struct MultipartParser {
    enum Event {
        /// A part starts; header names are lower-cased.
        case begin(headers: [String: String])
        /// Content bytes of the current part (possibly several per part).
        case data(ByteBuffer)
        /// The current part ended.
        case end
    }

    struct MalformedBody: Error, CustomStringConvertible {
        var description: String
    }

    private enum State {
        case preamble, afterDelimiter, headers, body, done
    }

    /// `CRLF--boundary`: the delimiter as it appears before every boundary line.
    private let delimiter: [UInt8]
    private var state = State.preamble
    /// Bytes received but not yet consumed.
    private var pending: ByteBuffer
    /// Largest header block accepted for one part.
    private let headerLimit = 64 * 1024

    /// - Parameter boundary: the `boundary` parameter of the content type.
    init(boundary: String) {
        delimiter = Array("\r\n--\(boundary)".utf8)
        // A virtual CRLF lets the very first boundary line match the same delimiter.
        pending = ByteBuffer(bytes: [13, 10])
    }

    /// `true` once the closing boundary was seen.
    var isComplete: Bool {
        if case .done = state { return true }
        return false
    }

    /// The `boundary` parameter of a `multipart/…` content type, if present.
    static func boundary(contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters().lowercased() == "boundary" else { continue }
            var value = pair[1].trimmingCharacters()
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// Consumes `chunk`, appending the resulting events to `events`.
    mutating func feed(_ chunk: ByteBuffer, into events: inout [Event]) throws {
        if case .done = state { return }
        var chunk = chunk
        pending.writeBuffer(&chunk)
        try process(into: &events)
        // Reclaim consumed space so the buffer does not grow with the upload.
        if pending.readerIndex > 256 * 1024 { pending.discardReadBytes() }
    }

    /// Call after the last chunk; throws when the closing boundary never came.
    func finish() throws {
        guard case .done = state else { throw MalformedBody(description: "The multipart body ended early.") }
    }

    private mutating func process(into events: inout [Event]) throws {
        while true {
            switch state {
            case .preamble:
                guard let index = find(delimiter) else {
                    // Keep only what could still start a delimiter.
                    discardKeeping(delimiter.count - 1)
                    return
                }
                pending.moveReaderIndex(to: index + delimiter.count)
                state = .afterDelimiter
            case .afterDelimiter:
                guard pending.readableBytes >= 2, let marker = pending.getBytes(at: pending.readerIndex, length: 2)
                else {
                    return
                }
                if marker == [45, 45] {  // "--": closing boundary
                    state = .done
                    pending.clear()
                    return
                }
                // Transport padding (spaces/tabs) may precede the CRLF.
                if let byte = marker.first, byte == 32 || byte == 9 {
                    pending.moveReaderIndex(forwardBy: 1)
                    continue
                }
                guard marker == [13, 10] else {
                    throw MalformedBody(description: "Malformed multipart boundary line.")
                }
                pending.moveReaderIndex(forwardBy: 2)
                state = .headers
            case .headers:
                if let first = pending.getBytes(at: pending.readerIndex, length: min(2, pending.readableBytes)),
                    first == [13, 10]
                {
                    // A part without headers.
                    pending.moveReaderIndex(forwardBy: 2)
                    events.append(.begin(headers: [:]))
                    state = .body
                    continue
                }
                guard let end = find([13, 10, 13, 10]) else {
                    if pending.readableBytes > headerLimit {
                        throw MalformedBody(description: "A multipart header block is too large.")
                    }
                    return
                }
                let length = end - pending.readerIndex
                let text = pending.getString(at: pending.readerIndex, length: length) ?? ""
                pending.moveReaderIndex(to: end + 4)
                events.append(.begin(headers: Self.parseHeaders(text)))
                state = .body
            case .body:
                if let index = find(delimiter) {
                    let length = index - pending.readerIndex
                    if length > 0, let slice = pending.readSlice(length: length) { events.append(.data(slice)) }
                    pending.moveReaderIndex(forwardBy: delimiter.count)
                    events.append(.end)
                    state = .afterDelimiter
                    continue
                }
                // Everything except a possible delimiter prefix at the end is content.
                let safe = pending.readableBytes - (delimiter.count - 1)
                if safe > 0, let slice = pending.readSlice(length: safe) { events.append(.data(slice)) }
                return
            case .done:
                return
            }
        }
    }

    /// Drops readable bytes except the last `count`.
    private mutating func discardKeeping(_ count: Int) {
        let drop = pending.readableBytes - count
        if drop > 0 { pending.moveReaderIndex(forwardBy: drop) }
    }

    /// Absolute index of the first occurrence of `needle` in the readable bytes (`memchr` for
    /// the first byte, `memcmp` for the rest, so large uploads are scanned at memory speed even
    /// in debug builds).
    private func find(_ needle: [UInt8]) -> Int? {
        guard let first = needle.first else { return nil }
        return pending.withUnsafeReadableBytes { bytes -> Int? in
            guard let base = bytes.baseAddress, bytes.count >= needle.count else { return nil }
            return needle.withUnsafeBytes { pattern -> Int? in
                guard let patternBase = pattern.baseAddress else { return nil }
                var offset = 0
                while offset + pattern.count <= bytes.count {
                    guard let hit = memchr(base + offset, Int32(first), bytes.count - pattern.count + 1 - offset)
                    else { return nil }
                    let index = UnsafeRawPointer(hit) - base
                    if memcmp(base + index, patternBase, pattern.count) == 0 { return pending.readerIndex + index }
                    offset = index + 1
                }
                return nil
            }
        }
    }

    static func parseHeaders(_ text: String) -> [String: String] {
        var headers: [String: String] = [:]
        for line in text.split(separator: "\r\n", omittingEmptySubsequences: true) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].trimmingCharacters().lowercased()] = line[line.index(after: colon)...]
                .trimmingCharacters()
        }
        return headers
    }

    /// The `filename` of a `Content-Disposition` header (`filename*=UTF-8''…` preferred), or
    /// `nil` for a plain field.
    static func filename(contentDisposition: String) -> String? {
        var plain: String?
        var extended: String?
        var rest = Substring(contentDisposition)
        while let semicolon = rest.firstIndex(of: ";") {
            rest = rest[rest.index(after: semicolon)...]
            let trimmed = rest.drop { $0 == " " || $0 == "\t" }
            guard let equals = trimmed.firstIndex(of: "=") else { break }
            let key = trimmed[..<equals].trimmingCharacters().lowercased()
            var value = trimmed[trimmed.index(after: equals)...]
            var parsed = ""
            if value.first == "\"" {
                value = value.dropFirst()
                var escaped = false
                var consumed = value.endIndex
                for index in value.indices {
                    let character = value[index]
                    if escaped {
                        parsed.append(character)
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        consumed = value.index(after: index)
                        break
                    } else {
                        parsed.append(character)
                    }
                }
                rest = value[consumed...]
            } else {
                let end = value.firstIndex(of: ";") ?? value.endIndex
                parsed = value[..<end].trimmingCharacters()
                rest = value[end...]
            }
            if key == "filename" { plain = parsed }
            // RFC 5987: charset'language'percent-encoded
            if key == "filename*", let first = parsed.firstIndex(of: "'"),
                let second = parsed[parsed.index(after: first)...].firstIndex(of: "'")
            {
                extended = QueryItems.decodePath(parsed[parsed.index(after: second)...])
            }
        }
        return extended ?? plain
    }
}

extension Substring {
    fileprivate func trimmingCharacters() -> String { String(self).trimmingWhitespace() }
}
