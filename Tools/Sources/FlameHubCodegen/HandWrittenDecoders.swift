import SwiftParser
import SwiftSyntax

// Generated decoders for types with a hand-written `init(from:)` (`ListMeta`, `QuerySchema`, the
// analyses): the initializer is read statement by statement and each read is written out against
// the tape. Only one shape is understood, the one these initializers have:
//
//     let keys = try decoder.container(keyedBy: CodingKeys.self)
//     // or: try WireDecodingContainer(decoder, keyedBy: CodingKeys.self, rules: Self.wireRules)
//     property = try keys.decode(T.self, forKey: .key)
//     property = try keys.decodeIfPresent(T.self, forKey: .key) ?? other ?? …
//     property = (try? keys.decodeIfPresent(T.self, forKey: .key)) ?? nil
//
// Anything else keeps the type on the synthesized path, with the reason in the file's trailing
// comment. On a `WireDecodingContainer`, the renames come from the type's own `wireRules` table
// (read from its source: there is one copy of it) and are applied as `WireDecodingContainer`
// applies them (Engine/WireRules.swift): the Swift name first, then the other generations'
// names, newest first; where one name means two fields, the payload's generation is recognised
// first by the names only it uses.
extension ModelDecodersEmitter {
    struct Refusal: Error {
        var reason: String
        init(_ reason: String) { self.reason = "hand-written init(from:): " + reason }
    }

    /// One field's rule of a `wireRules` table (the SDK's `WireRule`).
    struct WireRuleSpec: Equatable {
        /// The field's coding key.
        var field: String
        /// The generations that know the field; nil: all.
        var generations: [String]?
        /// Its name in generations that spell it differently.
        var names: [String: String]

        /// `WireRule.name(of:in:)`.
        func name(in generation: String) -> String? {
            if let generations, !generations.contains(generation) { return nil }
            return names[generation] ?? field
        }
    }

    /// The container the initializer reads: its variable, and the rules of a
    /// `WireDecodingContainer` (nil for a plain keyed container).
    private struct Container {
        var variable: String
        var rules: [WireRuleSpec]?
    }

    /// The decoder written from `name`'s hand-written `init(from:)`, or why there is none.
    func translated(_ name: String, accepted: Set<String>) -> Result<Model, Refusal> {
        do {
            return .success(try translate(name, accepted: accepted))
        } catch let refusal as Refusal {
            return .failure(refusal)
        } catch {
            return .failure(Refusal("\(error)"))
        }
    }

    private func translate(_ name: String, accepted: Set<String>) throws -> Model {
        guard let nominal = index.nominals[name], let file = nominal.structFile else { throw Refusal("not a struct") }
        let decoders = nominal.initializers.filter { initializer in
            let parameters = initializer.signature.parameterClause.parameters
            return parameters.count == 1 && parameters.first?.firstName.text == "from"
        }
        guard decoders.count == 1, let statements = decoders.first?.body?.statements, let first = statements.first
        else { throw Refusal("no body") }
        let container = try opening(first, of: name)
        var parsed: [(property: String, operands: [ExprSyntax])] = []
        for statement in statements.dropFirst() {
            guard case .expr(let expression) = statement.item, let sequence = expression.as(SequenceExprSyntax.self)
            else { throw Refusal("`\(statement.trimmedDescription)` is not an assignment") }
            let elements = Array(sequence.elements)
            guard elements.count >= 3, elements[1].is(AssignmentExprSyntax.self), let property = assigned(elements[0])
            else { throw Refusal("`\(statement.trimmedDescription)` is not an assignment") }
            parsed.append((property, try Self.chain(Array(elements.dropFirst(2)))))
        }
        let generations = try hubGenerations(needed: container.rules != nil)
        let markers = container.rules.map { Self.markers(of: $0, generations: generations) } ?? []
        // Without markers every generation reads alike: the renames become `??` chains.
        let variants: [String?] = markers.isEmpty ? [nil] : generations
        var bodies: [[Assignment]] = []
        for generation in variants {
            bodies.append(
                try parsed.map { property, operands in
                    Assignment(
                        property: property,
                        operands: try operands.flatMap {
                            try operand($0, of: name, container: container, generation: generation, accepted: accepted)
                        })
                })
        }
        // The keys in the order they are first read, then the markers.
        var names: [String] = []
        func collect(_ operand: Operand) {
            switch operand {
            case .read(let read): if !names.contains(read.key) { names.append(read.key) }
            case .text: break
            case .tried(let operands): operands.forEach(collect)
            }
        }
        for position in parsed.indices {
            for body in bodies { body[position].operands.forEach(collect) }
        }
        for marker in markers.flatMap(\.names) where !names.contains(marker) { names.append(marker) }
        guard names.count <= Self.maximumNames else { throw Refusal("more than \(Self.maximumNames) names") }
        guard !markers.isEmpty else { return Model(name: name, file: file, names: names, body: .straight(bodies[0])) }
        var groups: [(generations: [String], assignments: [Assignment])] = []
        for (generation, body) in zip(generations, bodies) {
            if let position = groups.firstIndex(where: { $0.assignments == body }) {
                groups[position].generations.append(generation)
            } else {
                groups.append(([generation], body))
            }
        }
        // `WireDecodingContainer` reads a payload without markers as the newest generation's.
        let fallback = generations.last ?? "current"
        return Model(
            name: name, file: file, names: names,
            body: .byGeneration(markers: markers, fallback: fallback, groups: groups))
    }

