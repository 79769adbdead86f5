import OptGateCore

/// What an unsubscribe or preference link stands for: a contact, the entity that sent the message,
/// the message, its channel, and the day the link was made. It travels only sealed (`LinkSealer`):
/// the URL shows nothing of it.
public struct LinkToken: Hashable, Sendable {
    public var contactID: String
    /// The sending entity: the one an unsubscribe from this message opts out of.
    public var entity: String
    /// The message the link was put in, when known.
    public var messageID: String?
    public var channel: Channel
    /// The day the link was issued (days since 1970-01-01, UTC): links expire counted from it.
    public var issuedDay: Int64

    public init(contactID: String, entity: String, messageID: String? = nil, channel: Channel, issuedDay: Int64) {
        self.contactID = contactID
        self.entity = entity
        self.messageID = messageID
        self.channel = channel
        self.issuedDay = issuedDay
    }

    public init(contactID: String, entity: String, messageID: String? = nil, channel: Channel, issuedAt: Timestamp) {
        self.init(contactID: contactID, entity: entity, messageID: messageID, channel: channel,
                  issuedDay: Self.day(of: issuedAt))
    }

    static func day(of instant: Timestamp) -> Int64 {
        let seconds = instant.secondsSinceEpoch
        return seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    }

    /// Whether a link issued on `issuedDay` still works at `instant`, `validityDays` days on.
    public func isValid(at instant: Timestamp, validityDays: Int) -> Bool {
        let today = Self.day(of: instant)
        return today >= issuedDay - 1 && today <= issuedDay + Int64(validityDays)
    }

    // MARK: Binary form (what is sealed)

    /// `[format 1][issued day u32][channel u8][contact][entity][message]`, each string as a u16
    /// length and UTF-8 bytes (a missing message is length 0).
    var bytes: [UInt8] {
        var out: [UInt8] = [1]
        let day = UInt32(clamping: issuedDay)
        out += [UInt8(day >> 24), UInt8(day >> 16 & 0xFF), UInt8(day >> 8 & 0xFF), UInt8(day & 0xFF)]
        out.append(UInt8(Channel.allCases.firstIndex(of: channel)!))
        for text in [contactID, entity, messageID ?? ""] {
            let utf8 = Array(text.utf8.prefix(Int(UInt16.max)))
            out += [UInt8(utf8.count >> 8), UInt8(utf8.count & 0xFF)]
            out += utf8
        }
        return out
    }

    init?(bytes: [UInt8]) {
        var reader = ByteReader(bytes: bytes)
        guard reader.byte() == 1, let day = reader.uint32(), let channelIndex = reader.byte(),
              Int(channelIndex) < Channel.allCases.count,
              let contact = reader.string(), let entity = reader.string(), let message = reader.string(),
              reader.atEnd, !contact.isEmpty, !entity.isEmpty
        else { return nil }
        self.init(contactID: contact, entity: entity, messageID: message.isEmpty ? nil : message,
                  channel: Channel.allCases[Int(channelIndex)], issuedDay: Int64(day))
    }
}

private struct ByteReader {
    let bytes: [UInt8]
    var offset = 0

    var atEnd: Bool { offset == bytes.count }

    mutating func byte() -> UInt8? {
        guard offset < bytes.count else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uint32() -> UInt32? {
        guard bytes.count - offset >= 4 else { return nil }
        defer { offset += 4 }
        return bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func string() -> String? {
        guard let high = byte(), let low = byte() else { return nil }
        let count = Int(high) << 8 | Int(low)
        guard bytes.count - offset >= count else { return nil }
        defer { offset += count }
        return String(validating: bytes[offset..<offset + count], as: UTF8.self)
    }
}
