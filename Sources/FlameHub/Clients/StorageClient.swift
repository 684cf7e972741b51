/// The client of the Hub storage service (buckets and bucket files).
public struct StorageClient: HubClient {
    public static let service = HubService.storage
    /// `https://storage.privateaim.dev`.
    public static let defaultBaseURL = "https://storage.privateaim.dev"
    public let context: HubContext

    public init(context: HubContext) {
        self.context = context
    }
}
