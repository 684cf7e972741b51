import FlameHub
import FlameHubEmulator
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// A raw HTTP response of the emulator.
struct RawResponse {
    var status: Int
    var headers: HTTPFields
    var bytes: [UInt8]

    /// Parsed JSON body (`nil` for an empty or non-JSON body).
    var json: EmulatorJSON? { bytes.isEmpty ? nil : try? EmulatorJSON.parse(bytes) }
    /// Shortcut for `json` as an object.
    var object: EmulatorJSONObject { json?.objectValue ?? [:] }
    var text: String { String(decoding: bytes, as: UTF8.self) }

    func header(_ name: String) -> String? {
        HTTPField.Name(name).flatMap { headers[$0] }
    }
}

/// Raw HTTP access to a running emulator (no SDK involved): the URI is sent exactly as written,
/// so tests control percent-encoding (`+` vs `%2B`).
struct RawHubClient {
    let emulator: HubEmulator

    func send(
        _ method: HTTPRequest.Method, _ uri: String, json: EmulatorJSON? = nil, form: String? = nil,
        token: String? = nil,
        headers extra: [String: String] = [:]
    ) async throws -> RawResponse {
        var headers = HTTPFields()
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(string: json.serialized())
        } else if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            body = ByteBuffer(string: form)
        }
        if let token { headers[.authorization] = "Bearer \(token)" }
        for (name, value) in extra {
            if let fieldName = HTTPField.Name(name) { headers[fieldName] = value }
        }
        let request = TestClient.Request(uri, method: method, headers: headers, body: body)
        let response = try await TestClient.withClient(host: "127.0.0.1", port: emulator.port) { client in
            try await client.execute(request)
        }
        return RawResponse(
            status: Int(response.status.code), headers: response.headers,
            bytes: response.body.map { Array($0.readableBytesView) } ?? [])
    }

    func get(_ uri: String, token: String? = nil) async throws -> RawResponse {
        try await send(.get, uri, token: token)
    }

    func post(_ uri: String, _ json: EmulatorJSON, token: String? = nil) async throws -> RawResponse {
        try await send(.post, uri, json: json, token: token)
    }

    /// Password grant for `admin`; returns the token response.
    func login(username: String = "admin", password: String = "start123") async throws -> EmulatorJSONObject {
        let response = try await post(
            "/auth/token", ["grant_type": "password", "username": .string(username), "password": .string(password)])
        #expect(response.status == 200, "login failed: \(response.text)")
        return response.object
    }

    func adminToken() async throws -> String {
        try #require(try await login()["access_token"]?.stringValue)
    }
}

/// Starts an emulator for the duration of `body`.
func withHub(
    _ generation: HubGeneration, configuration: HubEmulator.Configuration = .init(),
    _ body: (RawHubClient) async throws -> Void
) async throws {
    let emulator = try await HubEmulator.start(generation: generation, port: 0, configuration: configuration)
    do {
        try await body(RawHubClient(emulator: emulator))
    } catch {
        await emulator.stop()
        throw error
    }
    await emulator.stop()
}

extension EmulatorJSON {
    /// The record of a single-record response: `data` on current, the body itself on legacy.
    func record(_ generation: HubGeneration) -> EmulatorJSONObject {
        (generation == .current ? self["data"]?.objectValue : objectValue) ?? [:]
    }
}

extension RawResponse {
    func record(_ generation: HubGeneration) -> EmulatorJSONObject { json?.record(generation) ?? [:] }
    var rows: [EmulatorJSONObject] { json?["data"]?.arrayValue?.compactMap(\.objectValue) ?? [] }
    var names: [String] { rows.compactMap { $0["name"]?.stringValue } }
}
