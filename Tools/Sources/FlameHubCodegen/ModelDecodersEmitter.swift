import SwiftSyntax

/// Writes `ModelDecoders.swift`: for every `HubModel` struct and the value structs their fields
/// use, an `init(tape:)` that reads ``FastJSONDecoder``'s tape directly (the SDK's
/// `TapeDecodable`, Engine/GeneratedDecoding.swift).
///
/// Each decoder makes one pass over the object's members, matching the key bytes against the
/// field names spelled out here in both casings (`registryId`, `registry_id`), so nothing is
/// converted at run time; a key spelled neither way takes the generic path's lenient rules. The
/// fields are then read in declaration order with the same readers, coding paths and checks the
/// synthesized `init(from:)` uses on the tape, so values and errors are the same.
///
/// A type stays on the synthesized path (no generated decoder) when the generator cannot
/// reproduce its synthesized decoding exactly: a hand-written `init(from:)`, generic parameters,
/// private stored properties, a property name with `_`, or `CodingKeys` that are not plain cases.
/// The reasons are listed in the file's trailing comment, so that the choice is reviewable.
struct ModelDecodersEmitter {
    static let path = Codegen.outputDirectory + "/ModelDecoders.swift"
    /// The protocol whose conformers are the roots (besides the value types they use).
    static let rootProtocol = "HubModel"
    /// `TapeSlots.capacity` in the SDK.
    static let maximumFields = 32

    let index: DeclarationIndex

    /// The `TapeDecoder` reader of a field's type: `string`, `uuid`, `date`, `bool`, `int`,
    /// `double`, `stringEnum` (a `HubStringEnum`), `model` (a struct with a generated decoder) or
    /// `value` (anything else, read as the keyed container reads it).
    typealias Reader = String

    struct Field {
        var property: String
        /// The coding key's string value.
        var key: String
        var optional: Bool
        var reader: Reader
    }

    struct Model {
        var name: String
        var file: String
        var fields: [Field]
    }

    func file() throws -> SwiftFile? {
        let (models, skipped) = plan()
        guard !models.isEmpty else { return nil }
        var inputs = Set(models.map(\.file))
        for name in [Self.rootProtocol, "HubStringEnum"] {
            if case .nominal(let found)? = index.lookup(name, from: []) {
                inputs.formUnion(index.nominals[found]?.files ?? [])
            }
        }
        var writer = SwiftWriter()
        writer.header(from: inputs)
        writer.line("")
        writer.line("#if canImport(FoundationEssentials)")
        writer.line("    import FoundationEssentials")
        writer.line("#else")
        writer.line("    import Foundation")
        writer.line("#endif")
        for model in models {
            writer.line("")
            emit(model, into: &writer)
        }
        writer.line("")
        writer.line("/// Every type with a generated decoder (for the differential tests).")
        writer.block("enum ModelDecoders") { writer in
            writer.block("static var all: [any TapeDecodable.Type]") { writer in
                writer.list("", models.map { "\($0.name).self" })
            }
        }
        if !skipped.isEmpty {
            writer.line("")
            writer.comment("On the synthesized path (see ModelDecodersEmitter):")
            for (name, reason) in skipped { writer.comment("- \(name): \(reason)") }
        }
        return SwiftFile(path: Self.path, text: writer.text)
    }

    // MARK: - Which types

