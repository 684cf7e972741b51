import SwiftSyntax

/// Writes, per client, the Python-guide-style methods of its resources: for a property
/// `public var nodes: Resource<CoreResources.Nodes> { resource() }` of a ``HubClient`` struct,
/// `getNode(_:fields:)`, `getNodes(fields:)`, `findNodes(filter:sort:page:fields:)`,
/// `findAllNodes(filter:sort:fields:)`, `createNode(_:)`, `updateNode(_:_:)` and
/// `deleteNode(_:)`, each forwarding to the property's generic engine.
///
/// A resource's operations are stated once, in its descriptor's conformances
/// (`enum Nodes: CRUDResource`): a method is written only when the descriptor conforms, directly
/// or through a typealias or protocol inheritance, to the protocol that gives the engine that
/// operation — the same condition under which the engine method compiles.
///
/// Names: the singular is the descriptor's `Model` type (`Node`, `Registry`, `Analysis`), the
/// plural the property name with a capital first letter (`nodes` → `Nodes`, `analyses` →
/// `Analyses`).
struct ResourceMethodsEmitter {
    enum Operation: String {
        case list, get, create, update, delete, replace, me
    }

    /// The protocols that give a ``Resource`` its operations (Engine/Resource.swift).
    static let operationProtocols: [(name: String, operation: Operation)] = [
        ("ListableResource", .list), ("GettableResource", .get), ("CreatableResource", .create),
        ("UpdatableResource", .update), ("DeletableResource", .delete), ("ReplaceableResource", .replace),
        ("SelfReadableResource", .me),
    ]

    /// The protocol a client conforms to.
    static let clientProtocol = "HubClient"

    let index: DeclarationIndex

    struct ResourceProperty {
        var name: String
        var access: String
        /// The descriptor as written in the property's type, e.g. `CoreResources.Nodes`.
        var descriptor: String
        var singular: String
        var operations: Set<Operation>
    }

    func files() throws -> [SwiftFile] {
        for name in Self.operationProtocols.map(\.name) + [Self.clientProtocol] {
            guard case .nominal(let found)? = index.lookup(name, from: []), index.nominals[found]?.kind == .protocol
            else {
                throw CodegenError("protocol \(name) is not declared at the top level of \(Codegen.sourceDirectory)")
            }
        }
        return try index.declarationOrder.compactMap { name in
            guard let client = index.nominals[name], client.kind == .struct,
                index.conformances(of: name).protocols.contains(Self.clientProtocol)
            else { return nil }
            return try file(for: client)
        }
    }

    private func file(for client: DeclarationIndex.Nominal) throws -> SwiftFile? {
        let scope = client.qualifiedName.split(separator: ".").map(String.init)
        var inputs = index.conformances(of: client.qualifiedName).files
        inputs.formUnion(client.structFile.map { [$0] } ?? [])
        var resources: [ResourceProperty] = []
        for property in client.properties {
            guard let written = Self.resourceDescriptor(of: property.declaration) else { continue }
            inputs.insert(property.file)
            resources.append(try resource(property.declaration, descriptor: written, scope: scope, inputs: &inputs))
        }
        guard !resources.isEmpty else { return nil }

        var writer = SwiftWriter()
        writer.header(from: inputs)
        writer.line("")
        writer.block("extension \(client.qualifiedName)") { writer in
            for (position, resource) in resources.enumerated() {
                if position > 0 { writer.line("") }
                writer.line("// MARK: - \(resource.name) (\(resource.descriptor))")
                Self.write(resource, to: &writer)
            }
        }
        let fileName = client.qualifiedName.replacingOccurrences(of: ".", with: "+")
        return SwiftFile(path: "\(Codegen.outputDirectory)/\(fileName)+ResourceMethods.swift", text: writer.text)
    }

    /// The descriptor of a `var name: Resource<Descriptor>` property, as written.
    static func resourceDescriptor(of variable: VariableDeclSyntax) -> String? {
        guard !variable.modifiers.contains(where: { $0.name.tokenKind == .keyword(.static) }),
            let binding = variable.bindings.first,
            binding.pattern.is(IdentifierPatternSyntax.self),
            let type = binding.typeAnnotation?.type.as(IdentifierTypeSyntax.self), type.name.text == "Resource",
            let arguments = type.genericArgumentClause?.arguments, arguments.count == 1,
            let argument = arguments.first
        else { return nil }
        return argument.argument.trimmedDescription
    }

