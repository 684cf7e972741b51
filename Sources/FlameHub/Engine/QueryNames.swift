/// The names a query carries (filter keys, the sort field, selected fields, relations) go into
/// the query string's *structure*: the server's `qs` parser splits `filter[a][b]` into nested
/// keys and rapiq splits `sort`, `fields` and `include` at commas. Percent-encoding does not
/// help there (`qs` decodes `%5B` before it parses brackets), so a name must be a plain dotted
/// identifier, or the request would ask for something else than was written.
extension ResourceQuery {
    /// - Throws: ``HubClientError`` (``HubClientError/Code/invalidFilter``) for a name that is
    ///   not `identifier(.identifier)*` (fields may start with `+` or `-`).
    func checkNames() throws {
        for condition in filter.storage { try Self.checkName(condition.key, "filter key") }
        if let sort { try Self.checkName(sort.by, "sort field") }
        for field in fields {
            let name = field.first == "+" || field.first == "-" ? Substring(field.dropFirst()) : Substring(field)
            try Self.checkName(name, "field")
        }
        for relation in include { try Self.checkName(relation, "relation") }
    }

    static func checkName(_ name: some StringProtocol, _ what: String) throws {
        var previous: UInt8 = UInt8(ascii: ".")
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
                break
            case UInt8(ascii: ".") where previous != UInt8(ascii: "."):
                break
            default:
                throw invalidName(name, what)
            }
            previous = byte
        }
        // Empty, or ending in `.`: `filter[]` and `filter[realm.]` name no field.
        guard previous != UInt8(ascii: ".") else { throw invalidName(name, what) }
    }

    private static func invalidName(_ name: some StringProtocol, _ what: String) -> HubClientError {
        // The name is shown escaped and cut, so that it cannot garble the message.
        let shown = String(name.prefix(64)).debugDescription
        return HubClientError(
            .invalidFilter,
            "\(what) \(shown) is not a field name (letters, digits and '_', dotted through relations)")
    }
}

extension FilterValue {
    /// Refuses an operand the server would read as something else than the literal value: rapiq
    /// takes a leading `!` as negation, `~` (and on rapiq 2 a trailing `~`) as a pattern, `<`/`>`
    /// as a comparison and `null` as the null test (Filter.swift of the emulator follows
    /// rapiq's `parseQueryFilters`, PrivateAIM/hub v0.14.0 and v0.8.13), and rapiq 2 trims the
    /// value. Such a value can only be asked for with ``raw(_:)``.
    static func checkOperand(_ value: String, _ grammar: FilterGrammar, key: String, what: String) throws {
        // Bytes, not Characters: "!" followed by a combining mark is one Character, but the
        // server still sees the "!".
        guard let first = value.utf8.first, let last = value.utf8.last else { return }
        let reason: String?
        if first == UInt8(ascii: "!") || first == UInt8(ascii: "~") || first == UInt8(ascii: "<")
            || first == UInt8(ascii: ">")
        {
            reason = "starts with '\(Character(Unicode.Scalar(first)))', which the server reads as an operator"
        } else if let scalar = value.unicodeScalars.first, Self.extendsPrevious(scalar) {
            // Behind an operator ("!", "~") a combining mark would fuse with it into one
            // Character: servers that compare Characters no longer see the operator (Fuzz/FuzzQuery).
            reason = "starts with a combining character, which would merge with the operator before it"
        } else if let scalar = value.unicodeScalars.last, Self.joinsNext(scalar) {
            // The mirror case: a prepended mark (U+0600…, U+0605, …) fuses with the "~" or ","
            // after it into one Character, so a server reading Characters sees no operator there
            // (Fuzz/FuzzQuery: contains("…\u{605}") read as ends-with "…\u{605}~").
            reason = "ends with a character that would merge with the operator or comma after it"
        } else if last == UInt8(ascii: "~") && grammar == .rapiq2 {
            reason = "ends with '~', which the server reads as a pattern"
        } else if value.lowercased() == "null" {
            reason = "is 'null', which the server reads as the null test (use .isNull)"
        } else if grammar == .rapiq2 && Self.hasOuterWhitespace(value) {
            reason = "starts or ends with white space, which the server trims"
        } else {
            reason = nil
        }
        if let reason {
            throw HubClientError(
                .invalidFilter, "filter '\(key)': the \(what) value \(reason); use .raw to send it as is")
        }
    }

    /// White space the server's trim would remove, by Character (as Swift trims) or by scalar
    /// (as JavaScript's `trim` does).
    static func hasOuterWhitespace(_ value: String) -> Bool {
        guard let first = value.first, let last = value.last, let firstScalar = value.unicodeScalars.first,
            let lastScalar = value.unicodeScalars.last
        else { return false }
        return first.isWhitespace || last.isWhitespace || firstScalar.properties.isWhitespace
            || lastScalar.properties.isWhitespace
    }

    /// Whether `scalar` joins the character after it into one Character (Unicode's prepended
    /// concatenation marks): asked of Swift's own grapheme rules, which expose no such property.
    static func joinsNext(_ scalar: Unicode.Scalar) -> Bool {
        var pair = String(scalar)
        pair.append("~")
        return pair.count == 1
    }

    /// Whether `scalar` joins the character before it (combining marks, ZWJ, variation selectors).
    static func extendsPrevious(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return scalar.value == 0x200D || scalar.value == 0x200C
        }
    }
}
