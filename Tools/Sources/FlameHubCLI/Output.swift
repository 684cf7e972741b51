import FlameHub

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What a command prints on stdout: an aligned table (the default), one JSON document
/// (`--json`: the SDK's models encoded as they are, keys sorted), or ids only (`--quiet`).
struct Output {
    enum Mode {
        case table, json, quiet
    }

    let mode: Mode
    let stream = OutputStream.standardOutput

    /// Dates as the Hub writes them (`2025-05-05T10:11:12.345Z`); keys sorted so that the same
    /// record always prints the same bytes.
    static func encoder(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
        }
        return encoder
    }

    static func json(_ value: some Encodable, pretty: Bool) throws -> String {
        String(decoding: try encoded(value, pretty: pretty), as: UTF8.self)
    }

    /// The top-level fields of `value`'s JSON encoding.
    static func fields(_ value: some Encodable) throws -> [String: JSONValue] {
        let data = Data(try encoded(value, pretty: false))
        guard case .object(let members) = try JSONDecoder().decode(JSONValue.self, from: data) else { return [:] }
        return members
    }

    /// The encoding of `value`, with ids in lowercase as the Hub writes them (Foundation writes
    /// `UUID`s in uppercase).
    static func encoded(_ value: some Encodable, pretty: Bool) throws -> [UInt8] {
        var bytes = Array(try encoder(pretty: pretty).encode(value))
        lowercaseUUIDs(&bytes)
        return bytes
    }

    /// Lowercases every quoted string of UUID shape (`"8-4-4-4-12"` hexadecimal digits).
    static func lowercaseUUIDs(_ bytes: inout [UInt8]) {
        let quote = UInt8(ascii: "\""), dash = UInt8(ascii: "-")
        guard bytes.count >= 38 else { return }
        var index = 0
        while index + 37 < bytes.count {
            guard bytes[index] == quote, bytes[index + 37] == quote else {
                index += 1
                continue
            }
            var shaped = true
            for offset in 1...36 {
                let byte = bytes[index + offset]
                let isDash = offset == 9 || offset == 14 || offset == 19 || offset == 24
                if isDash
                    ? byte != dash
                    : !(byte >= 48 && byte <= 57 || byte >= 65 && byte <= 70 || byte >= 97 && byte <= 102)
                {
                    shaped = false
                    break
                }
            }
            if shaped {
                for offset in 1...36 where bytes[index + offset] >= 65 && bytes[index + offset] <= 70 {
                    bytes[index + offset] += 32
                }
                index += 38
            } else {
                index += 1
            }
        }
    }

    /// One record (or result object): pretty JSON, its id, or its fields one per line.
    func record(_ value: some Encodable) throws {
        switch mode {
        case .json:
            stream.write(try Self.json(value, pretty: true) + "\n")
        case .quiet:
            if let id = try Self.fields(value)["id"] { stream.write(Table.cell(id) + "\n") }
        case .table:
            let members = try Self.fields(value)
            let keys = members.keys.sorted { lhs, rhs in
                lhs == "id" ? rhs != "id" : rhs == "id" ? false : lhs < rhs
            }
            stream.write(Table.render(rows: keys.map { [$0, Table.cell(members[$0] ?? .null)] }, header: nil))
        }
    }

    /// A message for a command without a record to show (`delete`, commands): JSON gets `object`.
    func done(_ sentence: String, json object: [String: JSONValue], id: String? = nil) throws {
        switch mode {
        case .json: stream.write(try Self.json(object, pretty: true) + "\n")
        case .quiet: if let id { stream.write(id + "\n") }
        case .table: stream.write(sentence + "\n")
        }
    }

    /// Prints one page of records (see ``list(columns:framed:)``).
    func page<Record: Encodable & Sendable & Hashable>(
        _ records: ResourceList<Record>, columns: [String], framed: Bool = true
    ) throws {
        var writer = list(columns: columns, framed: framed)
        try writer.page(records.items)
        try writer.finish(meta: records.meta, showMeta: false)
    }

    /// Starts a list whose records arrive page by page; records' columns are framed by `id`
    /// and `createdAt`.
    func list(columns: [String], framed: Bool = true) -> ListWriter {
        ListWriter(output: self, columns: framed ? ["id"] + columns + ["createdAt"] : columns)
    }
}

