#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A record the Hub serves: `Codable`, `Sendable`, `Hashable`, identified by a UUID.
///
/// Besides its properties a model tells the engine which relations it can embed (requested
/// automatically with `include=`) and which fields are only sent on request (`fields=+…`).
public protocol HubModel: Codable, Sendable, Hashable, Identifiable, ResourceIdentifier where ID == UUID {
    /// Relations the server can embed; every list and get requests them all.
    static var includableRelations: [String] { get }
    /// Fields the server only returns when asked with `fields: [...]`, e.g. `Robot.optionalFields == ["secret"]`.
    static var optionalFields: [String] { get }
}

extension HubModel {
    public static var includableRelations: [String] { [] }
    public static var optionalFields: [String] { [] }
    public func resourceID() throws -> UUID { id }
}
