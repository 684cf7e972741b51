/// The declaration of one Hub resource: where it lives, what it decodes to, and in which server
/// generations it exists. Operations are added by conforming to ``ListableResource``,
/// ``GettableResource``, ``CreatableResource``, ``UpdatableResource`` and ``DeletableResource``;
/// a method whose protocol is missing does not exist (it does not compile).
///
/// ```swift
/// public enum Realms: ListableResource, GettableResource, CreatableResource, UpdatableResource, DeletableResource {
///     public typealias Model = Realm
///     public typealias Create = CreateRealm
///     public typealias Update = UpdateRealm
///     public static let path = "realms"
/// }
/// ```
public protocol ResourceDescriptor: Sendable {
    /// The decoded record.
    associatedtype Model: HubModel
    /// The collection path below the service's base URL, e.g. `role-permissions`.
    static var path: String { get }
    /// The generations that serve the resource (default: all).
    static var generations: Set<HubGeneration> { get }
    /// The generations that offer `operation` (default: ``generations``).
    static func generations(for operation: ResourceOperation) -> Set<HubGeneration>
}

extension ResourceDescriptor {
    public static var generations: Set<HubGeneration> { HubGeneration.all }
    public static func generations(for operation: ResourceOperation) -> Set<HubGeneration> { generations }
}

/// A resource with `GET /<path>` (lists, finds, auto-pagination).
public protocol ListableResource: ResourceDescriptor {}
/// A resource with `GET /<path>/:id`.
public protocol GettableResource: ResourceDescriptor {}
/// A resource with `POST /<path>`.
public protocol CreatableResource: ResourceDescriptor {
    /// The create body.
    associatedtype Create: Encodable & Sendable
}
/// A resource with `POST /<path>/:id` (partial update).
public protocol UpdatableResource: ResourceDescriptor {
    /// The update body; fields of type ``Patch`` are sent only when set.
    associatedtype Update: Encodable & Sendable
}
/// A resource with `DELETE /<path>/:id`.
public protocol DeletableResource: ResourceDescriptor {}
/// A resource with `PUT /<path>/:id`: creates the record or replaces the fields given.
public protocol ReplaceableResource: CreatableResource {}
/// A resource with `GET /<path>/@me`: the record of the caller itself.
public protocol SelfReadableResource: ResourceDescriptor {}

/// Every operation.
public typealias CRUDResource = ListableResource & GettableResource & CreatableResource & UpdatableResource
    & DeletableResource