/// Prints a list as it arrives: the table's column widths come from the first page (later
/// pages only widen a column for their own rows); JSON records are written one per line
/// inside `{"data": [...], "meta": {...}}`, so the document is valid and streamable.
struct ListWriter {
    let output: Output
    let columns: [String]
    private var widths: [Int]?
    private var count = 0
    private var started = false

    init(output: Output, columns: [String]) {
        self.output = output
        self.columns = columns
    }

    /// The JSON document is opened with the first page, so that a failed first request prints
    /// no half document.
    private mutating func start() {
        guard !started else { return }
        started = true
        if output.mode == .json { output.stream.write("{\"data\": [") }
    }

    mutating func page<Record: Encodable>(_ records: some Collection<Record>) throws {
        start()
        switch output.mode {
        case .json:
            var text = ""
            for record in records {
                text += (count == 0 ? "\n" : ",\n") + (try Output.json(record, pretty: false))
                count += 1
            }
            output.stream.write(text)
        case .quiet:
            var text = ""
            for record in records {
                if let id = try Output.fields(record)["id"] { text += Table.cell(id) + "\n" }
            }
            count += records.count
            output.stream.write(text)
        case .table:
            let rows = try records.map { record in
                let members = try Output.fields(record)
                return columns.map { Table.cell(members[$0] ?? .null) }
            }
            let header = widths == nil ? columns.map(Table.heading) : nil
            var current = widths ?? header.map { $0.map(\.count) } ?? []
            for row in rows { current = zip(current, row).map { max($0, $1.count) } }
            widths = current
            output.stream.write(Table.render(rows: rows, header: header, widths: current))
            count += rows.count
        }
    }

    /// Ends the list; `meta` is printed under the table with `--meta`, and always in JSON.
    mutating func finish(meta: ListMeta, showMeta: Bool) throws {
        start()
        switch output.mode {
        case .json:
            output.stream.write((count == 0 ? "" : "\n") + "], \"meta\": \(try Output.json(meta, pretty: false))}\n")
        case .quiet:
            break
        case .table:
            if widths == nil { output.stream.write(Table.render(rows: [], header: columns.map(Table.heading))) }
            if showMeta {
                let parts = [("total", meta.total), ("limit", meta.limit), ("offset", meta.offset)].compactMap {
                    name, value in
                    value.map { "\(name): \($0)" }
                }
                output.stream.write(parts.joined(separator: ", ") + "\n")
            }
        }
    }
}

/// Plain-text tables: cells padded to their column's width, two spaces apart.
enum Table {
    /// `createdAt` → `CREATED_AT`.
    static func heading(_ key: String) -> String {
        KeyCasing.snakeCase.convert(key).uppercased()
    }

    /// A JSON value as a cell: nested records by name (or id), lists by their size, null as `-`.
    static func cell(_ value: JSONValue) -> String {
        switch value {
        case .null: return "-"
        case .bool(let flag): return flag ? "true" : "false"
        case .number: return value.description
        case .string(let text): return text.contains("\n") ? text.split(separator: "\n").joined(separator: " ⏎ ") : text
        case .array(let items):
            let cells = items.map(cell)
            let joined = cells.joined(separator: ",")
            return joined.count <= 60 ? joined : "[\(items.count) items]"
        case .object:
            if let name = value["name"] { return cell(name) }
            if let id = value["id"] { return cell(id) }
            return value.description
        }
    }

    static func render(rows: [[String]], header: [String]?, widths given: [Int]? = nil) -> String {
        let all = (header.map { [$0] } ?? []) + rows
        let columnCount = all.map(\.count).max() ?? 0
        var widths = given ?? Array(repeating: 0, count: columnCount)
        if given == nil {
            for row in all { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        }
        var text = ""
        for row in all {
            var line = ""
            for (index, cell) in row.enumerated() {
                if index == row.count - 1 {
                    line += cell
                } else {
                    line += cell + String(repeating: " ", count: max(0, widths[index] - cell.count) + 2)
                }
            }
            text += line + "\n"
        }
        return text
    }
}
