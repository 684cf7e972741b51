/// Version facts of the SDK.
public enum FlameHubVersion {
    /// The SDK's version.
    public static let sdk = "0.1.0"
    /// The default `User-Agent`.
    public static let userAgent = "flamehub-swift/\(sdk)"
}
