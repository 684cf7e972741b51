import FlameHub
import FlameHubTesting
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import HTTPTypes
import Synchronization

/// Fixtures and helpers shared by the SDK engine tests.
enum Fixture {
    static let base = "http://hub.test/auth/"
    static let realmID = "794f2375-f043-4789-bd0c-e5534e8deeaa"
    static let userID = "2f8fc7df-d5ff-484c-bfed-76b8f3c43afd"
    static let robotID = "9b4e5c1a-0d52-4c83-a3d6-5b1a1f0e7c21"

    static func realmLegacy(id: String = realmID, name: String = "master") -> String {
        """
        {"id":"\(id)","name":"\(name)","display_name":null,"description":null,"built_in":true,\
        "created_at":"2025-05-12T09:44:08.284Z","updated_at":"2025-05-12T09:44:08Z"}
        """
    }

    static func realmCurrent(id: String = realmID, name: String = "master") -> String {
        """
        {"id":"\(id)","name":"\(name)","displayName":null,"description":null,"builtIn":true,\
        "createdAt":"2025-05-12T09:44:08.284Z","updatedAt":"2025-05-12T09:44:08.284000Z"}
        """
    }

    static func list(_ items: [String], total: Int? = nil, limit: Int = 50, offset: Int = 0, schema: Bool = false)
        -> String
    {
        let schemaText = schema ? #","schema":{"name":"realm","fields":{"default":["id"]}}"# : ""
        return """
            {"data":[\(items.joined(separator: ","))],"meta":{"total":\(total ?? items.count),\
            "limit":\(limit),"offset":\(offset)\(schemaText)}}
            """
    }

    static func enveloped(_ record: String) -> String {
        #"{"data":\#(record),"meta":{"schema":{"fields":{}}}}"#
    }

    static func token(_ access: String, expiresIn: Int = 3600, refresh: String? = "refresh-1") -> String {
        let refreshText = refresh.map { #","refresh_token":"\#($0)""# } ?? ""
        return
            #"{"access_token":"\#(access)","token_type":"Bearer","expires_in":\#(expiresIn),"scope":"global"\#(refreshText)}"#
    }

    static func authClient(
        _ mock: MockTransport, dialect: HubDialect? = .current, auth: (any HubAuthentication)? = nil
    ) -> AuthClient {
        let context = HubContext(baseURL: base, service: .auth, auth: auth, transport: mock, dialect: dialect)
        return AuthClient(context: context)
    }
}

extension MockTransport.RecordedRequest {
    /// The path with query, e.g. `/auth/realms?page%5Blimit%5D=50`.
    var target: String { request.path ?? "" }
    /// The request line `METHOD /path?query`.
    var line: String { "\(request.method.rawValue) \(target)" }
    /// The bearer token sent, if any.
    var bearer: String? {
        request.headerFields[.authorization].map { String($0.dropFirst("Bearer ".count)) }
    }
    /// The JSON body as an object.
    var json: [String: JSONValue]? {
        guard let body, case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(body))
        else { return nil }
        return object
    }
}

/// Counts things across concurrent tasks.
final class Counter: Sendable {
    private let value = Mutex(0)
    func increment() -> Int {
        value.withLock {
            $0 += 1; return $0
        }
    }
    var count: Int { value.withLock { $0 } }
}
