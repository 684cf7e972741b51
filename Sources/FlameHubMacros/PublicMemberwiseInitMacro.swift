import SwiftSyntax
import SwiftSyntaxMacros

/// Generates the public memberwise initializer of a request body (Swift synthesizes only an
/// internal one): one parameter per stored property, in declaration order, where a `Patch`
/// defaults to `.unset`, an optional to `nil` and a property with a value to that value.
///
/// ```swift
/// @PublicMemberwiseInit
/// public struct UpdateRealm: Encodable, Sendable, Hashable {
///     public var name: Patch<String>
///     public var displayName: Patch<String?>
/// }
/// // public init(name: Patch<String> = .unset, displayName: Patch<String?> = .unset)
/// ```
public struct PublicMemberwiseInitMacro: MemberMacro {
    struct Usage: Error, CustomStringConvertible {
        let description: String
    }

    public static func expansion(
        of node: AttributeSyntax, providingMembersOf declaration: some DeclGroupSyntax,
        conformingTo protocols: [TypeSyntax], in context: some MacroExpansionContext
    ) throws -> [DeclSyntax] {
        guard let structure = declaration.as(StructDeclSyntax.self) else {
            throw Usage(description: "@PublicMemberwiseInit goes on a struct")
        }
        var parameters: [String] = []
        var assignments: [String] = []
        for member in structure.memberBlock.members {
            guard let variable = member.decl.as(VariableDeclSyntax.self),
                !variable.modifiers.contains(where: { $0.name.text == "static" })
            else { continue }
            let isConstant = variable.bindingSpecifier.tokenKind == .keyword(.let)
            for binding in variable.bindings {
                // Computed properties (and observed ones) are not parameters.
                guard binding.accessorBlock == nil,
                    let name = binding.pattern.as(IdentifierPatternSyntax.self)?.identifier.text
                else { continue }
                if isConstant && binding.initializer != nil { continue }
                guard let type = binding.typeAnnotation?.type else {
                    throw Usage(description: "@PublicMemberwiseInit needs the type of '\(name)' written out")
                }
                var parameter = "\(name): \(type.trimmedDescription)"
                if let initial = binding.initializer {
                    parameter += " = \(initial.value.trimmedDescription)"
                } else if isPatch(type) {
                    parameter += " = .unset"
                } else if isOptional(type) {
                    parameter += " = nil"
                }
                parameters.append(parameter)
                assignments.append("self.\(name) = \(name)")
            }
        }
        return [
            """
            /// A body with the given fields; a field left out is not sent.
            public init(\(raw: parameters.joined(separator: ", "))) {
            \(raw: assignments.joined(separator: "\n"))
            }
            """
        ]
    }

    private static func isPatch(_ type: TypeSyntax) -> Bool {
        type.as(IdentifierTypeSyntax.self)?.name.text == "Patch"
    }

    private static func isOptional(_ type: TypeSyntax) -> Bool {
        if type.is(OptionalTypeSyntax.self) || type.is(ImplicitlyUnwrappedOptionalTypeSyntax.self) { return true }
        return type.as(IdentifierTypeSyntax.self)?.name.text == "Optional"
    }
}
