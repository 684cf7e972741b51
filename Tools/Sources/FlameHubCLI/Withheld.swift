import FlameHub

/// A record as the CLI prints it: its JSON fields but those its table entry withholds.
///
/// A withheld field is one the SDK type can hold but that must never reach a terminal or a
/// `--json` file, such as the private part of an authup key (`decryptionKey`, a `SecretString`
/// that encodes its plain value because request bodies send it). authup never answers it, so
/// dropping it hides nothing a user can have; should a server send it, it is still not printed.
struct Withheld<Record: Encodable>: Encodable {
    let record: Record
    let fields: [String]

    init(_ record: Record, _ fields: [String]) {
        self.record = record
        self.fields = fields
    }

    func encode(to encoder: any Encoder) throws {
        // Most entries withhold nothing: encode the record itself, byte for byte as before.
        guard !fields.isEmpty else { return try record.encode(to: encoder) }
        var members = try Output.fields(record)
        for field in fields { members[field] = nil }
        try JSONValue.object(members).encode(to: encoder)
    }
}

extension ResourceEntry {
    /// `record` without the fields this entry withholds.
    func shown<Record: Encodable>(_ record: Record) -> Withheld<Record> { Withheld(record, withheld) }
}