    /// The container opened by the first statement.
    private func opening(_ statement: CodeBlockItemSyntax, of name: String) throws -> Container {
        guard case .decl(let declaration) = statement.item, let variable = declaration.as(VariableDeclSyntax.self),
            variable.bindingSpecifier.tokenKind == .keyword(.let), variable.bindings.count == 1,
            let binding = variable.bindings.first, let pattern = binding.pattern.as(IdentifierPatternSyntax.self),
            let value = binding.initializer?.value
        else { throw Refusal("does not open a keyed container first") }
        let container = pattern.identifier.text
        switch value.trimmedDescription.filter({ !$0.isWhitespace }) {
        case "trydecoder.container(keyedBy:CodingKeys.self)":
            return Container(variable: container, rules: nil)
        case "tryWireDecodingContainer(decoder,keyedBy:CodingKeys.self,rules:Self.wireRules)":
            return Container(variable: container, rules: try wireRules(of: name))
        default:
            throw Refusal("opens `\(value.trimmedDescription)`")
        }
    }

    /// The property an assignment's left-hand side names (`x` or `self.x`).
    private func assigned(_ expression: ExprSyntax) -> String? {
        if let reference = expression.as(DeclReferenceExprSyntax.self) { return reference.baseName.text }
        if let member = expression.as(MemberAccessExprSyntax.self),
            member.base?.as(DeclReferenceExprSyntax.self)?.baseName.tokenKind == .keyword(.self)
        {
            return member.declName.baseName.text
        }
        return nil
    }

    /// The operands of `[try] a ?? b ?? …` (the parser leaves `try` on the first operand).
    private static func chain(_ elements: [ExprSyntax]) throws -> [ExprSyntax] {
        if elements.count == 1, let tried = elements[0].as(TryExprSyntax.self), tried.questionOrExclamationMark == nil,
            let inner = tried.expression.as(SequenceExprSyntax.self)
        {
            return try chain(Array(inner.elements))
        }
        var operands: [ExprSyntax] = []
        for (offset, element) in elements.enumerated() {
            if offset % 2 == 1 {
                guard element.as(BinaryOperatorExprSyntax.self)?.operator.text == "??" else {
                    throw Refusal("`\(element.trimmedDescription)` (only `??` is understood)")
                }
                continue
            }
            if let tried = element.as(TryExprSyntax.self), tried.questionOrExclamationMark == nil {
                operands.append(tried.expression)
            } else {
                operands.append(element)
            }
        }
        guard elements.count % 2 == 1 else { throw Refusal("an incomplete `??` chain") }
        return operands
    }

    /// One operand, written against the tape (a read under other names becomes several).
    private func operand(
        _ expression: ExprSyntax, of name: String, container: Container, generation: String?, accepted: Set<String>
    ) throws -> [Operand] {
        if expression.is(NilLiteralExprSyntax.self) { return [.text("nil")] }
        if let reference = expression.as(DeclReferenceExprSyntax.self) {
            let text = reference.baseName.text
            guard text != container.variable, text != "decoder" else { throw Refusal("uses `\(text)` itself") }
            return [.text(text)]
        }
        if let tuple = expression.as(TupleExprSyntax.self), tuple.elements.count == 1,
            let element = tuple.elements.first, element.label == nil,
            let tried = element.expression.as(TryExprSyntax.self), tried.questionOrExclamationMark?.text == "?"
        {
            let inner = tried.expression.as(SequenceExprSyntax.self).map { Array($0.elements) } ?? [tried.expression]
            let operands = try Self.chain(inner).flatMap {
                try operand($0, of: name, container: container, generation: generation, accepted: accepted)
            }
            return [.tried(operands)]
        }
        guard let call = expression.as(FunctionCallExprSyntax.self) else {
            throw Refusal("`\(expression.trimmedDescription)` is not a read")
        }
        return try reads(call, of: name, container: container, generation: generation, accepted: accepted)
    }

