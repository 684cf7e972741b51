// The SDK's own work on a call, without the network: `CoreClient` (`StaticAuth`, fixed `.current`
// dialect, the default middlewares) over a transport that answers every request at once with the
// fixtures' bytes; and the decoding of those bytes alone. The decode modes run under
// `valgrind --tool=callgrind` (Benchmarks/callgrind): instruction counts are repeatable on a
// loaded machine, wall-clock times are not.
// Usage: CountBench get|find|decode-page|decode-node FIXTURES-DIR COUNT
//   get          getNode(id), COUNT sequential calls (node.json)
//   find         findNodes(), COUNT sequential calls (page.json, 50 nodes)
//   decode-page  HubJSON.decodeList of page.json, COUNT times (decoding alone)
//   decode-node  HubJSON.decodeRecord of node.json, COUNT times
import FlameHub
import Foundation
import HTTPTypes

/// Answers every request with 200 and `body`, without suspending.
struct FixedTransport: HTTPTransport {
    let body: [UInt8]
    func send(_ request: HTTPRequest, body _: RequestBody?) async throws -> (HTTPResponse, ResponseBody) {
        var response = HTTPResponse(status: .ok)
        response.headerFields[.contentType] = "application/json"
        return (response, ResponseBody(bytes: body))
    }
}

let arguments = CommandLine.arguments
guard arguments.count == 4, let count = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: CountBench get|find|decode-page|decode-node DIR COUNT\n".utf8))
    exit(2)
}
let mode = arguments[1]
let file = mode == "get" || mode == "decode-node" ? "node.json" : "page.json"
let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: arguments[2] + "/" + file)))
let transport = FixedTransport(body: bytes).with([RetryMiddleware(), UserAgentMiddleware()])
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
    case "decode-page": seen &+= try HubJSON.decodeList(Node.self, from: bytes).count
    case "decode-node": seen &+= try HubJSON.decodeRecord(Node.self, from: bytes).name.utf8.count
    default: exit(2)
    }
}
print(mode, count, seen)
