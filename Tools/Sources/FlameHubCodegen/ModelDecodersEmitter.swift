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
/// A hand-written `init(from:)` is translated statement by statement when it is a sequence of
/// `property = reads` on one keyed container, each read a `decode`/`decodeIfPresent` that may be
/// combined with `??` and `try?` (see HandWrittenDecoders.swift); on a `WireDecodingContainer`,
/// the type's `wireRules` table is read from its source and the renames are written out.
///
/// A type stays on the synthesized path (no generated decoder) when the generator cannot
/// reproduce its decoding exactly: a hand-written `init(from:)` of another shape, generic
/// parameters, private stored properties, a property name with `_`, or `CodingKeys` that are
/// not plain cases. The reasons are listed in the file's trailing comment, so that the choice is
/// reviewable.
struct ModelDecodersEmitter {
    static let path = Codegen.outputDirectory + "/ModelDecoders.swift"
    /// The protocol whose conformers are the roots (besides the value types they use).
    static let rootProtocol = "HubModel"
    /// Roots that are not models: the paging facts every list body carries.
    static let extraRoots = ["ListMeta"]
    /// The widths of the SDK's `TapeSlots` (`SIMD32<Int32>`, `SIMD64<Int32>`).
    static let maximumFields = 32
    static let maximumNames = 64

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
        /// The keys read, one slot each (the SDK's `tapeNames`).
        var names: [String]
        var body: Body
    }

    /// One read of a member: `decoder.<reader>(at[slot], "key")`.
    struct Read: Hashable {
        var reader: Reader
        var optional: Bool
        var key: String
    }

    /// An operand of an assignment's `??` chain.
    indirect enum Operand: Hashable {
        case read(Read)
        /// Written as is: a property read earlier, `nil`.
        case text(String)
        /// `(try? a ?? b)`.
        case tried([Operand])
    }

    /// `self.property = [try] operands[0] ?? operands[1] …`.
    struct Assignment: Hashable {
        var property: String
        var operands: [Operand]
    }

    enum Body {
        case straight([Assignment])
        /// The payload's generation is recognised first by the `markers` (names only it uses,
        /// newest generation first; none found: `fallback`), then the assignments of its group.
        case byGeneration(
            markers: [(generation: String, names: [String])], fallback: String,
            groups: [(generations: [String], assignments: [Assignment])])
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
            index.nominals[name]?.kind == .struct
                && (conforms(name, to: Self.rootProtocol) || Self.extraRoots.contains(name))
        }
        var seen = Set(candidates)
        var reasons: [String: String] = [:]
        var cursor = 0
        while cursor < candidates.count {
            let name = candidates[cursor]
            cursor += 1
            guard let declaration = index.nominals[name]?.structDecl else { continue }
            for (type, _) in storedProperties(declaration) {
                guard var type = type.map({ Self.unwrapped($0).base }) else { continue }
                // The elements of an array too (`[CommandArgument]`).
                if let array = type.as(ArrayTypeSyntax.self) { type = array.element }
                guard let referenced = nominalStruct(type, from: name),
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
        // Hand-written decoders whose statements cannot be read stay synthesized too.
        for name in accepted.sorted() where hasHandWrittenDecoder(name) {
            if case .failure(let refusal) = translated(name, accepted: accepted) {
                reasons[name] = refusal.reason
                accepted.remove(name)
            }
        }
        var models: [Model] = []
        for name in index.declarationOrder where accepted.contains(name) {
            guard let nominal = index.nominals[name], let declaration = nominal.structDecl,
                let file = nominal.structFile
            else { continue }
            if hasHandWrittenDecoder(name) {
                if case .success(let model) = translated(name, accepted: accepted) { models.append(model) }
                continue
            }
            let fields = fields(of: declaration, in: name, accepted: accepted)
            let body = fields.map { field in
                Assignment(
                    property: field.property,
                    operands: [.read(Read(reader: field.reader, optional: field.optional, key: field.key))])
            }
            models.append(Model(name: name, file: file, names: fields.map(\.key), body: .straight(body)))
        }
        let skipped = index.declarationOrder.compactMap { name in reasons[name].map { (name, $0) } }
        return (models, skipped)
    }

    /// Why `name` keeps the synthesized decoding, or nil when a generated one is exact.
    private func refusal(_ name: String) -> String? {
        guard let nominal = index.nominals[name], let declaration = nominal.structDecl else { return "not a struct" }
        if declaration.genericParameterClause != nil { return "generic" }
        if Self.isPrivate(declaration.modifiers) { return "private" }
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
        // A hand-written decoder's names are counted when it is translated.
        if !hasHandWrittenDecoder(name), storedProperties(declaration).count > Self.maximumFields {
            return "more than \(Self.maximumFields) fields"
        }
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

    func reader(_ type: TypeSyntax, from scope: String, _ accepted: Set<String>) -> Reader {
        let leaves = [
            "String": "string", "UUID": "uuid", "Date": "date", "Bool": "bool", "Int": "int", "Double": "double",
        ]
        if let leaf = leaves[type.trimmedDescription] { return leaf }
        if let array = type.as(ArrayTypeSyntax.self) {
            if array.element.trimmedDescription == "String" { return "strings" }
            if let element = nominalStruct(array.element, from: scope), accepted.contains(element) { return "models" }
        }
        if let nominal = nominalStruct(type, from: scope) {
            if accepted.contains(nominal) { return "model" }
            if conforms(nominal, to: "HubStringEnum") && !hasHandWrittenDecoder(nominal) { return "stringEnum" }
        }
        return "value"
    }

    func hasHandWrittenDecoder(_ name: String) -> Bool {
        index.nominals[name]?.initializers.contains { initializer in
            let parameters = initializer.signature.parameterClause.parameters
            return parameters.count == 1 && parameters.first?.firstName.text == "from"
        } ?? false
    }

    /// The string values of an explicit `CodingKeys` by case name, or nil when it is not an enum
    /// of plain cases (with optional string raw values) or there is none.
    func codingKeys(of name: String) -> [String: String]? {
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
        let wide = model.names.count > Self.maximumFields
        let slot = { (key: String) in model.names.firstIndex(of: key) ?? -1 }
        writer.block("extension \(model.name): TapeDecodable") { writer in
            writer.list("static let tapeNames: [StaticString] = ", model.names.map { "\"\($0)\"" })
            writer.line("")
            writer.block("init(tape decoder: TapeDecoder) throws") { writer in
                let slots = wide ? "SIMD64<Int32>.self, Self.tapeField" : "Self.tapeField"
                writer.block("guard let at = try decoder.slots(\(slots)) else") { writer in
                    writer.line("self = try Self(from: decoder)")
                    writer.line("return")
                }
                switch model.body {
                case .straight(let assignments):
                    for assignment in assignments { emit(assignment, slot: slot, into: &writer) }
                case .byGeneration(let markers, let fallback, let groups):
                    writer.line("let generation: HubGeneration")
                    var opening = "if"
                    for (generation, names) in markers where !names.isEmpty {
                        let condition = names.map { "at[\(slot($0))] >= 0" }.joined(separator: " || ")
                        writer.line("\(opening) \(condition) {")
                        writer.line(SwiftWriter.indentUnit + "generation = .\(generation)")
                        opening = "} else if"
                    }
                    writer.line("} else {")
                    writer.line(SwiftWriter.indentUnit + "generation = .\(fallback)")
                    writer.line("}")
                    writer.line("switch generation {")
                    for (generations, assignments) in groups {
                        writer.line("case \(generations.map { "." + $0 }.joined(separator: ", ")):")
                        writer.indented { writer in
                            for assignment in assignments { emit(assignment, slot: slot, into: &writer) }
                        }
                    }
                    writer.line("}")
                }
            }
            writer.line("")
            writer.block("static func tapeField(_ key: UnsafeBufferPointer<UInt8>) -> Int") { writer in
                // Both spellings of every key, grouped by length (no conversion at run time).
                var byLength: [Int: [(String, Int)]] = [:]
                for (position, name) in model.names.enumerated() {
                    for spelling in Self.spellings(name) {
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

    /// `self.x = …`, reading each member the way the synthesized or hand-written `init(from:)`
    /// does; `try` only when a read outside `try?` can throw.
    private func emit(_ assignment: Assignment, slot: (String) -> Int, into writer: inout SwiftWriter) {
        func text(_ operand: Operand) -> String {
            switch operand {
            case .read(let read):
                let arguments = (read.optional ? "ifPresent: " : "") + "at[\(slot(read.key))], \"\(read.key)\""
                return "decoder.\(read.reader)(\(arguments))"
            case .text(let text):
                return text
            case .tried(let operands):
                return "(try? " + operands.map(text).joined(separator: " ?? ") + ")"
            }
        }
        let throwing = assignment.operands.contains { if case .read = $0 { true } else { false } }
        writer.chain("self.\(assignment.property) =", assignment.operands.map(text), prefix: throwing ? "try " : "")
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
    func nominalStruct(_ type: TypeSyntax, from scope: String) -> String? {
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

    static func isStatic(_ variable: VariableDeclSyntax) -> Bool {
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
