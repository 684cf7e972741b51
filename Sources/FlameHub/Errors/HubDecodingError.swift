/// A response body could not be decoded into the expected model.
///
/// Names the model, the key path inside the JSON and the request line, never a value.
public struct HubDecodingError: Error, Sendable, CustomStringConvertible {
    /// The Swift type that was being decoded, e.g. `ResourceList<Realm>`.
    public var model: String
    /// The key path where decoding failed, e.g. `data[3].createdAt`.
    public var keyPath: String
    /// What was wrong at that path.
    public var reason: String
    /// The request whose response this was, as `METHOD url` (secret query values redacted).
    public var request: String

    /// Creates an error.
    public init(model: String, keyPath: String, reason: String, request: String) {
        self.model = model
        self.keyPath = keyPath
        self.reason = reason
        self.request = request
    }

    public var description: String {
        "cannot decode \(model) at '\(keyPath.isEmpty ? "<root>" : keyPath)': \(reason) (response to \(request))"
    }
}
