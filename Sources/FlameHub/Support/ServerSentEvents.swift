/// One event of a `text/event-stream` body, as the WHATWG HTML standard's event-stream
/// interpretation dispatches it (section 9.2.6).
public struct ServerSentEvent: Sendable, Hashable {
    /// The `event:` field; `message` when the event named none.
    public var type: String
    /// The `data:` lines joined by line feeds.
    public var data: String
    /// The last `id:` seen on the stream so far (it carries over to later events); empty when none.
    public var lastEventID: String

    /// An event of `type` with `data`.
    public init(type: String = "message", data: String, lastEventID: String = "") {
        self.type = type
        self.data = data
        self.lastEventID = lastEventID
    }
}

/// An incremental `text/event-stream` parser: bytes go in as they arrive, in chunks of any size
/// (a chunk may end inside a line, inside a CR LF pair or inside a UTF-8 sequence), and complete
/// events come out.
///
/// It follows the standard's rules: lines end in CR LF, LF or CR; a leading BOM is dropped; a
/// line starting with `:` is a comment; `field: value` loses one space after the colon; `data`
/// lines accumulate with line feeds; `id` containing NUL is ignored; `retry` is used only when
/// all ASCII digits; an empty line dispatches (nothing when no data came); a last event not
/// ended by an empty line is dropped.
struct ServerSentEventParser: Sendable {
    /// The longest line accepted: a stream that never ends its line must not take all memory.
    let maxLineLength: Int

    private var line: [UInt8] = []
    private var skipsLineFeed = false
    private var atStart = true
    private var eventType = ""
    private var data = ""
    private var hasData = false
    /// The `id:` seen last, committed to ``lastEventID`` when the next empty line comes.
    private var idBuffer = ""
    /// The last event ID string: kept across events (and across reconnections by the caller),
    /// updated at each empty line, so an `id:` whose event was cut off does not count.
    private(set) var lastEventID = ""
    /// The reconnection time from the latest valid `retry:` field, in milliseconds.
    private(set) var retry: Int?
    /// How many comment lines came (keep-alives); lets callers see that a stream is alive.
    private(set) var comments = 0

    /// A parser; `lastEventID` starts as given (the id a resumed stream continues from).
    init(lastEventID: String = "", maxLineLength: Int = 1 << 20) {
        self.lastEventID = lastEventID
        idBuffer = lastEventID
        self.maxLineLength = maxLineLength
    }

    /// A line longer than ``maxLineLength``.
    struct LineTooLong: Error, CustomStringConvertible {
        var limit: Int
        var description: String { "an event-stream line is longer than \(limit) bytes" }
    }

    /// Feeds `bytes` and appends the events they complete to `events`.
    mutating func feed(_ bytes: some Sequence<UInt8>, into events: inout [ServerSentEvent]) throws {
        for byte in bytes {
            if skipsLineFeed {
                skipsLineFeed = false
                if byte == 0x0A { continue }
            }
            switch byte {
            case 0x0D:
                skipsLineFeed = true
                endLine(into: &events)
            case 0x0A:
                endLine(into: &events)
            default:
                guard line.count < maxLineLength else { throw LineTooLong(limit: maxLineLength) }
                line.append(byte)
            }
        }
    }

    /// The events `bytes` complete (convenience for tests and small bodies).
    mutating func feed(_ bytes: some Sequence<UInt8>) throws -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        try feed(bytes, into: &events)
        return events
    }

    private mutating func endLine(into events: inout [ServerSentEvent]) {
        var bytes = line[...]
        line.removeAll(keepingCapacity: true)
        if atStart {
            atStart = false
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        }
        guard let first = bytes.first else {
            dispatch(into: &events)
            return
        }
        if first == UInt8(ascii: ":") {
            comments += 1
            return
        }
        let field: Substring
        var value: ArraySlice<UInt8>
        if let colon = bytes.firstIndex(of: UInt8(ascii: ":")) {
            field = Substring(String(decoding: bytes[..<colon], as: UTF8.self))
            value = bytes[bytes.index(after: colon)...]
            if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        } else {
            field = Substring(String(decoding: bytes, as: UTF8.self))
            value = []
        }
        switch field {
        case "event":
            eventType = String(decoding: value, as: UTF8.self)
        case "data":
            if hasData { data.append("\n") }
            data.append(String(decoding: value, as: UTF8.self))
            hasData = true
        case "id":
            if !value.contains(0) { idBuffer = String(decoding: value, as: UTF8.self) }
        case "retry":
            if !value.isEmpty, value.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                // Digits only, so the only failure is overflow: such a value is ignored.
                retry = Int(String(decoding: value, as: UTF8.self))
            }
        default:
            break
        }
    }

    private mutating func dispatch(into events: inout [ServerSentEvent]) {
        defer {
            eventType = ""
            data = ""
            hasData = false
        }
        lastEventID = idBuffer
        // The standard appends LF per data line and strips the last one: joined lines are the same.
        guard hasData else { return }
        events.append(
            ServerSentEvent(type: eventType.isEmpty ? "message" : eventType, data: data, lastEventID: lastEventID))
    }
}

/// The events of one `text/event-stream` response body, parsed as they arrive.
///
/// Ends when the server closes the stream; throws what the transport throws when the connection
/// fails. Its iterator's ``Iterator/lastEventID`` and ``Iterator/retry`` report the stream's
/// `id:` and `retry:` state so far.
public struct ServerSentEventStream: AsyncSequence, Sendable {
    public typealias Element = ServerSentEvent
    public typealias Failure = any Error

    let body: ResponseBody
    let lastEventID: String

    init(body: ResponseBody, lastEventID: String = "") {
        self.body = body
        self.lastEventID = lastEventID
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(chunks: body.makeAsyncIterator(), parser: ServerSentEventParser(lastEventID: lastEventID))
    }

    /// Iterates the events.
    public struct Iterator: AsyncIteratorProtocol {
        var chunks: ResponseBody.Iterator
        var parser: ServerSentEventParser
        var pending: [ServerSentEvent] = []
        var next = 0

        /// The last `id:` seen (or the one the stream was opened with).
        public var lastEventID: String { parser.lastEventID }
        /// The reconnection time the server asked for with `retry:`, if it did.
        public var retry: Duration? { parser.retry.map { .milliseconds($0) } }

        public mutating func next() async throws -> ServerSentEvent? {
            while next == pending.count {
                pending.removeAll(keepingCapacity: true)
                next = 0
                guard let chunk = try await chunks.next() else { return nil }
                try parser.feed(chunk, into: &pending)
            }
            defer { next += 1 }
            return pending[next]
        }
    }
}
