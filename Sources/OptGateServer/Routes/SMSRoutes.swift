import Crypto
import Foundation
import Hummingbird
import OptGateCore
import OptGateLedger
import OptGateScenario

/// `POST /v1/sms/inbound` (scope events:write): the SMS provider forwards replies here.
///
/// Body: JSON `{"from": "+447700900123", "body": "STOP", "id": "provider message id", "entity": "acme"}`
/// or a form post with `From`, `Body`, `MessageSid` (the field names most providers use). A reply
/// of STOP, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE or OPT OUT (any case, spaces around) opts the number out of
/// marketing texts from `entity` (from every entity when none is named), STOPALL from every entity;
/// START is recorded as a note and re-permits nothing without a fresh, valid consent. Other words
/// revoke consent when a reasonable person would read them so (47 CFR 64.1200(a)(10)): a sentence
/// that uses STOP, UNSUBSCRIBE, REVOKE or OPT OUT ("please stop texting me") opts out like the
/// keyword; one that uses only CANCEL, END or QUIT ("cancel my order") is recorded as a note for a
/// person to read and answered `review`. The answer carries the confirmation text to send back. A number OptGate does not know gets a contact of its
/// own, so that the opt-out binds if the number is imported later.
struct SMSRoutes {
    let services: ServerServices

    func register(on group: RouterGroup<APIRequestContext>) {
        group.post("sms/inbound", use: inbound)
    }

    struct Inbound {
        var from: String
        var body: String
        var id: String?
        var entity: String?
    }

    @Sendable func inbound(_ request: Request, context: APIRequestContext) async throws -> Response {
        try context.require(.eventsWrite)
        try await services.catchUp()
        let message = try await read(request)
        let phone: Identifier
        do { phone = try Identifier.phone(message.from) } catch {
            throw Problem.invalidField("from", "\(error.description) (use the E.164 form, +44...)")
        }
        if let entity = message.entity, !(try services.organisation().entityIDs.contains(entity)) {
            throw Problem.invalidField("entity", "unknown entity \"\(entity)\"")
        }
        let now = services.clock()
        let keyword = SMSKeyword(reply: message.body)
        let sentence = keyword == nil ? SMSKeyword.sentence(message.body) : nil
        let optsOut = keyword == .stop || keyword == .stopAll || sentence == .revokes
        let messageKey = message.id.map { "sms-" + $0 } ?? "sms-" + Self.digest("\(phone.value)|\(message.body)|\(now.secondsSinceEpoch)")
        let record: LedgerRecord?
        var contactID = try services.contactID(for: phone)
        let newContact = contactID == nil
        if contactID == nil { contactID = "sms-" + Self.digest(phone.value, secret: services.ledger.secret) }
        switch (keyword, sentence) {
        case (.stop?, _), (.stopAll?, _), (nil, .revokes?):
            let entity = keyword == .stopAll ? nil : message.entity
            let event = Event(id: messageKey, at: now, .optOut(OptOut(channels: [.sms], entity: entity, via: .smsStop)))
            let point = keyword == nil ? "SMS reply (an opt-out word in a sentence)" : "SMS reply"
            record = .event(contactID: contactID!, event, EventEvidence(collectionPoint: point, actor: "optgate sms inbound"))
        case (.start?, _):
            record = .note(ContactNote(contactID: contactID!, id: messageKey, at: now, text: "sms_start"))
        case (nil, .review?):
            // An opt-out word that has other meanings in a sentence: kept as evidence that it
            // arrived, for a person to read (the provider's message id finds the text).
            record = .note(ContactNote(contactID: contactID!, id: messageKey, at: now, text: "sms_review"))
        case (nil, .none?), (nil, nil):
            record = nil
        }
        if let record {
            let id = contactID!
            let profile = ContactProfile(id: id, jurisdiction: nil, identifiers: [phone])
            let appended = try await services.committer.write { session, _ -> Bool in
                if newContact { _ = try session.append(.contact(profile)) }
                if let key = record.entryID, try session.entry(recordedUnder: key) != nil { return false }
                _ = try session.append(record)
                return true
            }
            if appended, sentence == .review { services.metrics.smsReviewNoted() }
            if optsOut {
                services.metrics.eventRecorded(type: "opt_out")
                services.metrics.unsubscribed(route: "sms")
            }
        }
        let action: String
        let reply: String?
        if optsOut {
            (action, reply) = ("opted_out", services.configuration.smsStopReply)
        } else if keyword == .start {
            (action, reply) = ("start_noted", services.configuration.smsStartReply)
        } else {
            (action, reply) = (sentence == .review ? "review" : "none", nil)
        }
        var members: [(String, String)] = [("action", JSONWriter.quoted(action))]
        if record != nil { members.append(("contact", JSONWriter.quoted(contactID!))) }
        if let reply { members.append(("reply", JSONWriter.quoted(reply))) }
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: JSONWriter(pretty: false).object(members))))
    }

    private func read(_ request: Request) async throws -> Inbound {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        if type.hasPrefix("application/x-www-form-urlencoded") || type.hasPrefix("multipart/form-data") {
            let form = FormBody(bytes: try await request.bodyBytes(limit: 64 * 1024), contentType: request.headers[.contentType])
            guard let from = form.first("From") ?? form.first("from") else { throw Problem.invalidField("From", "missing: the number that replied") }
            let body = form.first("Body") ?? form.first("body") ?? form.first("text") ?? ""
            let id = form.first("MessageSid") ?? form.first("id")
            return Inbound(from: from, body: body, id: id, entity: form.first("entity"))
        }
        let value = try await request.jsonBody(limit: 64 * 1024)
        let d = Diagnostics()
        guard var object = ObjectReader(value, path: "", d) else { throw Problem.invalid(d.problems) }
        let from = object.required("from", "the number that replied, E.164").flatMap { Read.string($0, "from", d) }
        let body = object.required("body", "the text of the reply").flatMap { Read.string($0, "body", d) }
        let id = object.member("id").flatMap { Read.string($0, "id", d) }
        let entity = object.member("entity").flatMap { Read.string($0, "entity", d) }
        object.rejectUnknown(allowed: ["from", "body", "id", "entity"])
        guard d.isEmpty, let from, let body else { throw Problem.invalid(d.problems) }
        return Inbound(from: from, body: body, id: id, entity: entity)
    }

    private static func digest(_ text: String, secret: LedgerSecret? = nil) -> String {
        let bytes: Data = secret.map { $0.authenticationCode(for: Data(text.utf8), purpose: "optgate sms contact") }
            ?? Data(SHA256.hash(data: Data(text.utf8)))
        return Hex.string(bytes.prefix(12))
    }
}
