#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// An id inside a request body: written from a UUID, a UUID string or a model. A malformed
/// string fails when the body is encoded, before the request is sent.
public struct AnyResourceID: Encodable, Sendable, Hashable, CustomStringConvertible {
    let resolved: Result<UUID, HubClientError>

    /// The id of `identifier`.
    public init(_ identifier: some ResourceIdentifier) {
        do {
            resolved = .success(try identifier.resourceID())
        } catch let error as HubClientError {
            resolved = .failure(error)
        } catch {
            resolved = .failure(HubClientError(.invalidIdentifier, "\(error)"))
        }
    }

    /// The UUID.
    ///
    /// - Throws: ``HubClientError`` when the identifier was malformed.
    public func uuid() throws -> UUID { try resolved.get() }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(try resolved.get().lowercasedString)
    }

    public var description: String {
        switch resolved {
        case .success(let id): id.lowercasedString
        case .failure(let error): "<\(error.message)>"
        }
    }
}

extension AnyResourceID: ExpressibleByStringLiteral {
    /// The id written as a literal UUID string.
    public init(stringLiteral value: String) { self.init(value) }
}

extension AnyResourceID: Decodable {
    /// A UUID string. Unlike ``init(_:)``, a malformed one fails here, naming the field, because
    /// a decoded body (the CLI's `--set`, a JSON file) has no later point that could report it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        let id = AnyResourceID(text)
        if case .failure = id.resolved {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a UUID")
        }
        self = id
    }
}
