#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// Records and bodies of the storage service. Union of both generations' fields.

/// A storage bucket: a named container of files.
public struct Bucket: HubModel {
    public var id: UUID
    /// Not unique.
    public var name: String
    public var region: String?
    /// `user`, `client` or `robot`: the kind of identity that created the bucket.
    public var actorType: String?
    public var actorId: UUID?
    public var realmId: UUID?
    public var createdAt: Date
    public var updatedAt: Date
}

/// A file in a bucket; created only by uploads (``StorageClient/upload(_:to:progress:)``).
public struct BucketFile: HubModel {
    public var id: UUID
    /// The base name.
    public var name: String
    /// The full relative path as uploaded (unique per bucket on current Hubs).
    public var path: String?
    /// The directory part of ``path`` (`.` when none).
    public var directory: String?
    /// Bytes.
    public var size: Int64?
    /// The object key in the store (not a content hash).
    public var hash: String?
    public var actorType: String?
    public var actorId: UUID?
    public var realmId: UUID?
    public var bucketId: UUID
    public var bucket: Bucket?
    public var createdAt: Date
    public var updatedAt: Date

    public static var includableRelations: [String] { ["bucket"] }
}

/// The body of `POST /buckets`.
public struct CreateBucket: Encodable, Sendable, Hashable {
    public var name: String
    public var region: String?
    /// Default: the caller's realm.
    public var realmId: AnyResourceID?

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

/// The body of `POST /buckets/:id`: empty, because every field of the Hub's `BucketValidator` is
/// create-only (`packages/storage-kit/src/domains/bucket/validator.ts` at `v0.14.0`; legacy
/// `packages/server-storage/src/http/controllers/bucket/utils/validation.ts` at `v0.8.13`). The
/// update still answers 202 with the bucket, after re-creating its object-store bucket if that
/// is missing — a repair, not an edit.
public struct UpdateBucket: Encodable, Sendable, Hashable {
    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

// Decodable from their own field names, as the bodies in CorePayloads.swift.
extension CreateBucket: Decodable {}
extension UpdateBucket: Decodable {}
