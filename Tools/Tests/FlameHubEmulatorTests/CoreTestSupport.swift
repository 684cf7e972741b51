import FlameHub
import FlameHubEmulator
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Fast asynchronous effects so tests that wait for them stay short.
let fastEffects = HubEmulator.Configuration(asyncEffectDelay: .milliseconds(20))

/// A hub client with an admin token, plus the generation's wire-name and envelope helpers.
struct CoreSession {
    let hub: RawHubClient
    let token: String
    var generation: HubGeneration { hub.emulator.generation }

    static func start(
        _ generation: HubGeneration, configuration: HubEmulator.Configuration = fastEffects,
        _ body: (CoreSession) async throws -> Void
    ) async throws {
        try await withHub(generation, configuration: configuration) { hub in
            try await body(CoreSession(hub: hub, token: try await hub.adminToken()))
        }
    }

    /// `realmId` → `realm_id` on legacy and transitional core (by the SDK's conversion, the one
    /// the emulator uses).
    func key(_ camel: String, service: HubService = .core) -> String {
        generation.keyCasing(of: service).convert(camel)
    }

    /// The service a request path goes to (its casing differs in the transitional generation).
    static func service(of uri: String) -> HubService {
        uri.hasPrefix("/auth/") ? .auth : uri.hasPrefix("/storage/") ? .storage : .core
    }

    /// A JSON body with keys given in camelCase, sent in the casing of `service` in the generation.
    func body(_ values: [String: EmulatorJSON], service: HubService = .core) -> EmulatorJSON {
        .object(Dictionary(uniqueKeysWithValues: values.map { (key($0.key, service: service), $0.value) }))
    }

    func get(_ uri: String) async throws -> RawResponse { try await hub.get(uri, token: token) }

    func post(_ uri: String, _ values: [String: EmulatorJSON]) async throws -> RawResponse {
        try await hub.post(uri, body(values, service: Self.service(of: uri)), token: token)
    }

    func delete(_ uri: String) async throws -> RawResponse { try await hub.send(.delete, uri, token: token) }

