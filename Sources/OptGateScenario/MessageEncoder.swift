import OptGateCore

/// Writes a message as the contract's JSON (the `message` of a scenario), in a fixed member order
/// with every flag written out, so that the text is canonical: the ledger hashes it in recorded
/// decisions. `on_behalf_of` is written only when present.
public enum MessageEncoder {
    public static func members(_ m: Message) -> [(String, String)] {
        var members = [
            ("from", JSONWriter.quoted(m.from)),
            ("channel", JSONWriter.quoted(m.channel.rawValue)),
            ("purpose", JSONWriter.quoted(m.purpose.rawValue)),
            ("products", "[" + m.products.map(JSONWriter.quoted).joined(separator: ",") + "]"),
            ("includes_opt_out", m.includesOptOut ? "true" : "false"),
            ("identifies_sender", m.identifiesSender ? "true" : "false"),
            ("solicited", m.solicited ? "true" : "false"),
            ("relevant_to_role", m.relevantToRole ? "true" : "false"),
        ]
        if let other = m.onBehalfOf { members.insert(("on_behalf_of", JSONWriter.quoted(other)), at: 4) }
        return members
    }

    public static func json(_ message: Message) -> String {
        JSONWriter(pretty: false).object(members(message))
    }
}
