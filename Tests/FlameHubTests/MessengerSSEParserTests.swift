@testable import FlameHub
import Testing

/// The event-stream parser against the WHATWG rules (HTML, "Interpreting an event stream").
@Suite("Messenger SSE parser")
struct MessengerSSEParserTests {
    static func parse(_ text: String, chunk: Int? = nil) throws -> (
        events: [ServerSentEvent], parser: ServerSentEventParser
    ) {
        var parser = ServerSentEventParser()
        var events: [ServerSentEvent] = []
        let bytes = Array(text.utf8)
        let size = chunk ?? max(bytes.count, 1)
        var offset = 0
        while offset < bytes.count {
            try parser.feed(bytes[offset..<min(offset + size, bytes.count)], into: &events)
            offset += size
        }
        return (events, parser)
    }

    @Test("event, data and the default type")
    func basicFields() throws {
        let (events, _) = try Self.parse("event: messagePending\ndata: {\"a\":1}\n\ndata: plain\n\n")
        #expect(
            events == [
                ServerSentEvent(type: "messagePending", data: "{\"a\":1}"),
                ServerSentEvent(type: "message", data: "plain"),
            ])
    }

    @Test("data lines join with line feeds; an empty data line counts")
    func multiLineData() throws {
        let (events, _) = try Self.parse("data: one\ndata:two\ndata\ndata:  three\n\n")
        #expect(events.map(\.data) == ["one\ntwo\n\n three"])
        let (empty, _) = try Self.parse("data\n\n")
        #expect(empty == [ServerSentEvent(data: "")])
    }

    @Test("CRLF, LF and CR end lines alike, also split between chunks", arguments: [1, 2, 3, 7, 1000])
    func lineEndings(chunk: Int) throws {
        let text = "event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\rdata: 3\n\n"
        let (events, _) = try Self.parse(text, chunk: chunk)
        #expect(events == [ServerSentEvent(type: "a", data: "1"), .init(type: "b", data: "2"), .init(data: "3")])
    }

    @Test("a CR at the end of one chunk and an LF at the start of the next are one line end")
    func splitCRLF() throws {
        var parser = ServerSentEventParser()
        #expect(try parser.feed(Array("data: x\r".utf8)).isEmpty)
        // The LF completes the pair; the following CR LF is the empty line that dispatches.
        #expect(try parser.feed(Array("\n\r\n".utf8)) == [ServerSentEvent(data: "x")])
    }

    @Test("comments are skipped and counted; unknown fields are ignored")
    func commentsAndUnknownFields() throws {
        let (events, parser) = try Self.parse(": keep-alive\n:\nfoo: bar\ndata: x\n: inside\n\n")
        #expect(events == [ServerSentEvent(data: "x")])
        #expect(parser.comments == 3)
    }

    @Test("an event without data dispatches nothing and resets the type")
    func noDataNoEvent() throws {
        let (events, _) = try Self.parse("event: lonely\n\ndata: after\n\n")
        #expect(events == [ServerSentEvent(type: "message", data: "after")])
    }

    @Test("id carries over to later events; an id with NUL is ignored; an empty id clears")
    func lastEventID() throws {
        let (events, parser) = try Self.parse("id: 7\ndata: a\n\ndata: b\n\nid: 8\u{0}\ndata: c\n\nid\ndata: d\n\n")
        #expect(events.map(\.lastEventID) == ["7", "7", "7", ""])
        #expect(parser.lastEventID == "")
    }

    @Test("an id counts once its event is complete; an id-only event still sets it")
    func idCommittedAtEmptyLine() throws {
        #expect(try Self.parse("id: 1\ndata: a\n\nid: 2\ndata: cut").parser.lastEventID == "1")
        #expect(try Self.parse("id: 1\ndata: a\n\nid: 3\n\n").parser.lastEventID == "3")
    }

    @Test("retry takes digits only")
    func retry() throws {
        #expect(try Self.parse("retry: 2500\n").parser.retry == 2500)
        #expect(try Self.parse("retry: 2500\nretry: 1.5\nretry: -3\nretry: 10x\nretry:\n").parser.retry == 2500)
    }

    @Test("a leading BOM is dropped once, a later one is kept")
    func byteOrderMark() throws {
        let (events, _) = try Self.parse("\u{FEFF}data: a\n\n\u{FEFF}data: b\n\n")
        // The second BOM starts a field named "\u{FEFF}data", which is unknown.
        #expect(events == [ServerSentEvent(data: "a")])
    }

    @Test("one space after the colon is removed, further ones kept; a field name may contain spaces")
    func spaces() throws {
        let (events, _) = try Self.parse("data:   x \n event: y\n\n")
        #expect(events == [ServerSentEvent(data: "  x ")])
    }

    @Test("multi-byte UTF-8 split between chunks arrives whole", arguments: [1, 2, 5])
    func utf8AcrossChunks(chunk: Int) throws {
        let (events, _) = try Self.parse("data: Grüße, 東京 ✓\n\n", chunk: chunk)
        #expect(events.map(\.data) == ["Grüße, 東京 ✓"])
    }

    @Test("an unfinished event at the end of the stream is dropped")
    func unfinishedEvent() async throws {
        let body = ResponseBody(bytes: Array("data: whole\n\ndata: cut".utf8))
        var received: [String] = []
        for try await event in ServerSentEventStream(body: body) { received.append(event.data) }
        #expect(received == ["whole"])
    }

    @Test("a line longer than the limit throws instead of growing without bound")
    func lineLimit() throws {
        var parser = ServerSentEventParser(maxLineLength: 16)
        #expect(throws: ServerSentEventParser.LineTooLong.self) {
            _ = try parser.feed(Array(repeating: UInt8(ascii: "a"), count: 17))
        }
    }

    @Test("the stream reports the id and retry it saw to its iterator")
    func iteratorState() async throws {
        let body = ResponseBody(bytes: Array("retry: 40\nid: e1\nevent: ping\ndata: 1\n\n".utf8))
        var iterator = ServerSentEventStream(body: body, lastEventID: "e0").makeAsyncIterator()
        #expect(iterator.lastEventID == "e0")
        let event = try await iterator.next()
        #expect(event == ServerSentEvent(type: "ping", data: "1", lastEventID: "e1"))
        #expect(iterator.retry == .milliseconds(40))
        #expect(try await iterator.next() == nil)
    }
}
