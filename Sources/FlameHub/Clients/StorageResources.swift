/// The declarations of the storage service's resources.
public enum StorageResources {
    /// `/buckets`: list, get, create, delete (the update route accepts no fields).
    public enum Buckets: ListableResource, GettableResource, CreatableResource, DeletableResource {
        public typealias Model = Bucket
        public typealias Create = CreateBucket
        public static let path = "buckets"
    }

    /// `/bucket-files`: list, get, delete.
    public enum BucketFiles: ListableResource, GettableResource, DeletableResource {
        public typealias Model = BucketFile
        public static let path = "bucket-files"
    }
}
