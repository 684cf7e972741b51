// The SDK's own work on a call, without the network: `CoreClient` (`StaticAuth`, fixed `.current`
// dialect, the default middlewares) over a transport that answers every request at once with the
// fixtures' bytes; and the decoding of those bytes alone. The decode modes run under
// `valgrind --tool=callgrind` (Benchmarks/callgrind): instruction counts are repeatable on a
// loaded machine, wall-clock times are not.
// Usage: CountBench get|find|findall|decode-page|decode-node FIXTURES-DIR COUNT
//   get          getNode(id), COUNT sequential calls (node.json)
//   find         findNodes(), COUNT sequential calls (page.json, 50 nodes)
//   findall      findAllNodes() over every page of pages/<offset>.json, COUNT sweeps
//   decode-page  HubJSON.decodeList of page.json, COUNT times (decoding alone)
//   decode-node  HubJSON.decodeRecord of node.json, COUNT times
import FlameHub
import Foundation
import HTTPTypes

/// Answers every request with 200 and `body` (or, with `pages`, the page its `page[offset]`
/// asks for), without suspending.
struct FixedTransport: HTTPTransport {
    let body: [UInt8]
    var pages: [Int: [UInt8]] = [:]
    func send(_ request: HTTPRequest, body _: RequestBody?) async throws -> (HTTPResponse, ResponseBody) {
        var response = HTTPResponse(status: .ok)
        response.headerFields[.contentType] = "application/json"
        guard !pages.isEmpty else { return (response, ResponseBody(bytes: body)) }
        let query = request.path?.split(separator: "?").last.map(String.init) ?? ""
        let offset =
            query.split(separator: "&").first { $0.hasPrefix("page%5Boffset%5D=") }
            .flatMap { Int($0.dropFirst("page%5Boffset%5D=".count)) } ?? 0
        return (response, ResponseBody(bytes: pages[offset] ?? Array(#"{"data":[],"meta":{"total":0}}"#.utf8)))
    }
}

let arguments = CommandLine.arguments
guard arguments.count == 4, let count = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: CountBench get|find|findall|decode-page|decode-node DIR COUNT\n".utf8))
    exit(2)
}
let mode = arguments[1]
let file = mode == "get" || mode == "decode-node" ? "node.json" : "page.json"
let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: arguments[2] + "/" + file)))
var pages: [Int: [UInt8]] = [:]
if mode == "findall" {
    for name in try FileManager.default.contentsOfDirectory(atPath: arguments[2] + "/pages") {
        guard let offset = Int(name.replacingOccurrences(of: ".json", with: "")) else { continue }
        pages[offset] = [UInt8](try Data(contentsOf: URL(fileURLWithPath: arguments[2] + "/pages/" + name)))
    }
}
let transport = FixedTransport(body: bytes, pages: pages).with([RetryMiddleware(), UserAgentMiddleware()])
let core = CoreClient(
    baseURL: "http://127.0.0.1:1/core/", auth: StaticAuth("benchmark-token"), transport: transport,
    dialect: .current)
let id = UUID(uuidString: "00000000-0000-0000-0000-000000000001") ?? UUID()

// Under valgrind only the decode modes: it stops (3.19, an internal error in `dispatch_main`'s
// sigsuspend) or hangs once a call suspends, so `get` and `find` are for `perf record`.
var seen = 0
for _ in 0..<count {
    switch mode {
    case "get": seen &+= try await core.getNode(id)?.name.utf8.count ?? 0
    case "find": seen &+= try await core.findNodes().count
    case "findall": for try await _ in core.findAllNodes() { seen &+= 1 }
    case "decode-page": seen &+= try HubJSON.decodeList(Node.self, from: bytes).count
    case "decode-node": seen &+= try HubJSON.decodeRecord(Node.self, from: bytes).name.utf8.count
    default: exit(2)
    }
}
print(mode, count, seen)
