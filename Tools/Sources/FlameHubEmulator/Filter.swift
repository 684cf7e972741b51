import FlameHub

/// One parsed `filter[key]=value` condition, ready to be evaluated against records.
///
/// The grammar differs by generation (rapiq 0.9 vs rapiq 2):
///
/// | value | legacy | current |
/// |---|---|---|
/// | `x` | equals (case-sensitive) | equals (case-insensitive for strings) |
/// | `!x` | not equal, NULL rows excluded | not equal, NULL rows included |
/// | `~x` | starts with | ends with |
/// | `x~` | literal | starts with |
/// | `~x~` | starts with `x~` | contains |
/// | `a,b` / `!a,b` | IN / NOT IN | IN / NOT IN (`null` in the list adds IS NULL) |
/// | `null` / `!null` | IS NULL / IS NOT NULL | same |
/// | `<v` `<=v` `>v` `>=v` | comparisons | comparisons (a leading `!` is ignored) |
///
/// Values are coerced: `true`/`false` → booleans, numeric text → numbers, `null` → NULL.
struct FilterCondition: Sendable {
    enum Like: Sendable { case startsWith, endsWith, contains }
    enum Comparison: Sendable { case lt, lte, gt, gte }

    enum Operation: Sendable {
        case equal(FilterOperand)
        case list([FilterOperand])
        case isNull
        case like(Like, String)
        case compare(Comparison, FilterOperand)
    }

    /// Path of internal field names: `["name"]` or `["realm", "name"]` for a relation filter.
    var path: [String]
    var negated: Bool
    var operation: Operation
    var generation: HubGeneration

    /// Parses the raw values of one filter key; `nil` when the value is empty (dropped, as rapiq does).
    static func parse(path: [String], values: [String], generation: HubGeneration) -> FilterCondition? {
        let cleaned = generation == .current ? values.map { $0.trimmingWhitespace() } : values
        if cleaned.count > 1 {
            let items = cleaned.filter { !$0.isEmpty }.map(FilterOperand.init(text:))
            guard !items.isEmpty else { return nil }
            return .init(path: path, negated: false, operation: .list(items), generation: generation)
        }
        guard var text = cleaned.first, !text.isEmpty else { return nil }
        var negated = false
        if text.hasPrefix("!") {
            negated = true
            text.removeFirst()
        }
        guard !text.isEmpty else { return nil }

        switch generation {
        case .legacy:
            if text.hasPrefix("~") {
                let pattern = String(text.dropFirst())
                guard !pattern.isEmpty else { return nil }
                return .init(
                    path: path, negated: negated, operation: .like(.startsWith, pattern), generation: generation)
            }
        // Callers pass `HubGeneration.filterDialect(of:)`: the transitional Hub parses rapiq 2.
        case .transitional, .current:
            if text.contains(",") {
                break
            }
            if text.count >= 2, text.hasPrefix("~"), text.hasSuffix("~") {
                let pattern = String(text.dropFirst().dropLast())
                guard !pattern.isEmpty else { return nil }
                return .init(path: path, negated: negated, operation: .like(.contains, pattern), generation: generation)
            }
            if text.hasPrefix("~") {
                return .init(
                    path: path, negated: negated, operation: .like(.endsWith, String(text.dropFirst())),
                    generation: generation)
            }
            if text.hasSuffix("~") {
                return .init(
                    path: path, negated: negated, operation: .like(.startsWith, String(text.dropLast())),
                    generation: generation)
            }
        }

        for (prefix, comparison) in [("<=", Comparison.lte), ("<", .lt), (">=", .gte), (">", .gt)]
        where text.hasPrefix(prefix) {
            let operand = String(text.dropFirst(prefix.count))
            guard !operand.isEmpty else { return nil }
            // rapiq 2 ignores a `!` before a comparison; rapiq 0.9 negates it.
            let keepNegation = generation == .legacy && negated
            return .init(
                path: path, negated: keepNegation, operation: .compare(comparison, FilterOperand(text: operand)),
                generation: generation)
        }

        if text.contains(",") {
            let items = text.split(separator: ",", omittingEmptySubsequences: true).map {
                FilterOperand(text: String($0))
            }
            guard !items.isEmpty else { return nil }
            return .init(path: path, negated: negated, operation: .list(items), generation: generation)
        }
        if text == "null" {
            return .init(path: path, negated: negated, operation: .isNull, generation: generation)
        }
        return .init(path: path, negated: negated, operation: .equal(FilterOperand(text: text)), generation: generation)
    }