    /// Creates a record and returns it (expects 201).
    @discardableResult
    func create(_ uri: String, _ values: [String: EmulatorJSON], sourceLocation: SourceLocation = #_sourceLocation)
        async throws -> EmulatorJSONObject
    {
        let response = try await post(uri, values)
        #expect(response.status == 201, "\(uri): \(response.text)", sourceLocation: sourceLocation)
        return response.record(generation)
    }

    /// A value of `record` by camelCase name.
    func value(_ record: EmulatorJSONObject, _ camel: String) -> EmulatorJSON? { record[key(camel)] }

    func id(_ record: EmulatorJSONObject) -> String { record["id"]?.stringValue ?? "" }

    /// Polls `probe` every 20 ms until it returns a value (effects of the Hub's worker are
    /// eventual): the SDK's `eventually`, with the failure recorded where the test waited.
    func eventually<Value: Sendable>(
        timeout: Duration = .seconds(5), sourceLocation: SourceLocation = #_sourceLocation,
        _ probe: @Sendable () async throws -> Value?
    ) async throws -> Value {
        do {
            return try await FlameHub.eventually(timeout: timeout, maxDelay: .milliseconds(20), probe)
        } catch let failure as EventuallyTimeout {
            Issue.record("\(failure)", sourceLocation: sourceLocation)
            throw failure
        }
    }

    /// Sends raw bytes (multipart uploads).
    func sendRaw(
        _ method: HTTPRequest.Method, _ uri: String, body: ByteBuffer?, contentType: String?,
        headers extra: [String: String] = [:]
    ) async throws -> RawResponse {
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(token)"
        if let contentType { headers[.contentType] = contentType }
        for (name, value) in extra {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        let request = TestClient.Request(uri, method: method, headers: headers, body: body)
        let response = try await TestClient.withClient(host: "127.0.0.1", port: hub.emulator.port) { client in
            try await client.execute(request)
        }
        return RawResponse(
            status: Int(response.status.code), headers: response.headers,
            bytes: response.body.map { Array($0.readableBytesView) } ?? [])
    }

    /// Uploads `files` (filename → bytes) in one multipart request.
    func upload(bucket: String, _ files: [(name: String, bytes: [UInt8])]) async throws -> RawResponse {
        let boundary = "----flamehub-\(Int.random(in: 100_000...999_999))"
        var body = ByteBuffer()
        // A plain field without a filename is skipped by the Hub.
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nignored\r\n")
        for file in files {
            body.writeString(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(Int.random(in: 0...1_000_000))\"; "
                    + "filename=\"\(file.name)\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            body.writeBytes(file.bytes)
            body.writeString("\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        return try await sendRaw(
            .post, "/storage/buckets/\(bucket)/upload", body: body,
            contentType: "multipart/form-data; boundary=\(boundary)")
    }
}

/// Pseudo-random bytes that contain CR, LF and dashes (stress the boundary search).
func sampleBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed &+ 0x9E37_79B9_7F4A_7C15
    var bytes = [UInt8]()
    bytes.reserveCapacity(count)
    for index in 0..<count {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let byte = UInt8(truncatingIfNeeded: state >> 33)
        // Sprinkle delimiter look-alikes.
        bytes.append(index % 997 == 0 ? 13 : (index % 997 == 1 ? 10 : (index % 997 < 4 ? 45 : byte)))
    }
    return bytes
}

/// One regular-file entry of a tar archive.
struct TarEntry {
    var name: String
    var size: Int
    var type: UInt8
    var contents: [UInt8]
}

/// Minimal ustar/pax reader for asserting on the bucket tarball.
func parseTar(_ bytes: [UInt8]) throws -> [TarEntry] {
    var entries: [TarEntry] = []
    var offset = 0
    var paxPath: String?
    func field(_ start: Int, _ length: Int) -> String {
        let slice = bytes[(offset + start)..<(offset + start + length)]
        return String(decoding: slice.prefix { $0 != 0 }, as: UTF8.self)
    }
    while offset + 512 <= bytes.count {
        let header = bytes[offset..<(offset + 512)]
        if header.allSatisfy({ $0 == 0 }) { break }
        // Checksum: sum of the header with the checksum field as spaces.
        var sum = 0
        for (index, byte) in header.enumerated() { sum += (148..<156).contains(index) ? 32 : Int(byte) }
        let recorded = Int(field(148, 8).trimmingCharacters(in: " "), radix: 8)
        #expect(recorded == sum, "tar header checksum")
        #expect(field(257, 5) == "ustar")
        let size = try #require(Int(field(124, 12).trimmingCharacters(in: " "), radix: 8))
        let type = bytes[offset + 156]
        let prefix = field(345, 155)
        var name = field(0, 100)
        if !prefix.isEmpty { name = prefix + "/" + name }
        let start = offset + 512
        let contents = Array(bytes[start..<min(bytes.count, start + size)])
        offset = start + (size + 511) / 512 * 512
        if type == UInt8(ascii: "x") {
            let text = String(decoding: contents, as: UTF8.self)
            if let range = text.firstRange(of: "path=") {
                paxPath = String(text[range.upperBound...].prefix { $0 != "\n" })
            }
            continue
        }
        entries.append(TarEntry(name: paxPath ?? name, size: size, type: type, contents: contents))
        paxPath = nil
    }
    return entries
}

extension String {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        String(self.drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}

/// Inflates a gzip member made of stored deflate blocks (what the emulator sends); `nil` for
/// anything else. Checks the trailer's length.
func gunzipStored(_ bytes: [UInt8]) -> [UInt8]? {
    guard bytes.count >= 18, bytes[0] == 0x1f, bytes[1] == 0x8b, bytes[2] == 8 else { return nil }
    var offset = 10
    var output: [UInt8] = []
    while offset + 5 <= bytes.count {
        let final = bytes[offset] & 1 == 1
        guard bytes[offset] & 0b110 == 0 else { return nil }  // stored blocks only
        let length = Int(bytes[offset + 1]) | Int(bytes[offset + 2]) << 8
        offset += 5
        guard offset + length <= bytes.count else { return nil }
        output += bytes[offset..<(offset + length)]
        offset += length
        if final { break }
    }
    guard offset + 8 == bytes.count else { return nil }
    let size = (0..<4).reduce(0) { $0 | Int(bytes[offset + 4 + $1]) << (8 * $1) }
    return size == output.count ? output : nil
}