    /// `container.decode(T.self, forKey: .key)` or `decodeIfPresent`, with the renames of the
    /// rules for `generation` (nil: the payload's generation is not recognised).
    private func reads(
        _ call: FunctionCallExprSyntax, of name: String, container: Container, generation: String?,
        accepted: Set<String>
    ) throws -> [Operand] {
        let arguments = Array(call.arguments)
        guard let called = call.calledExpression.as(MemberAccessExprSyntax.self),
            called.base?.as(DeclReferenceExprSyntax.self)?.baseName.text == container.variable,
            ["decode", "decodeIfPresent"].contains(called.declName.baseName.text), call.trailingClosure == nil,
            arguments.count == 2, arguments[0].label == nil, arguments[1].label?.text == "forKey",
            let typeExpression = arguments[0].expression.as(MemberAccessExprSyntax.self),
            typeExpression.declName.baseName.tokenKind == .keyword(.self), let base = typeExpression.base,
            let type = Self.type(base.trimmedDescription),
            let keyExpression = arguments[1].expression.as(MemberAccessExprSyntax.self), keyExpression.base == nil
        else { throw Refusal("`\(call.trimmedDescription)` is not a read") }
        let optional = called.declName.baseName.text == "decodeIfPresent"
        let caseName = Self.bare(keyExpression.declName.baseName.text)
        let key: String
        if index.nominals[name + ".CodingKeys"] != nil {
            guard let found = codingKeys(of: name)?[caseName] else { throw Refusal("no coding key `\(caseName)`") }
            key = found
        } else {
            key = caseName
        }
        let reader = reader(type, from: name, accepted)
        func read(_ key: String, optional: Bool) -> Operand {
            .read(Read(reader: reader, optional: optional, key: key))
        }
        guard let rules = container.rules, let rule = rules.first(where: { $0.field == key }) else {
            return [read(key, optional: optional)]
        }
        guard let generation else {
            // The Swift name, then the other names; a required field is then read once more
            // under its Swift name, for the error of a missing or null value.
            let aliases = Self.aliases(of: rule, generations: try hubGenerations(needed: true))
            guard !aliases.isEmpty else { return [read(key, optional: optional)] }
            let tries = [read(key, optional: true)] + aliases.map { read($0, optional: true) }
            return optional ? tries : tries + [read(key, optional: false)]
        }
        // The recognised generation's name only; a field it lacks is absent (or, required,
        // missing under its Swift name).
        guard let spelled = rule.name(in: generation) else {
            return optional ? [.text("nil")] : [read(key, optional: false)]
        }
        return [read(spelled, optional: optional)]
    }

    /// `WireRules.Entry.aliases`: the field's other names, newest generation first.
    static func aliases(of rule: WireRuleSpec, generations: [String]) -> [String] {
        var aliases: [String] = []
        for generation in generations.reversed() {
            if let name = rule.name(in: generation), name != rule.field, !aliases.contains(name) {
                aliases.append(name)
            }
        }
        return aliases
    }

    /// `WireRules.markers(of:)`: empty unless one name (in either casing) means two fields.
    static func markers(of rules: [WireRuleSpec], generations: [String]) -> [(generation: String, names: [String])] {
        func snake(_ name: String) -> String { spellings(name).last ?? name }
        var written: [(generation: String, names: [String])] = []
        for generation in generations.reversed() {
            let names = rules.compactMap { $0.name(in: generation) }
            if !written.contains(where: { $0.names == names }) { written.append((generation, names)) }
        }
        let uses = rules.flatMap { rule in
            generations.compactMap { rule.name(in: $0) }.map { (field: rule.field, name: snake($0)) }
        }
        guard uses.contains(where: { use in uses.contains { $0.name == use.name && $0.field != use.field } }) else {
            return []
        }
        return written.map { spelling in
            let elsewhere = written.filter { $0.generation != spelling.generation }.flatMap(\.names).map(snake)
            return (spelling.generation, spelling.names.filter { !elsewhere.contains(snake($0)) })
        }
    }

