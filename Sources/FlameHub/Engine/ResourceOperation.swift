/// The operations an endpoint can offer.
public enum ResourceOperation: String, Sendable, Hashable, CaseIterable {
    /// `GET /<path>`.
    case list
    /// `GET /<path>/:id`.
    case get
    /// `POST /<path>`.
    case create
    /// `POST /<path>/:id`.
    case update
    /// `DELETE /<path>/:id`.
    case delete
    /// `PUT /<path>/:id` (create or replace).
    case replace
    /// `GET /<path>/@me` (the caller's own record).
    case me
}
