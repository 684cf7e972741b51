// A quick URLSession + JSONDecoder client of the Hub's nodes, as a new user might write it.
// Usage: URLSessionPeer get|find URL COUNT   Prints the elapsed seconds of the COUNT calls.
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

struct Node: Decodable {
    var id: UUID
    var name: String
    var externalName: String?
    var publicKey: String?
    var hidden: Bool?
    var type: String?
    var online: Bool?
    var registryId: UUID?
    var registryProjectId: UUID?
    var clientId: UUID?
    var robotId: UUID?
    var realmId: UUID?
    var createdAt: Date
    var updatedAt: Date
}

struct Envelope<T: Decodable>: Decodable {
    var data: T
}

let arguments = CommandLine.arguments
guard arguments.count >= 4, let url = URL(string: arguments[2]), let count = Int(arguments[3]) else {
    print("usage: URLSessionPeer get|find URL COUNT")
    exit(2)
}

let decoder = JSONDecoder()
decoder.dateDecodingStrategy = .custom { decoder in
    let text = try decoder.singleValueContainer().decode(String.self)
    guard let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) else {
        throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a date"))
    }
    return date
}
var request = URLRequest(url: url)
request.setValue("Bearer benchmark-token", forHTTPHeaderField: "Authorization")
request.setValue("application/json", forHTTPHeaderField: "Accept")
let session = URLSession(configuration: .ephemeral)

func call() async throws -> Int {
    let (data, response) = try await session.data(for: request)
    guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw URLError(.badServerResponse) }
    switch arguments[1] {
    case "get": return try decoder.decode(Envelope<Node>.self, from: data).data.name.utf8.count
    default: return try decoder.decode(Envelope<[Node]>.self, from: data).data.count
    }
}

for _ in 0..<min(count, 50) { _ = try await call() }
let clock = ContinuousClock()
let start = clock.now
var seen = 0
for _ in 0..<count { seen &+= try await call() }
let elapsed = clock.now - start
print(
    String(
        format: "%.6f %d", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, seen))