    private func resource(
        _ variable: VariableDeclSyntax, descriptor written: String, scope: [String], inputs: inout Set<String>
    ) throws -> ResourceProperty {
        let name = variable.bindings.first?.pattern.trimmedDescription ?? ""
        guard case .nominal(let descriptor)? = index.lookup(written, from: scope),
            let declaration = index.nominals[descriptor]
        else {
            throw CodegenError("\(name): Resource<\(written)>: \(written) is not declared in the sources")
        }
        guard let model = index.aliases[descriptor + ".Model"],
            let modelName = DeclarationIndex.components(of: model.type).first?.split(separator: ".").last
        else {
            throw CodegenError("\(descriptor) has no `typealias Model = …`; the generator names its methods after it")
        }
        let conformances = index.conformances(of: descriptor)
        inputs.formUnion(declaration.files)
        inputs.formUnion(conformances.files)
        inputs.insert(model.file)
        let operations = Self.operationProtocols.filter { conformances.protocols.contains($0.name) }.map(\.operation)
        return ResourceProperty(
            name: name,
            access: variable.modifiers.contains { $0.name.tokenKind == .keyword(.public) } ? "public " : "",
            descriptor: written, singular: String(modelName), operations: Set(operations))
    }

    /// The methods of one resource, in the order and with the doc comments the guide uses.
    /// `replace` and `me` have no guide-style method (use `users.replace(_:_:)` and `users.me()`).
    private static func write(_ resource: ResourceProperty, to writer: inout SwiftWriter) {
        let property = resource.name
        let singular = resource.singular
        let plural = property.prefix(1).uppercased() + property.dropFirst()
        let lower = singular.prefix(1).lowercased() + singular.dropFirst()
        let model = "\(resource.descriptor).Model"
        let access = resource.access
        let operations = resource.operations
        if operations.contains(.get) {
            writer.line("")
            writer.line("/// The \(lower) with `id` (a UUID, its string, or a record), or nil if there is none;")
            writer.line("/// `fields` adds optional fields (`fields=+x`). Same as `\(property).get(_:fields:)`.")
            writer.declaration(
                "\(access)func get\(singular)", ["_ id: some ResourceIdentifier", "fields: [String] = []"],
                " async throws -> \(model)?"
            ) { $0.call("try await \(property).get", ["id", "fields: fields"]) }
        }
        if operations.contains(.list) {
            let filter = ["filter: Filter = [:]", "sort: Sort? = nil"]
            writer.line("")
            writer.line(
                "/// The first page (50) of \(plural.lowercased()), with their meta. Same as `\(property).list(fields:)`."
            )
            writer.declaration(
                "\(access)func get\(plural)", ["fields: [String] = []"], " async throws -> ResourceList<\(model)>"
            ) { $0.call("try await \(property).list", ["fields: fields"]) }
            writer.line("")
            writer.line(
                "/// The \(plural.lowercased()) matching `filter`, sorted and paged (limit 50, offset 0 by default).")
            writer.line("/// Same as `\(property).find(filter:sort:page:fields:)`.")
            writer.declaration(
                "\(access)func find\(plural)", filter + ["page: Page = Page()", "fields: [String] = []"],
                " async throws -> ResourceList<\(model)>"
            ) {
                $0.call("try await \(property).find", ["filter: filter", "sort: sort", "page: page", "fields: fields"])
            }
            writer.line("")
            writer.line("/// Every \(lower) matching `filter`, fetched page by page as the sequence is iterated.")
            writer.line("/// Same as `\(property).findAll(filter:sort:fields:)`.")
            writer.declaration(
                "\(access)func findAll\(plural)", filter + ["fields: [String] = []"], " -> ResourcePages<\(model)>"
            ) { $0.call("\(property).findAll", ["filter: filter", "sort: sort", "fields: fields"]) }
        }
        if operations.contains(.create) {
            writer.line("")
            writer.line("/// Creates a \(lower). Same as `\(property).create(_:)`.")
            writer.declaration(
                "\(access)func create\(singular)", ["_ payload: \(resource.descriptor).Create"],
                " async throws -> \(model)"
            ) { $0.call("try await \(property).create", ["payload"]) }
        }
        if operations.contains(.update) {
            writer.line("")
            writer.line("/// Updates the \(lower) with `id`; only the fields set in `payload` are sent.")
            writer.line("/// Same as `\(property).update(_:_:)`.")
            writer.declaration(
                "\(access)func update\(singular)",
                ["_ id: some ResourceIdentifier", "_ payload: \(resource.descriptor).Update"],
                " async throws -> \(model)"
            ) { $0.call("try await \(property).update", ["id", "payload"]) }
        }
        if operations.contains(.delete) {
            writer.line("")
            writer.line("/// Deletes the \(lower) with `id`. Same as `\(property).delete(_:)`.")
            writer.declaration("\(access)func delete\(singular)", ["_ id: some ResourceIdentifier"], " async throws") {
                $0.call("try await \(property).delete", ["id"])
            }
        }
    }
}