    /// Evaluates the condition against `value` (`nil` = the column is NULL / absent).
    func matches(_ value: EmulatorJSON?) -> Bool {
        let isNull = value == nil || value?.isNull == true
        let caseInsensitive = generation == .current
        let positive: Bool
        switch operation {
        case .isNull:
            return negated ? !isNull : isNull
        case .equal(let expected):
            if isNull { return negated && generation == .current }
            positive = expected.equals(value ?? .null, caseInsensitive: caseInsensitive)
        case .list(let items):
            let containsNull = items.contains { $0.isNull }
            if isNull {
                if containsNull { return !negated }
                return negated && generation == .current
            }
            positive = items.contains { $0.equals(value ?? .null, caseInsensitive: caseInsensitive) }
        case .like(let like, let pattern):
            guard !isNull, let text = value.flatMap(FilterOperand.text(of:)) else {
                return negated && generation == .current
            }
            let subject = caseInsensitive ? text.lowercased() : text
            let needle = caseInsensitive ? pattern.lowercased() : pattern
            switch like {
            case .startsWith: positive = subject.hasPrefix(needle)
            case .endsWith: positive = subject.hasSuffix(needle)
            case .contains: positive = subject.contains(needle)
            }
        case .compare(let comparison, let operand):
            guard !isNull, let order = operand.compare(to: value ?? .null) else { return false }
            let result: Bool
            switch comparison {
            case .lt: result = order < 0
            case .lte: result = order <= 0
            case .gt: result = order > 0
            case .gte: result = order >= 0
            }
            return negated ? !result : result
        }
        return negated ? !positive : positive
    }
}

/// A coerced filter operand; keeps the original text so a numeric-looking value still matches
/// a string column (as SQL's implicit conversion would).
struct FilterOperand: Sendable {
    var text: String
    var coerced: EmulatorJSON

    init(text: String) {
        self.text = text
        switch text {
        case "true": coerced = .bool(true)
        case "false": coerced = .bool(false)
        case "null": coerced = .null
        default:
            if let integer = Int(text) {
                coerced = .int(integer)
            } else if let double = Double(text), double.isFinite, text.first?.isNumber == true || text.first == "-" {
                coerced = .double(double)
            } else {
                coerced = .string(text)
            }
        }
    }

    var isNull: Bool { coerced.isNull }

    static func text(of value: EmulatorJSON) -> String? {
        switch value {
        case .string(let text): text
        case .int(let number): String(number)
        case .double(let number): String(number)
        case .bool(let flag): flag ? "true" : "false"
        default: nil
        }
    }

    func equals(_ value: EmulatorJSON, caseInsensitive: Bool) -> Bool {
        switch (value, coerced) {
        case (.string(let lhs), _):
            return caseInsensitive ? lhs.lowercased() == text.lowercased() : lhs == text
        case (.bool(let lhs), .bool(let rhs)):
            return lhs == rhs
        case (.bool(let lhs), .int(let rhs)):
            return (lhs ? 1 : 0) == rhs
        case (.int, _), (.double, _):
            guard let lhs = value.doubleValue, let rhs = coerced.doubleValue else { return false }
            return lhs == rhs
        default:
            return false
        }
    }

    /// Sign of `value - operand`; `nil` when incomparable.
    func compare(to value: EmulatorJSON) -> Int? {
        if let lhs = value.doubleValue, let rhs = coerced.doubleValue {
            return lhs < rhs ? -1 : (lhs > rhs ? 1 : 0)
        }
        if case .string(let lhs) = value {
            return lhs < text ? -1 : (lhs > text ? 1 : 0)
        }
        return nil
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var view = self[...]
        while let first = view.first, first.isWhitespace { view.removeFirst() }
        while let last = view.last, last.isWhitespace { view.removeLast() }
        return String(view)
    }
}
