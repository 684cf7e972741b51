import SwiftSyntax

/// The declarations of the SDK the generator reads, by qualified name (`CoreResources.Nodes`):
/// nominal types with their inheritance clauses (extensions included), typealiases, and the
/// members that matter (typealiases, `Resource<…>` properties, the memberwise-init marker).
///
/// Names are resolved the way Swift's unqualified lookup does for these declarations: from the
/// innermost enclosing type outwards, then at the top level. Names that are not declared in the
/// sources (`Sendable`, `Encodable`, …) resolve to nothing and are ignored.
struct DeclarationIndex {
    /// A name as written in one place, with the scope it is looked up from.
    struct Reference: Hashable {
        var name: String
        /// The qualified path of the enclosing type (empty at the top level).
        var scope: [String]
    }

    struct Nominal {
        enum Kind { case `struct`, `enum`, `class`, `actor`, `protocol` }
        var kind: Kind
        var qualifiedName: String
        /// The inheritance clauses of the declaration and of its extensions.
        var inherited: [Reference] = []
        /// The files declaring or extending the type.
        var files: Set<String> = []
        /// The primary declaration, for structs.
        var structDecl: StructDeclSyntax?
        var structFile: String?
        /// Stored and computed properties of the declaration and its extensions, in source order.
        var properties: [Property] = []
        /// Initializers of the declaration and its extensions (a hand-written `init(from:)`).
        var initializers: [InitializerDeclSyntax] = []
        /// The primary declaration, for enums (a model's explicit `CodingKeys`).
        var enumDecl: EnumDeclSyntax?
    }

    struct Alias {
        var type: TypeSyntax
        var scope: [String]
        var file: String
    }

    struct Property {
        var declaration: VariableDeclSyntax
        var file: String
    }

    enum Entity {
        case nominal(String)
        case alias(String)
    }

    private(set) var nominals: [String: Nominal] = [:]
    private(set) var aliases: [String: Alias] = [:]
    /// Nominal types in the order they are declared (files in path order).
    private(set) var declarationOrder: [String] = []
    /// Each file's top-level imports as written: `import X` or an `#if` holding only imports.
    private(set) var topLevelImports: [String: [String]] = [:]

    init(files: [(path: String, syntax: SourceFileSyntax)]) {
        var extensions: [(ExtensionDeclSyntax, String)] = []
        for (path, syntax) in files {
            collect(syntax.statements.map(\.item), scope: [], file: path, extensions: &extensions)
            topLevelImports[path] = syntax.statements.compactMap { statement in
                guard case .decl(let declaration) = statement.item, Self.isImport(declaration) else { return nil }
                return declaration.trimmedDescription
            }
        }
        // Extensions once the types are known: they may precede the type's declaration, or
        // extend a type declared inside another extension (hence the rounds).
        var pending = extensions
        while !pending.isEmpty {
            var unresolved: [(ExtensionDeclSyntax, String)] = []
            for (declaration, path) in pending {
                let written = Self.components(of: declaration.extendedType).first ?? ""
                guard case .nominal(let name)? = lookup(written, from: []) else {
                    unresolved.append((declaration, path))
                    continue
                }
                nominals[name]?.files.insert(path)
                nominals[name]?.inherited += Self.inherited(declaration.inheritanceClause, scope: [])
                // Swift has no extensions inside extensions: nothing is added to `unresolved`.
                collectMembers(declaration.memberBlock, of: name, file: path, extensions: &unresolved)
            }
            // What is left extends a type the sources do not declare (e.g. `extension UUID`).
            if unresolved.count == pending.count { break }
            pending = unresolved
        }
    }

    // MARK: - Lookup

    /// The declaration `name` (possibly dotted) refers to when written inside `scope`.
    func lookup(_ name: String, from scope: [String]) -> Entity? {
        let parts = name.split(separator: ".").map(String.init)
        guard let first = parts.first else { return nil }
        for depth in stride(from: scope.count, through: 0, by: -1) {
            let base = (scope.prefix(depth) + [first]).joined(separator: ".")
            guard nominals[base] != nil || aliases[base] != nil else { continue }
            let full = ([base] + parts.dropFirst()).joined(separator: ".")
            if nominals[full] != nil { return .nominal(full) }
            if aliases[full] != nil { return .alias(full) }
            return nil
        }
        return nil
    }

    /// What a type conforms to, as far as the sources say.
    struct Conformances {
        /// The protocols declared in the sources that the type conforms to, directly or through
        /// typealiases, protocol inheritance and superclasses.
        var protocols: Set<String> = []
        /// The files of the typealiases and protocols read to find them (not the type's own).
        var files: Set<String> = []
    }

    /// The conformances of the nominal type `type` (qualified).
    func conformances(of type: String) -> Conformances {
        var result = Conformances()
        var visited: Set<String> = [type]
        var pending = nominals[type]?.inherited ?? []
        while let reference = pending.popLast() {
            switch lookup(reference.name, from: reference.scope) {
            case .alias(let name)?:
                guard visited.insert(name).inserted, let alias = aliases[name] else { continue }
                result.files.insert(alias.file)
                pending += Self.components(of: alias.type).map { Reference(name: $0, scope: alias.scope) }
            case .nominal(let name)?:
                guard visited.insert(name).inserted, let nominal = nominals[name] else { continue }
                if nominal.kind == .protocol { result.protocols.insert(name) }
                result.files.formUnion(nominal.files)
                pending += nominal.inherited
            case nil:
                continue
            }
        }
        return result
    }

