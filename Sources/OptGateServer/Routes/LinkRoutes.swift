import Hummingbird
import OptGateCore
import OptGateLedger
import OptGateScenario

/// `POST /v1/links` (scope decisions:read): for a planned send, the links and headers the message
/// must carry: the RFC 8058 pair `List-Unsubscribe` (one HTTPS URI) and `List-Unsubscribe-Post:
/// List-Unsubscribe=One-Click` for email, the unsubscribe and preference URLs for the footer, and
/// for texts the reply words that opt out.
struct LinkRoutes {
    let services: ServerServices

    func register(on group: RouterGroup<APIRequestContext>) {
        group.post("links", use: links)
    }

    private static let fields = ["contact", "email", "phone", "from", "channel", "message_id"]

    @Sendable func links(_ request: Request, context: APIRequestContext) async throws -> Response {
        try context.require(.decisionsRead)
        try await services.catchUp()
        let value = try await request.jsonBody(limit: services.configuration.maxBodyBytes)
        let d = Diagnostics()
        guard var object = ObjectReader(value, path: "", d) else { throw Problem.invalid(d.problems) }
        let contact = ContactLookup.read(&object, d)
        let organisation = try services.organisation()
        let from = object.required("from", "the sending entity").flatMap { value -> String? in
            guard let id = Read.string(value, "from", d) else { return nil }
            guard organisation.entityIDs.contains(id) else {
                d.report("from", value.position, "unknown entity \"\(id)\" (record it first: POST /v1/organisation)")
                return nil
            }
            return id
        }
        let channel = object.required("channel", "the channel of the message").flatMap {
            Read.enumeration($0, "channel", d, "channel", as: Channel.self)
        }
        let messageID = object.member("message_id").flatMap { Read.string($0, "message_id", d) }
        if let messageID, messageID.isEmpty || messageID.utf8.count > 200 { d.report("message_id", nil, "must be 1 to 200 bytes") }
        object.rejectUnknown(allowed: Self.fields)
        guard d.isEmpty, let contact, let from, let channel else { throw Problem.invalid(d.problems) }
        let contactID = try contact.resolve(in: services)
        guard try services.ledger.store.read({ try $0.contactStatus(id: contactID) }) != nil else {
            throw Problem.notFound("no contact \"\(contactID)\"")
        }
        let now = services.clock()
        let token = LinkToken(contactID: contactID, entity: from, messageID: messageID, channel: channel, issuedAt: now)
        let sealed = try services.links.current().seal(token)
        let base = services.configuration.linkBase
        let links = MessageLinks(base: base, sealed: sealed, channel: channel)
        let expires = Timestamp(secondsSinceEpoch: (token.issuedDay + Int64(services.configuration.linkValidityDays) + 1) * 86_400)
        let w = JSONWriter(pretty: false)
        var members: [(String, String)] = [
            ("contact", JSONWriter.quoted(contactID)), ("from", JSONWriter.quoted(from)), ("channel", JSONWriter.quoted(channel.rawValue)),
            ("unsubscribe_url", JSONWriter.quoted(links.unsubscribeURL)), ("preferences_url", JSONWriter.quoted(links.preferencesURL)),
            ("expires_at", JSONWriter.quoted(expires.rfc3339)),
        ]
        if let listUnsubscribe = links.listUnsubscribe {
            members.append(("headers", w.object([
                ("List-Unsubscribe", JSONWriter.quoted(listUnsubscribe)),
                ("List-Unsubscribe-Post", JSONWriter.quoted(MessageLinks.listUnsubscribePost)),
            ])))
            if !base.lowercased().hasPrefix("https://") {
                members.append(("warning", JSONWriter.quoted(
                    "public_url is not https: mailbox providers require an HTTPS List-Unsubscribe URI (RFC 8058 §3.1); set public_url")))
            }
        }
        if channel == .sms {
            members.append(("sms_footer", JSONWriter.quoted("Reply STOP to opt out")))
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: w.object(members))))
    }
}