    /// The cases of `HubGeneration`, oldest first (its `allCases`).
    private func hubGenerations(needed: Bool) throws -> [String] {
        guard needed else { return [] }
        guard let declaration = index.nominals["HubGeneration"]?.enumDecl else { throw Refusal("no HubGeneration") }
        return declaration.memberBlock.members.flatMap { member in
            member.decl.as(EnumCaseDeclSyntax.self)?.elements.map { Self.bare($0.name.text) } ?? []
        }
    }

    /// The `wireRules` table of `name`: `WireRules(CodingKeys.self, [.field: .only([…], names: […]), .field: .named([…])])`.
    private func wireRules(of name: String) throws -> [WireRuleSpec] {
        let keys = codingKeys(of: name)
        for property in index.nominals[name]?.properties ?? [] {
            let variable = property.declaration
            guard Self.isStatic(variable), let binding = variable.bindings.first,
                binding.pattern.as(IdentifierPatternSyntax.self)?.identifier.text == "wireRules"
            else { continue }
            guard let call = binding.initializer?.value.as(FunctionCallExprSyntax.self),
                call.calledExpression.trimmedDescription == "WireRules", call.arguments.count == 2,
                call.arguments.first?.expression.trimmedDescription == "CodingKeys.self",
                let table = call.arguments.last?.expression.as(DictionaryExprSyntax.self)
            else { throw Refusal("wireRules `\(variable.trimmedDescription)` cannot be read") }
            guard case .elements(let elements) = table.content else { return [] }
            return try elements.map { element in
                guard let field = element.key.as(MemberAccessExprSyntax.self), field.base == nil,
                    let rule = element.value.as(FunctionCallExprSyntax.self),
                    let kind = rule.calledExpression.as(MemberAccessExprSyntax.self), kind.base == nil
                else { throw Refusal("wire rule `\(element.trimmedDescription)` cannot be read") }
                let caseName = Self.bare(field.declName.baseName.text)
                var spec = WireRuleSpec(field: keys?[caseName] ?? caseName, generations: nil, names: [:])
                for argument in rule.arguments {
                    switch (kind.declName.baseName.text, argument.label?.text) {
                    case ("only", nil):
                        guard let list = argument.expression.as(ArrayExprSyntax.self) else {
                            throw Refusal("wire rule `\(element.trimmedDescription)` cannot be read")
                        }
                        spec.generations = try list.elements.map { try Self.caseName($0.expression) }
                    case ("only", "names"?), ("named", nil):
                        spec.names = try Self.generationNames(argument.expression)
                    default:
                        throw Refusal("wire rule `\(element.trimmedDescription)` cannot be read")
                    }
                }
                return spec
            }
        }
        throw Refusal("no wireRules")
    }

    /// `.legacy` → `legacy`.
    private static func caseName(_ expression: ExprSyntax) throws -> String {
        guard let member = expression.as(MemberAccessExprSyntax.self), member.base == nil else {
            throw Refusal("`\(expression.trimmedDescription)` is not a generation")
        }
        return bare(member.declName.baseName.text)
    }

    /// `[.legacy: "runStatus"]` → `["legacy": "runStatus"]`.
    private static func generationNames(_ expression: ExprSyntax) throws -> [String: String] {
        guard let dictionary = expression.as(DictionaryExprSyntax.self) else {
            throw Refusal("`\(expression.trimmedDescription)` is not a table of names")
        }
        guard case .elements(let elements) = dictionary.content else { return [:] }
        var names: [String: String] = [:]
        for element in elements {
            guard let literal = element.value.as(StringLiteralExprSyntax.self), literal.segments.count == 1,
                let segment = literal.segments.first?.as(StringSegmentSyntax.self)
            else { throw Refusal("`\(element.trimmedDescription)` is not a name") }
            names[try caseName(element.key)] = segment.content.text
        }
        return names
    }

    /// A type written as an expression (`[CommandArgument]` of `[CommandArgument].self`).
    static func type(_ text: String) -> TypeSyntax? {
        let source = Parser.parse(source: "let value: \(text)")
        guard case .decl(let declaration)? = source.statements.first?.item,
            let type = declaration.as(VariableDeclSyntax.self)?.bindings.first?.typeAnnotation?.type
        else { return nil }
        return type
    }
}
