import SwiftCompilerPlugin
import SwiftDiagnostics
import SwiftSyntax
import SwiftSyntaxMacros

/// Generates the Python-guide-style methods of one resource (`getNode`, `getNodes`, `findNodes`,
/// `findAllNodes`, `createNode`, `updateNode`, `deleteNode`) next to the resource property they
/// forward to, so each resource is declared once and no method body is written by hand.
///
/// ```swift
/// @ResourceMethods("Node", "Nodes", [.list, .get, .create, .update, .delete])
/// public var nodes: Resource<CoreResources.Nodes> { resource() }
/// ```
public struct ResourceMethodsMacro: PeerMacro {
    enum Failure: Error, CustomStringConvertible {
        case usage(String)
        var description: String {
            switch self {
            case .usage(let text): text
            }
        }
    }

    public static func expansion(
        of node: AttributeSyntax, providingPeersOf declaration: some DeclSyntaxProtocol,
        in context: some MacroExpansionContext
    ) throws -> [DeclSyntax] {
        guard let variable = declaration.as(VariableDeclSyntax.self),
            let binding = variable.bindings.first,
            let property = binding.pattern.as(IdentifierPatternSyntax.self)?.identifier.text,
            let type = binding.typeAnnotation?.type.as(IdentifierTypeSyntax.self),
            type.name.text == "Resource",
            let descriptor = type.genericArgumentClause?.arguments.first?.argument.trimmedDescription
        else {
            throw Failure.usage("@ResourceMethods goes on a property of type Resource<Descriptor>")
        }
        guard let arguments = node.arguments?.as(LabeledExprListSyntax.self), arguments.count == 3,
            let singular = stringLiteral(arguments[arguments.startIndex].expression),
            let plural = stringLiteral(arguments[arguments.index(after: arguments.startIndex)].expression),
            let operationList = arguments.last?.expression.as(ArrayExprSyntax.self)
        else {
            throw Failure.usage(#"usage: @ResourceMethods("Node", "Nodes", [.list, .get, .create, .update, .delete])"#)
        }
        let operations = Set(
            operationList.elements.compactMap { $0.expression.as(MemberAccessExprSyntax.self)?.declName.baseName.text })
        let known: Set<String> = ["list", "get", "create", "update", "delete"]
        if let unknown = operations.subtracting(known).first {
            throw Failure.usage("unknown operation .\(unknown); use .list, .get, .create, .update, .delete")
        }
        let access = variable.modifiers.contains { $0.name.text == "public" } ? "public " : ""
        let model = "\(descriptor).Model"
        let lower = singular.prefix(1).lowercased() + singular.dropFirst()
        var declarations: [DeclSyntax] = []
        if operations.contains("get") {
            declarations.append(
                """
                /// The \(raw: lower) with `id` (a UUID, its string, or a record), or nil if there is none;
                /// `fields` adds optional fields (`fields=+x`). Same as `\(raw: property).get(_:fields:)`.
                \(raw: access)func get\(raw: singular)(_ id: some ResourceIdentifier, fields: [String] = []) async throws -> \(raw: model)? {
                    try await \(raw: property).get(id, fields: fields)
                }
                """)
        }
        if operations.contains("list") {
            declarations.append(
                """
                /// The first page (50) of \(raw: plural.lowercased()), with their meta. Same as `\(raw: property).list(fields:)`.
                \(raw: access)func get\(raw: plural)(fields: [String] = []) async throws -> ResourceList<\(raw: model)> {
                    try await \(raw: property).list(fields: fields)
                }
                """)
            declarations.append(
                """
                /// The \(raw: plural.lowercased()) matching `filter`, sorted and paged (limit 50, offset 0 by default).
                /// Same as `\(raw: property).find(filter:sort:page:fields:)`.
                \(raw: access)func find\(raw: plural)(filter: Filter = [:], sort: Sort? = nil, page: Page = Page(), fields: [String] = []) async throws -> ResourceList<\(raw: model)> {
                    try await \(raw: property).find(filter: filter, sort: sort, page: page, fields: fields)
                }
                """)
            declarations.append(
                """
                /// Every \(raw: lower) matching `filter`, fetched page by page as the sequence is iterated.
                /// Same as `\(raw: property).findAll(filter:sort:fields:)`.
                \(raw: access)func findAll\(raw: plural)(filter: Filter = [:], sort: Sort? = nil, fields: [String] = []) -> ResourcePages<\(raw: model)> {
                    \(raw: property).findAll(filter: filter, sort: sort, fields: fields)
                }
                """)
        }
        if operations.contains("create") {
            declarations.append(
                """
                /// Creates a \(raw: lower). Same as `\(raw: property).create(_:)`.
                \(raw: access)func create\(raw: singular)(_ payload: \(raw: descriptor).Create) async throws -> \(raw: model) {
                    try await \(raw: property).create(payload)
                }
                """)
        }
        if operations.contains("update") {
            declarations.append(
                """
                /// Updates the \(raw: lower) with `id`; only the fields set in `payload` are sent.
                /// Same as `\(raw: property).update(_:_:)`.
                \(raw: access)func update\(raw: singular)(_ id: some ResourceIdentifier, _ payload: \(raw: descriptor).Update) async throws -> \(raw: model) {
                    try await \(raw: property).update(id, payload)
                }
                """)
        }
        if operations.contains("delete") {
            declarations.append(
                """
                /// Deletes the \(raw: lower) with `id`. Same as `\(raw: property).delete(_:)`.
                \(raw: access)func delete\(raw: singular)(_ id: some ResourceIdentifier) async throws {
                    try await \(raw: property).delete(id)
                }
                """)
        }
        return declarations
    }

    private static func stringLiteral(_ expression: ExprSyntax) -> String? {
        guard let literal = expression.as(StringLiteralExprSyntax.self), literal.segments.count == 1,
            case .stringSegment(let segment) = literal.segments.first
        else { return nil }
        return segment.content.text
    }
}