    /// The types that get a decoder (in declaration order) and those that could not, with why.
    func plan() -> (models: [Model], skipped: [(String, String)]) {
        // Roots first, then the structs their fields name, until nothing new turns up.
        var candidates = index.declarationOrder.filter { name in
            index.nominals[name]?.kind == .struct && conforms(name, to: Self.rootProtocol)
        }
        var seen = Set(candidates)
        var reasons: [String: String] = [:]
        var cursor = 0
        while cursor < candidates.count {
            let name = candidates[cursor]
            cursor += 1
            guard let declaration = index.nominals[name]?.structDecl else { continue }
            for (type, _) in storedProperties(declaration) {
                guard let type, let referenced = nominalStruct(Self.unwrapped(type).base, from: name),
                    seen.insert(referenced).inserted, isDecodable(referenced)
                else { continue }
                candidates.append(referenced)
            }
        }
        // A type is generated when it qualifies itself; the fields of other types then read it
        // through `value(_:at:key:)`, which finds the decoder either way.
        var accepted: Set<String> = []
        for name in candidates {
            if let reason = refusal(name) { reasons[name] = reason } else { accepted.insert(name) }
        }
        var models: [Model] = []
        for name in index.declarationOrder where accepted.contains(name) {
            guard let nominal = index.nominals[name], let declaration = nominal.structDecl,
                let file = nominal.structFile
            else { continue }
            models.append(Model(name: name, file: file, fields: fields(of: declaration, in: name, accepted: accepted)))
        }
        let skipped = index.declarationOrder.compactMap { name in reasons[name].map { (name, $0) } }
        return (models, skipped)
    }

    /// Why `name` keeps the synthesized decoding, or nil when a generated one is exact.
    private func refusal(_ name: String) -> String? {
        guard let nominal = index.nominals[name], let declaration = nominal.structDecl else { return "not a struct" }
        if declaration.genericParameterClause != nil { return "generic" }
        if Self.isPrivate(declaration.modifiers) { return "private" }
        if hasHandWrittenDecoder(name) { return "hand-written init(from:)" }
        if !isDecodable(name) { return "not Decodable" }
        if inherits(name, "RawRepresentable") || conforms(name, to: "HubStringEnum") {
            return "decoded from its raw value"
        }
        for member in declaration.memberBlock.members {
            guard let variable = member.decl.as(VariableDeclSyntax.self), !Self.isStatic(variable) else { continue }
            if Self.isPrivate(variable.modifiers) { return "private stored property" }
            if variable.modifiers.contains(where: { $0.name.tokenKind == .keyword(.lazy) }) { return "lazy property" }
            let isConstant = variable.bindingSpecifier.tokenKind == .keyword(.let)
            // Computed properties and constants with a value are not decoded.
            for binding in variable.bindings
            where binding.accessorBlock == nil && !(isConstant && binding.initializer != nil) {
                guard let property = binding.pattern.as(IdentifierPatternSyntax.self) else { return "pattern binding" }
                if Self.bare(property.identifier.text).contains("_") { return "a property name with `_`" }
                if binding.typeAnnotation == nil { return "a property without a written type" }
            }
        }
        if storedProperties(declaration).count > Self.maximumFields { return "more than \(Self.maximumFields) fields" }
        if index.nominals[name + ".CodingKeys"] != nil, codingKeys(of: name) == nil {
            return "CodingKeys other than plain cases"
        }
        return nil
    }

    /// The stored properties (type, name) in declaration order.
    private func storedProperties(_ declaration: StructDeclSyntax) -> [(TypeSyntax?, String)] {
        var result: [(TypeSyntax?, String)] = []
        for member in declaration.memberBlock.members {
            guard let variable = member.decl.as(VariableDeclSyntax.self), !Self.isStatic(variable) else { continue }
            let isConstant = variable.bindingSpecifier.tokenKind == .keyword(.let)
            for binding in variable.bindings {
                guard binding.accessorBlock == nil,
                    let name = binding.pattern.as(IdentifierPatternSyntax.self)?.identifier.text
                else { continue }
                // A constant with a value is not decoded by the synthesized init either.
                if isConstant && binding.initializer != nil { continue }
                result.append((binding.typeAnnotation?.type, name))
            }
        }
        return result
    }

    private func fields(of declaration: StructDeclSyntax, in name: String, accepted: Set<String>) -> [Field] {
        let keys = codingKeys(of: name)
        return storedProperties(declaration).compactMap { type, property in
            guard let type else { return nil }
            let bare = Self.bare(property)
            let key: String
            if let keys {
                // A property without a coding key keeps its default value.
                guard let found = keys[bare] else { return nil }
                key = found
            } else {
                key = bare
            }
            let (base, optional) = Self.unwrapped(type)
            return Field(property: property, key: key, optional: optional, reader: reader(base, from: name, accepted))
        }
    }

