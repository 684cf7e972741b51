import SwiftSyntax

/// Writes the public memberwise initializers of request bodies (Swift synthesizes only an
/// internal one): one parameter per stored property, in declaration order, where a `Patch`
/// defaults to `.unset`, an optional to `nil` and a property with a value to that value.
///
/// Which structs get one is stated once, in the struct: its body declares the marker
/// initializer `private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }`.
/// `GeneratedMemberwiseInit` has no values, so that initializer can never run; declaring an
/// initializer in the body is what stops Swift from synthesizing the internal memberwise one,
/// which would otherwise clash with the generated public one of the same signature.
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
struct MemberwiseInitEmitter {
    static let marker = "GeneratedMemberwiseInit"
    static let path = Codegen.outputDirectory + "/RequestBodies+Initializers.swift"

    let index: DeclarationIndex

    private struct Body {
        var type: String
        var file: String
        var parameters: [String]
        var names: [String]
    }

    func file() throws -> SwiftFile? {
        var bodies: [Body] = []
        for name in index.declarationOrder {
            guard let nominal = index.nominals[name], let declaration = nominal.structDecl,
                let file = nominal.structFile, Self.isMarked(declaration)
            else { continue }
            bodies.append(try body(declaration, named: name, file: file))
        }
        guard !bodies.isEmpty else { return nil }
        var inputs = Set(bodies.map(\.file))
        if case .nominal(let marker)? = index.lookup(Self.marker, from: []) {
            inputs.formUnion(index.nominals[marker]?.files ?? [])
        }

        var writer = SwiftWriter()
        writer.header(from: inputs)
        // The imports of the bodies' files: the parameter types are spelled as there.
        let imports = imports(of: bodies.map(\.file))
        if !imports.isEmpty { writer.line("") }
        for line in imports.flatMap({ $0.split(separator: "\n", omittingEmptySubsequences: false) }) {
            writer.line(String(line))
        }
        for body in bodies {
            writer.line("")
            writer.block("extension \(body.type)") { writer in
                writer.line("/// A body with the given fields; a field left out is not sent.")
                if body.names.isEmpty {
                    writer.line("public init() {}")
                } else {
                    writer.declaration("public init", body.parameters, "") { writer in
                        for name in body.names { writer.line("self.\(name) = \(name)") }
                    }
                }
            }
        }
        return SwiftFile(path: Self.path, text: writer.text)
    }

    /// Whether the struct's body declares `init(_: GeneratedMemberwiseInit)`.
    static func isMarked(_ declaration: StructDeclSyntax) -> Bool {
        declaration.memberBlock.members.contains { member in
            guard let initializer = member.decl.as(InitializerDeclSyntax.self) else { return false }
            let parameters = initializer.signature.parameterClause.parameters
            return parameters.count == 1
                && parameters.first.map { DeclarationIndex.components(of: $0.type) == [marker] } == true
        }
    }

    private func body(_ declaration: StructDeclSyntax, named type: String, file: String) throws -> Body {
        var body = Body(type: type, file: file, parameters: [], names: [])
        for member in declaration.memberBlock.members {
            guard let variable = member.decl.as(VariableDeclSyntax.self),
                !variable.modifiers.contains(where: { $0.name.tokenKind == .keyword(.static) })
            else { continue }
            let isConstant = variable.bindingSpecifier.tokenKind == .keyword(.let)
            for binding in variable.bindings {
                // Computed and observed properties are not parameters; nor is a constant with a value.
                guard binding.accessorBlock == nil,
                    let name = binding.pattern.as(IdentifierPatternSyntax.self)?.identifier.text,
                    !(isConstant && binding.initializer != nil)
                else { continue }
                guard let propertyType = binding.typeAnnotation?.type else {
                    throw CodegenError("\(file): \(type).\(name) needs its type written out for the generated init")
                }
                var parameter = "\(name): \(propertyType.trimmedDescription)"
                if let initial = binding.initializer {
                    parameter += " = \(initial.value.trimmedDescription)"
                } else if Self.isPatch(propertyType) {
                    parameter += " = .unset"
                } else if Self.isOptional(propertyType) {
                    parameter += " = nil"
                }
                body.parameters.append(parameter)
                body.names.append(name)
            }
        }
        return body
    }

    /// The import declarations of `files` (plain or inside `#if`), each once, in first-seen order.
    private func imports(of files: [String]) -> [String] {
        var seen: Set<String> = []
        var result: [String] = []
        for file in files {
            for item in index.topLevelImports[file] ?? [] where seen.insert(item).inserted {
                result.append(item)
            }
        }
        return result
    }

    private static func isPatch(_ type: TypeSyntax) -> Bool {
        type.as(IdentifierTypeSyntax.self)?.name.text == "Patch"
    }

    private static func isOptional(_ type: TypeSyntax) -> Bool {
        if type.is(OptionalTypeSyntax.self) || type.is(ImplicitlyUnwrappedOptionalTypeSyntax.self) { return true }
        return type.as(IdentifierTypeSyntax.self)?.name.text == "Optional"
    }
}
