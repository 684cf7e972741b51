// Decoding a 50-node list page: the SDK (current camelCase payload, legacy snake_case payload)
// against a plain JSONDecoder of the same models, measured in the same run.
// Usage: DecodeBench [ITERATIONS]   Prints microseconds per page.
import FlameHub
import Foundation

let iterations = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 2000 : 2000

func node(_ index: Int, camel: Bool) -> String {
    func key(_ camelName: String, _ snakeName: String) -> String { camel ? camelName : snakeName }
    let id = UUID().uuidString.lowercased()
    return """
        {"id":"\(id)","name":"node-\(index)","\(key("externalName", "external_name"))":"node-\(index)-ext",\
        "\(key("publicKey", "public_key"))":"2d2d2d2d2d424547494e205055424c4943204b45592d2d2d2d2d","hidden":false,\
        "type":"default","online":true,"\(key("registryId", "registry_id"))":null,\
        "\(key("registryProjectId", "registry_project_id"))":null,"\(key("clientId", "client_id"))":"\(id)",\
        "\(key("robotId", "robot_id"))":null,"\(key("realmId", "realm_id"))":"794f2375-f043-4789-bd0c-e5534e8deeaa",\
        "\(key("createdAt", "created_at"))":"2025-05-19T15:43:57.859Z","\(key("updatedAt", "updated_at"))":"2025-05-19T15:43:57.859Z"}
        """
}

func page(camel: Bool) -> [UInt8] {
    let items = (0..<50).map { node($0, camel: camel) }.joined(separator: ",")
    return Array(#"{"data":[\#(items)],"meta":{"total":50,"limit":50,"offset":0}}"#.utf8)
}

struct PlainList: Decodable {
    var data: [Node]
}

let current = page(camel: true)
let legacy = page(camel: false)
let plainDecoder = JSONDecoder()
let isoFormat = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
plainDecoder.dateDecodingStrategy = .custom { decoder in
    try isoFormat.parse(try decoder.singleValueContainer().decode(String.self))
}

func measure(_ name: String, _ body: () throws -> Int) rethrows {
    for _ in 0..<(iterations / 10) { _ = try body() }  // warm-up
    let clock = ContinuousClock()
    let start = clock.now
    var checksum = 0
    for _ in 0..<iterations { checksum &+= try body() }
    let elapsed = clock.now - start
    let micros =
        (Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12)
        / Double(iterations)
    print("\(name): \(String(format: "%.1f", micros)) µs per 50-node page (checksum \(checksum))")
}

// SDK_ONLY=1 leaves the peer out, for profiling the SDK's decoder alone.
if ProcessInfo.processInfo.environment["SDK_ONLY"] == nil {
    try measure("plain JSONDecoder, camelCase, ISO-8601 dates") {
        try plainDecoder.decode(PlainList.self, from: Data(current)).data.count
    }
}
try measure("SDK, current payload (camelCase)") { try HubJSON.decodeList(Node.self, from: current).count }
try measure("SDK, legacy payload (snake_case)") { try HubJSON.decodeList(Node.self, from: legacy).count }