    private func reader(_ type: TypeSyntax, from scope: String, _ accepted: Set<String>) -> Reader {
        let leaves = [
            "String": "string", "UUID": "uuid", "Date": "date", "Bool": "bool", "Int": "int", "Double": "double",
        ]
        if let leaf = leaves[type.trimmedDescription] { return leaf }
        if let nominal = nominalStruct(type, from: scope) {
            if accepted.contains(nominal) { return "model" }
            if conforms(nominal, to: "HubStringEnum") && !hasHandWrittenDecoder(nominal) { return "stringEnum" }
        }
        return "value"
    }

    private func hasHandWrittenDecoder(_ name: String) -> Bool {
        index.nominals[name]?.initializers.contains { initializer in
            let parameters = initializer.signature.parameterClause.parameters
            return parameters.count == 1 && parameters.first?.firstName.text == "from"
        } ?? false
    }

    /// The string values of an explicit `CodingKeys` by case name, or nil when it is not an enum
    /// of plain cases (with optional string raw values) or there is none.
    private func codingKeys(of name: String) -> [String: String]? {
        guard let declaration = index.nominals[name + ".CodingKeys"]?.enumDecl else { return nil }
        var keys: [String: String] = [:]
        for member in declaration.memberBlock.members {
            if let cases = member.decl.as(EnumCaseDeclSyntax.self) {
                for element in cases.elements {
                    guard element.parameterClause == nil else { return nil }
                    let caseName = Self.bare(element.name.text)
                    if let raw = element.rawValue {
                        guard let literal = raw.value.as(StringLiteralExprSyntax.self),
                            literal.segments.count == 1,
                            let segment = literal.segments.first?.as(StringSegmentSyntax.self)
                        else { return nil }
                        keys[caseName] = segment.content.text
                    } else {
                        keys[caseName] = caseName
                    }
                }
            } else {
                return nil
            }
        }
        // A key with `_` could match another spelling of the same name: keep those synthesized.
        return keys.values.contains(where: { $0.contains("_") || $0.isEmpty }) ? nil : keys
    }

    // MARK: - Emission

    private func emit(_ model: Model, into writer: inout SwiftWriter) {
        writer.block("extension \(model.name): TapeDecodable") { writer in
            writer.list("static let tapeNames: [StaticString] = ", model.fields.map { "\"\($0.key)\"" })
            writer.line("")
            writer.block("init(tape decoder: TapeDecoder) throws") { writer in
                writer.block("guard let at = try decoder.slots(Self.tapeField) else") { writer in
                    writer.line("self = try Self(from: decoder)")
                    writer.line("return")
                }
                for (position, field) in model.fields.enumerated() {
                    writer.line(assignment(field, slot: "at[\(position)]"))
                }
            }
            writer.line("")
            writer.block("static func tapeField(_ key: UnsafeBufferPointer<UInt8>) -> Int") { writer in
                // Both spellings of every key, grouped by length (no conversion at run time).
                var byLength: [Int: [(String, Int)]] = [:]
                for (position, field) in model.fields.enumerated() {
                    for spelling in Self.spellings(field.key) {
                        byLength[spelling.utf8.count, default: []].append((spelling, position))
                    }
                }
                writer.line("switch key.count {")
                for length in byLength.keys.sorted() {
                    writer.line("case \(length):")
                    for (spelling, position) in byLength[length] ?? [] {
                        writer.line("    if TapeKey.spells(key, \"\(spelling)\") { return \(position) }")
                    }
                }
                writer.line("default: break")
                writer.line("}")
                writer.line("return TapeKey.lenient(key, tapeNames)")
            }
        }
    }

    /// `self.x = …` for one field, reading it the way the synthesized `init(from:)` does.
    private func assignment(_ field: Field, slot: String) -> String {
        let arguments = field.optional ? "ifPresent: \(slot), \"\(field.key)\"" : "\(slot), \"\(field.key)\""
        return "self.\(field.property) = try decoder.\(field.reader)(\(arguments))"
    }

