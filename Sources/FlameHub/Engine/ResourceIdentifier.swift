#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Anything that names a record: a UUID, a UUID string, or a model with an `id`.
public protocol ResourceIdentifier: Sendable {
    /// The record's UUID.
    ///
    /// - Throws: ``HubClientError`` (``HubClientError/Code/invalidIdentifier``) for a string that
    ///   is not a UUID — before any request is sent.
    func resourceID() throws -> UUID
}

extension UUID: ResourceIdentifier {
    public func resourceID() throws -> UUID { self }
}

extension String: ResourceIdentifier {
    public func resourceID() throws -> UUID {
        guard let id = UUID(uuidString: trimmingSpaces()) else {
            let shown = count > 64 ? String(prefix(64)) + "…" : self
            throw HubClientError(.invalidIdentifier, "'\(shown)' is not a UUID")
        }
        return id
    }
}
