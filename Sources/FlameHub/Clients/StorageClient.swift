#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The client of the Hub storage service: buckets, bucket files, streamed uploads and downloads.
///
/// ```swift
/// let storage = StorageClient(baseURL: "http://localhost:3000/storage/", auth: auth)
/// let bucket = try await storage.createBucket(CreateBucket(name: "my-bucket"))
/// let files = try await storage.upload(
///     [.string("print('hi')", name: "main.py"), .file(path: "/data/big.csv", name: "data/big.csv")], to: bucket)
/// for try await chunk in try await storage.streamBucketFile(files[0]) { consume(chunk) }
/// try await storage.downloadBucket(bucket, to: "/tmp/bucket.tar")
/// ```
///
/// Transfers are streamed in both directions: upload parts are read from disk or from async
/// sequences as they are sent, downloads are handed over chunk by chunk with backpressure (or
/// written straight to disk), so memory stays bounded whatever the file size.
public struct StorageClient: HubClient {
    public static let service = HubService.storage
    /// `https://storage.privateaim.dev`.
    public static let defaultBaseURL = "https://storage.privateaim.dev"
    public let context: HubContext

    public init(context: HubContext) {
        self.context = context
    }

    /// `/buckets` (create, get, list, find, update, delete).
    public var buckets: Resource<StorageResources.Buckets> { resource() }
    /// `/bucket-files` (get, list, find, delete; files are created by ``upload(_:to:progress:)``).
    public var bucketFiles: Resource<StorageResources.BucketFiles> { resource() }
}
