/// The declarations of the storage service's resources.
public enum StorageResources {
    /// `/buckets`: every operation (the update accepts no fields: see ``UpdateBucket``).
    public enum Buckets: CRUDResource {
        public typealias Model = Bucket
        public typealias Create = CreateBucket
        public typealias Update = UpdateBucket
        public static let path = "buckets"
    }

    /// `/bucket-files`: list, get, delete.
    public enum BucketFiles: ListableResource, GettableResource, DeletableResource {
        public typealias Model = BucketFile
        public static let path = "bucket-files"
    }
}
