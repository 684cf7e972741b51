/// Adds the guide-style methods of one resource next to its property: `get<Singular>(_:fields:)`,
/// `get<Plural>(fields:)`, `find<Plural>(filter:sort:page:fields:)`, `findAll<Plural>(filter:sort:fields:)`,
/// `create<Singular>(_:)`, `update<Singular>(_:_:)` and `delete<Singular>(_:)`, each forwarding to
/// the generic ``Resource`` engine. Only the listed operations are generated, so a method the Hub
/// lacks does not exist.
///
/// ```swift
/// @ResourceMethods("Node", "Nodes", [.list, .get, .create, .update, .delete])
/// public var nodes: Resource<CoreResources.Nodes> { resource() }
/// // core.findNodes(filter: ["name": "my-node-42"]) == core.nodes.find(filter: ["name": "my-node-42"])
/// ```
@attached(peer, names: arbitrary)
public macro ResourceMethods(_ singular: String, _ plural: String, _ operations: [ResourceOperation]) =
    #externalMacro(module: "FlameHubMacros", type: "ResourceMethodsMacro")

/// Adds the public memberwise initializer of a request body: one parameter per stored property
/// in declaration order, a `Patch` defaulting to `.unset` and an optional to `nil`, so a body
/// type lists its fields once.
@attached(member, names: named(init))
macro PublicMemberwiseInit() = #externalMacro(module: "FlameHubMacros", type: "PublicMemberwiseInitMacro")
