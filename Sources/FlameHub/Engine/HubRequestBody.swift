#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Synchronization

/// A request body with fields that only one Hub generation knows, or that legacy Hubs spell
/// differently.
///
/// The body keeps its synthesized `Encodable` conformance (nil optionals and unset patches are
/// left out); the engine applies these tables while encoding, so a body type states how the
/// generations differ instead of writing its fields out one by one.
protocol HubRequestBody: Encodable {
    /// Fields, by their Swift names, that only one generation knows. Setting one for a server of
    /// the other generation throws ``HubClientError/Code/unsupportedByServer`` before anything
    /// is sent.
    static var generationOnlyFields: [String: HubGeneration] { get }
    /// Fields that legacy Hubs know by another name (written like a Swift name; converted to
    /// snake_case like every other key).
    static var legacyNames: [String: String] { get }
}

extension HubRequestBody {
    static var generationOnlyFields: [String: HubGeneration] { [:] }
    static var legacyNames: [String: String] { [:] }
}

extension HubCoding {
    /// Encodes a request body for `generation` in `casing`, applying ``HubRequestBody`` rules.
    static func encodeBody<Body: Encodable>(_ body: Body, generation: HubGeneration, casing: KeyCasing) throws
        -> [UInt8]
    {
        let rules = Body.self as? any HubRequestBody.Type
        let renames = generation == .legacy ? rules?.legacyNames ?? [:] : [:]
        // The keys the body wrote at its top level, by Swift name: exactly the fields it sets.
        let written = Mutex<[String]>([])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISO8601.format(date))
        }
        encoder.keyEncodingStrategy = .custom { path in
            guard let key = path.last else { return WireKey("") }
            var name = key.stringValue
            if path.count == 1 {
                written.withLock { $0.append(name) }
                name = renames[name] ?? name
            }
            return WireKey(casing == .snakeCase ? KeyCasing.snakeCased(name) : name)
        }
        encoder.userInfo[.hubGeneration] = generation
        let bytes = try encoder.encode(body)
        if let only = rules?.generationOnlyFields, !only.isEmpty {
            for name in written.withLock({ $0 }) {
                guard let owner = only[name], owner != generation else { continue }
                throw HubClientError(
                    .unsupportedByServer,
                    "\(typeName(Body.self)).\(name) only exists on \(owner) Hubs; this server is \(generation)")
            }
        }
        return Array(bytes)
    }
}