    // MARK: - Helpers

    /// `name` as the key is written: in camelCase, then in snake_case when that differs.
    static func spellings(_ name: String) -> [String] {
        var snake = ""
        for (offset, character) in name.enumerated() {
            if offset > 0, character.isASCII, character.isUppercase {
                snake += "_" + character.lowercased()
            } else {
                snake.append(character)
            }
        }
        return snake == name ? [name] : [name, snake]
    }

    /// The type without one level of `Optional`, and whether it had one.
    static func unwrapped(_ type: TypeSyntax) -> (base: TypeSyntax, optional: Bool) {
        if let optional = type.as(OptionalTypeSyntax.self) { return (optional.wrappedType, true) }
        if let identifier = type.as(IdentifierTypeSyntax.self), identifier.name.text == "Optional",
            let argument = identifier.genericArgumentClause?.arguments.first,
            case .type(let wrapped) = argument.argument
        {
            return (wrapped, true)
        }
        return (type, false)
    }

    /// The struct a plain or dotted type name refers to from inside `scope` (a qualified name).
    private func nominalStruct(_ type: TypeSyntax, from scope: String) -> String? {
        guard type.is(IdentifierTypeSyntax.self) || type.is(MemberTypeSyntax.self),
            type.as(IdentifierTypeSyntax.self)?.genericArgumentClause == nil,
            case .nominal(let name)? = index.lookup(
                type.trimmedDescription, from: scope.split(separator: ".").map(String.init)),
            index.nominals[name]?.kind == .struct
        else { return nil }
        return name
    }

    /// Whether `name` conforms to the source protocol `target`, directly or through others.
    private func conforms(_ name: String, to target: String) -> Bool {
        guard case .nominal(let resolved)? = index.lookup(target, from: []) else { return false }
        return index.conformances(of: name).protocols.contains(resolved)
    }

    /// Whether `name` is declared `Decodable` or `Codable`, itself or through source protocols
    /// and typealiases.
    private func isDecodable(_ name: String) -> Bool {
        var pending = index.nominals[name]?.inherited ?? []
        var visited: Set<String> = []
        while let reference = pending.popLast() {
            if reference.name == "Decodable" || reference.name == "Codable" { return true }
            switch index.lookup(reference.name, from: reference.scope) {
            case .nominal(let found)?:
                if visited.insert(found).inserted { pending += index.nominals[found]?.inherited ?? [] }
            case .alias(let found)?:
                guard visited.insert(found).inserted, let alias = index.aliases[found] else { continue }
                pending += DeclarationIndex.components(of: alias.type).map {
                    DeclarationIndex.Reference(name: $0, scope: alias.scope)
                }
            case nil:
                continue
            }
        }
        return false
    }

    /// Whether `name`'s inheritance clauses (or those of source protocols it conforms to) name
    /// `protocolName`, declared in the sources or not.
    private func inherits(_ name: String, _ protocolName: String) -> Bool {
        var pending = index.nominals[name]?.inherited ?? []
        var visited: Set<String> = []
        while let reference = pending.popLast() {
            if reference.name == protocolName { return true }
            if case .nominal(let found)? = index.lookup(reference.name, from: reference.scope),
                visited.insert(found).inserted
            {
                pending += index.nominals[found]?.inherited ?? []
            }
        }
        return false
    }

    private static func isStatic(_ variable: VariableDeclSyntax) -> Bool {
        variable.modifiers.contains { $0.name.tokenKind == .keyword(.static) || $0.name.tokenKind == .keyword(.class) }
    }

    private static func isPrivate(_ modifiers: DeclModifierListSyntax) -> Bool {
        modifiers.contains { $0.name.tokenKind == .keyword(.private) || $0.name.tokenKind == .keyword(.fileprivate) }
    }

    /// A name without its backquotes.
    static func bare(_ name: String) -> String {
        name.hasPrefix("`") && name.hasSuffix("`") && name.count > 1 ? String(name.dropFirst().dropLast()) : name
    }
}
