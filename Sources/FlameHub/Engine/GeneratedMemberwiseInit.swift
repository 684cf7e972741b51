/// Marks a request body whose public memberwise initializer is generated: a struct whose body
/// declares `private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }` gets
/// `public init(<every stored property>)` in Generated/RequestBodies+Initializers.swift, written
/// by `flamehub-codegen` (Tools/Sources/FlameHubCodegenCLI) — a `Patch` defaulting to `.unset`,
/// an optional to `nil`, a property with a value to that value.
///
/// The type has no values, so the marker initializer never runs. It is declared in the body
/// because any initializer there stops Swift from synthesizing the internal memberwise one,
/// which would clash with the generated public initializer of the same signature.
///
/// ```swift
/// public struct UpdateRealm: Encodable, Sendable, Hashable {
///     public var name: Patch<String>
///     public var displayName: Patch<String?>
///
///     private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
/// }
/// // generated: public init(name: Patch<String> = .unset, displayName: Patch<String?> = .unset)
/// ```
enum GeneratedMemberwiseInit {}
