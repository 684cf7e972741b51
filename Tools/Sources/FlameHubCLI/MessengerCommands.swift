import ArgumentParser
import FlameHub

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// The messenger (`/messenger/`): send, pull, acknowledge, and watch the message stream.

extension Session {
    var messenger: MessengerClient { MessengerClient(context: context(.messenger)) }
}

/// `flamehub messages …`.
struct MessagesGroup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "messages",
        abstract: "The messenger (Hub 0.11.5+): send, pull, ack and watch messages.",
        discussion: "The messenger's URL is FLAME_HUB_MESSENGER_URL, else <hub>/messenger/.",
        subcommands: [
            MessagesSendCommand.self, MessagesPullCommand.self, MessagesAckCommand.self, MessagesWatchCommand.self,
        ])
}

/// A recipient as `kind:uuid`.
struct RecipientArgument: ExpressibleByArgument {
    var party: MessageParty

    init?(argument: String) {
        let parts = argument.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let kind = MessagePartyKind(rawValue: parts[0]), let id = UUID(uuidString: parts[1])
        else { return nil }
        party = MessageParty(type: kind, id: id)
    }
}

/// `flamehub messages send --to user:UUID DATA`.
struct MessagesSendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send", abstract: "Send a message to one or more recipients (never repeated on failure).")

    @Option(name: .customLong("to"), help: "A recipient as user:ID, robot:ID or client:ID (repeatable).")
    var recipients: [RecipientArgument] = []
    @Option(help: "Metadata as KEY=VALUE (repeatable), e.g. analysisId=….") var metadata: [String] = []
    @Argument(help: "The payload: a string, or JSON with --json-data.") var data: String
    @Flag(name: .customLong("json-data"), help: "Read DATA as JSON.") var jsonData = false
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if recipients.isEmpty { throw ValidationError("name at least one recipient with --to") }
        if metadata.contains(where: { !$0.contains("=") }) { throw ValidationError("metadata is KEY=VALUE") }
    }

    func run() async throws {
        let payload: JSONValue
        if jsonData {
            do {
                payload = try JSONDecoder().decode(JSONValue.self, from: Data(data.utf8))
            } catch {
                throw ValidationError("DATA is not JSON: \(error)")
            }
        } else {
            payload = .string(data)
        }
        var fields: [String: JSONValue] = [:]
        for pair in metadata {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            fields[parts[0]] = .string(parts.count > 1 ? parts[1] : "")
        }
        try await Session.run(global) { session in
            let ids = try await session.messenger.send(
                payload, metadata: fields.isEmpty ? nil : fields, to: recipients.map(\.party))
            let texts = ids.map { $0.uuidString.lowercased() }
            try session.output.done(
                "sent \(texts.joined(separator: ", "))", json: ["data": .array(texts.map(JSONValue.string))],
                id: texts.joined(separator: "\n"))
        }
    }
}

/// `flamehub messages pull [--limit N] [--wait SECONDS]`.
struct MessagesPullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull", abstract: "Print your pending messages, oldest first (they stay until acknowledged).")

    @Option(help: "At most this many (server default 50, at most 100).") var limit: Int?
    @Option(help: "Long poll: wait up to this many seconds (at most 30) for a message.") var wait: Int?
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await Session.run(global) { session in
            let messages = try await session.messenger.pull(limit: limit, wait: wait.map { .seconds($0) })
            try session.output.page(
                ResourceList(messages, meta: ListMeta(total: messages.count)),
                columns: ["senderType", "senderId", "data"])
        }
    }
}

/// `flamehub messages ack ID…`.
struct MessagesAckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ack", abstract: "Acknowledge (delete) messages.")

    @Argument(help: "Message ids.") var ids: [String]
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if ids.isEmpty || ids.contains(where: { UUID(uuidString: $0) == nil }) {
            throw ValidationError("name message ids (UUIDs)")
        }
    }

    func run() async throws {
        let uuids = ids.compactMap(UUID.init(uuidString:))
        try await Session.run(global) { session in
            try await session.messenger.acknowledge(uuids)
            try session.output.done(
                "acknowledged \(uuids.count) message(s)", json: ["data": .array(ids.map(JSONValue.string))])
        }
    }
}

/// `flamehub messages watch [--ack] [--count N]`.
struct MessagesWatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Print messages as they arrive (one JSON record per message), reconnecting when the stream drops.")

    @Flag(help: "Acknowledge each message once printed.") var ack = false
    @Option(help: "Stop after this many messages.") var count: Int?
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await Session.run(global) { session in
            let stream = session.messenger.messages()
            var seen = 0
            for try await message in stream {
                try session.output.record(message)
                if ack { try await stream.acknowledge([message.id]) }
                seen += 1
                if let count, seen >= count { break }
            }
        }
    }
}