    /// The names a type expression is made of: `A & B.C` gives `["A", "B.C"]`; generic
    /// arguments are dropped (`Resource<X>` gives `Resource`).
    static func components(of type: TypeSyntax) -> [String] {
        if let composition = type.as(CompositionTypeSyntax.self) {
            return composition.elements.flatMap { components(of: $0.type) }
        }
        if let attributed = type.as(AttributedTypeSyntax.self) {
            return components(of: attributed.baseType)
        }
        if let someOrAny = type.as(SomeOrAnyTypeSyntax.self) {
            return components(of: someOrAny.constraint)
        }
        if let identifier = type.as(IdentifierTypeSyntax.self) {
            return [identifier.name.text]
        }
        if let member = type.as(MemberTypeSyntax.self) {
            return components(of: member.baseType).map { "\($0).\(member.name.text)" }
        }
        return [type.trimmedDescription]
    }

    // MARK: - Collection

    private mutating func collect(
        _ items: [CodeBlockItemSyntax.Item], scope: [String], file: String,
        extensions: inout [(ExtensionDeclSyntax, String)]
    ) {
        for item in items {
            guard case .decl(let declaration) = item else { continue }
            collect(declaration, scope: scope, file: file, extensions: &extensions)
        }
    }

    private mutating func collect(
        _ declaration: DeclSyntax, scope: [String], file: String, extensions: inout [(ExtensionDeclSyntax, String)]
    ) {
        if let ifConfig = declaration.as(IfConfigDeclSyntax.self) {
            // Both branches: the generator does not evaluate conditions, and a type declared in
            // either is a type of the SDK on some platform.
            for clause in ifConfig.clauses {
                if case .statements(let statements)? = clause.elements {
                    collect(statements.map(\.item), scope: scope, file: file, extensions: &extensions)
                } else if case .decls(let members)? = clause.elements {
                    for member in members { collect(member.decl, scope: scope, file: file, extensions: &extensions) }
                }
            }
        } else if let extensionDecl = declaration.as(ExtensionDeclSyntax.self) {
            extensions.append((extensionDecl, file))
        } else if let alias = declaration.as(TypeAliasDeclSyntax.self) {
            let name = (scope + [alias.name.text]).joined(separator: ".")
            aliases[name] = Alias(type: alias.initializer.value, scope: scope, file: file)
        } else if let parts = Self.nominalParts(declaration) {
            let qualified = (scope + [parts.name]).joined(separator: ".")
            var nominal = nominals[qualified] ?? Nominal(kind: parts.kind, qualifiedName: qualified)
            nominal.files.insert(file)
            nominal.inherited += Self.inherited(parts.clause, scope: scope)
            if let structDecl = declaration.as(StructDeclSyntax.self) {
                nominal.structDecl = structDecl
                nominal.structFile = file
            }
            if let enumDecl = declaration.as(EnumDeclSyntax.self) { nominal.enumDecl = enumDecl }
            nominals[qualified] = nominal
            declarationOrder.append(qualified)
            collectMembers(parts.members, of: qualified, file: file, extensions: &extensions)
        }
    }

    private mutating func collectMembers(
        _ block: MemberBlockSyntax, of type: String, file: String, extensions: inout [(ExtensionDeclSyntax, String)]
    ) {
        let scope = type.split(separator: ".").map(String.init)
        for member in block.members {
            if let variable = member.decl.as(VariableDeclSyntax.self) {
                nominals[type]?.properties.append(Property(declaration: variable, file: file))
            } else if let initializer = member.decl.as(InitializerDeclSyntax.self) {
                nominals[type]?.initializers.append(initializer)
            } else {
                collect(member.decl, scope: scope, file: file, extensions: &extensions)
            }
        }
    }

    private static func nominalParts(_ declaration: DeclSyntax) -> (
        kind: Nominal.Kind, name: String, clause: InheritanceClauseSyntax?, members: MemberBlockSyntax
    )? {
        if let decl = declaration.as(StructDeclSyntax.self) {
            return (.struct, decl.name.text, decl.inheritanceClause, decl.memberBlock)
        }
        if let decl = declaration.as(EnumDeclSyntax.self) {
            return (.enum, decl.name.text, decl.inheritanceClause, decl.memberBlock)
        }
        if let decl = declaration.as(ClassDeclSyntax.self) {
            return (.class, decl.name.text, decl.inheritanceClause, decl.memberBlock)
        }
        if let decl = declaration.as(ActorDeclSyntax.self) {
            return (.actor, decl.name.text, decl.inheritanceClause, decl.memberBlock)
        }
        if let decl = declaration.as(ProtocolDeclSyntax.self) {
            return (.protocol, decl.name.text, decl.inheritanceClause, decl.memberBlock)
        }
        return nil
    }

    private static func isImport(_ declaration: DeclSyntax) -> Bool {
        if declaration.is(ImportDeclSyntax.self) { return true }
        guard let ifConfig = declaration.as(IfConfigDeclSyntax.self) else { return false }
        return ifConfig.clauses.allSatisfy { clause in
            guard case .statements(let statements)? = clause.elements else { return clause.elements == nil }
            return statements.allSatisfy { item in
                if case .decl(let inner) = item.item { return isImport(inner) }
                return false
            }
        }
    }

    private static func inherited(_ clause: InheritanceClauseSyntax?, scope: [String]) -> [Reference] {
        (clause?.inheritedTypes ?? []).flatMap { inherited in
            components(of: inherited.type).map { Reference(name: $0, scope: scope) }
        }
    }
}
