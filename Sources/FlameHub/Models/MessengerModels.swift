#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// Records and bodies of the messenger service (`apps/server-messenger`, Hub 0.11.5+). The types
// follow `packages/messenger-kit/src/broker/message/types.ts` at `v0.14.0`; Hub 0.12.x spells the
// same fields in snake_case (`sender_type`, `created_at`), which the decoder reads as well.

/// The kind of identity that sends or receives a message (`MessagePartyKind` of the messenger kit).
public enum MessagePartyKind: String, Codable, Sendable, Hashable, CaseIterable {
    case user
    case robot
    case client
}

/// A sender or recipient: an authup identity by kind and subject id.
public struct MessageParty: Codable, Sendable, Hashable {
    /// The identity's kind.
    public var type: MessagePartyKind
    /// The identity's authup subject id.
    public var id: UUID

    /// A party of kind `type` with subject id `id`.
    public init(type: MessagePartyKind, id: UUID) {
        self.type = type
        self.id = id
    }

    /// A user.
    public static func user(_ id: UUID) -> MessageParty { MessageParty(type: .user, id: id) }
    /// A robot (legacy machine identity).
    public static func robot(_ id: UUID) -> MessageParty { MessageParty(type: .robot, id: id) }
    /// An OAuth2 client (machine identity of transitional and current Hubs).
    public static func client(_ id: UUID) -> MessageParty { MessageParty(type: .client, id: id) }

    // The subject id is written in lower case: the messenger compares recipient ids as strings.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(id.lowercasedString, forKey: .id)
    }
}

/// A pending message as `GET /messages` returns it: one row of the recipient's mailbox, kept
/// until the recipient acknowledges it (delete-on-ack) or its 24-hour lifetime ends.
///
/// ``id`` is the acknowledgement key and the key to recognise a message delivered twice
/// (delivery is at least once).
public struct Message: HubModel {
    public var id: UUID
    public var senderType: MessagePartyKind
    public var senderId: UUID
    public var recipientType: MessagePartyKind
    public var recipientId: UUID
    /// The opaque payload (`null`, a string or an object); for analysis messaging it is base64
    /// end-to-end ciphertext. The Hub never reads it.
    public var data: JSONValue?
    /// Free-form, non-secret metadata stored verbatim (`analysisId` scopes analysis messages).
    public var metadata: [String: JSONValue]?
    public var createdAt: Date

    /// Who sent the message.
    public var sender: MessageParty { MessageParty(type: senderType, id: senderId) }
    /// Whom the message is addressed to (the caller of the pull).
    public var recipient: MessageParty { MessageParty(type: recipientType, id: recipientId) }
}

/// The body of `POST /messages`: one payload for one or more recipients. The sender is the
/// authenticated identity; the messenger stores one message per recipient.
///
/// End-to-end encrypted payloads are encrypted per recipient, so such messages are sent one
/// request per recipient.
public struct SendMessage: Codable, Sendable, Hashable {
    /// At least one.
    public var recipients: [MessageParty]
    /// The payload, stored verbatim.
    public var data: JSONValue?
    /// Metadata, stored verbatim (keys are sent as given, never re-cased).
    public var metadata: [String: JSONValue]?

    /// A message with `data` and `metadata` for `recipients`.
    public init(to recipients: [MessageParty], data: JSONValue? = nil, metadata: [String: JSONValue]? = nil) {
        self.recipients = recipients
        self.data = data
        self.metadata = metadata
    }
}

/// The body of `POST /messages/ack`.
struct AcknowledgeMessages: Codable, Sendable, Hashable {
    var ids: [String]
}

/// `{"data": [...]}` answers of send and ack.
struct MessengerIDList: Decodable {
    var data: [UUID]?
}

/// `{"messages": [...]}`, the answer of `GET /messages`.
struct MessagePullAnswer: Decodable {
    var messages: [Message]?
}
