import HTTPTypes
import Testing

@testable import FlameHub

@Suite("Response heads as curl collects them")
struct CurlResponseHeadTests {
    @Test("fields keep their order and values lose surrounding whitespace and the CR")
    func parsesFields() {
        let raw =
            "Content-Type: application/json\r\nX-Padded: \t spaced  value \t\r\nX-Empty:\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n"
        let response = CurlResponseHead(status: 201, headerBytes: Array(raw.utf8)).makeResponse()
        #expect(response.status.code == 201)
        #expect(response.headerFields[.contentType] == "application/json")
        #expect(response.headerFields[HTTPField.Name("x-padded")!] == "spaced  value")
        #expect(response.headerFields[HTTPField.Name("x-empty")!] == "")
        #expect(response.headerFields[values: .setCookie] == ["a=1", "b=2"])
        #expect(response.headerFields.count == 5)
    }

    @Test("lines that are not fields are skipped, and a last line without a newline still counts")
    func skipsInvalidLines() {
        let raw = " folded continuation\r\nno colon here\r\nBad Name: x\r\n: empty name\r\nX-Last: kept"
        let response = CurlResponseHead(status: 200, headerBytes: Array(raw.utf8)).makeResponse()
        #expect(response.headerFields.map(\.name.rawName) == ["X-Last"])
        #expect(response.headerFields[HTTPField.Name("x-last")!] == "kept")
    }

    @Test("common names keep the server's spelling, and match by canonical name")
    func commonNamesKeepSpelling() {
        let raw = "Content-Type: a\r\ncontent-type: b\r\nCONTENT-LENGTH: 1\r\nDate: d\r\nDated: e\r\nETag: \"x\"\r\n"
        let response = CurlResponseHead(status: 200, headerBytes: Array(raw.utf8)).makeResponse()
        #expect(
            response.headerFields.map(\.name.rawName) == [
                "Content-Type", "content-type", "CONTENT-LENGTH", "Date", "Dated", "ETag",
            ])
        #expect(response.headerFields[values: .contentType] == ["a", "b"])
        #expect(response.headerFields[.contentLength] == "1")
        #expect(response.headerFields[.date] == "d" && response.headerFields[.eTag] == "\"x\"")
    }

    @Test("a status outside 100...999 is clamped rather than trapping")
    func clampsStatus() {
        #expect(CurlResponseHead(status: 0, headerBytes: []).makeResponse().status.code == 100)
        #expect(CurlResponseHead(status: 12345, headerBytes: []).makeResponse().status.code == 999)
    }
}
