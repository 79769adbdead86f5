import Foundation
import Hummingbird
import OptGateCore
import OptGateLedger
import OptGateScenario

/// The campaign check over the API (scope decisions:read):
///
///     POST /v1/campaigns/check   NDJSON in: a first line with the `message` (and optionally
///                                `campaign_id`, `record`), then one recipient per line
///                                (`email`, `phone` or `contact`); NDJSON out, streamed: one verdict
///                                per recipient in order, then a `summary` line
///     GET  /v1/campaigns/{id}    a recorded campaign check (scope evidence:read)
///
/// Verdicts are the single decision's, from the server's in-memory timelines; memory stays bounded
/// whatever the audience. With `"record": true` the check is kept in the ledger as the campaign's
/// evidence, once per `campaign_id`.
struct CampaignRoutes {
    let services: ServerServices

    func register(on group: RouterGroup<APIRequestContext>) {
        group.post("campaigns/check", use: check)
        group.get("campaigns/{id}", use: recorded)
    }

    struct Header: Sendable {
        var message: Message
        var campaignID: String?
        var record: Bool
    }

    static let chunk = 512

    @Sendable func check(_ request: Request, context: APIRequestContext) async throws -> Response {
        try context.require(.decisionsRead)
        try await services.catchUp()
        let services = services
        let limit = services.configuration.maxBatchDecisions
        return Response(
            status: .ok, headers: [.contentType: "application/x-ndjson"],
            body: ResponseBody { writer in
                var splitter = LineSplitter(maxLine: services.configuration.maxBodyBytes)
                var header: Header?
                var rows: [AudienceReader.Row] = []
                var summary = CampaignSummary()
                let now = services.clock()
                var links: LinkSealer?
                func flush() async throws {
                    guard let header, !rows.isEmpty else { return }
                    var buffer = ByteBuffer()
                    let organisation = try services.organisation().organisation(at: now)
                    for row in rows {
                        let verdict = try CampaignFilter.verdict(
                            row, message: header.message, at: now, organisation: organisation, engine: services.ledger.engine
                        ) { lookup in
                            try resolve(lookup)
                        } timeline: { contactID in
                            try services.timeline(contactID).0
                        }
                        summary.add(verdict, now: now)
                        buffer.writeString(try line(verdict, header: header, sealer: &links, now: now) + "\n")
                    }
                    rows.removeAll(keepingCapacity: true)
                    try await writer.write(buffer)
                }
                func handle(_ number: Int, _ bytes: ArraySlice<UInt8>) async throws {
                    let value: JSONValue
                    switch parseJSON(Array(bytes)) {
                    case .success(let parsed): value = parsed
                    case .failure(let error):
                        throw Problem.invalid("line \(number): invalid JSON: \(error.message)",
                                              [.init(field: "", line: number, column: error.position.column, detail: "invalid JSON: \(error.message)")])
                    }
                    guard header != nil else {
                        header = try readHeader(value, line: number)
                        return
                    }
                    guard summary.recipients + rows.count < limit else {
                        throw Problem.tooLarge("a campaign check holds at most \(limit) recipients (see --max-batch-decisions)")
                    }
                    rows.append(try readRecipient(value, line: number))
                    if rows.count >= Self.chunk { try await flush() }
                }
                do {
                    for try await buffer in request.body {
                        for (number, line) in try splitter.feed(buffer.readableBytesView) { try await handle(number, line) }
                    }
                    if let (number, line) = splitter.finish() { try await handle(number, line) }
                    guard let header else { throw Problem.invalidField("", "the body is empty: the first line is the campaign's message") }
                    try await flush()
                    var members = summary.members
                    if let id = header.campaignID { members.insert(("campaign_id", JSONWriter.quoted(id)), at: 0) }
                    members.insert(("at", JSONWriter.quoted(now.rfc3339)), at: 0)
                    if header.record, let id = header.campaignID {
                        let record = CampaignRecord(campaignID: id, checkedAt: now, message: header.message, summary: summary)
                        let outcome = try await services.committer.write { session, _ in
                            if let earlier = try session.entry(recordedUnder: "campaign:" + id) { return Ledger.Outcome.duplicate(seq: earlier.seq) }
                            return try session.append(.campaign(record))
                        }
                        switch outcome {
                        case .appended(let seq): members.append(("recorded_seq", String(seq)))
                        case .duplicate(let seq): members.append(("already_recorded_seq", String(seq)))
                        }
                    }
                    try await writer.write(ByteBuffer(string: "{\"summary\":" + JSONWriter(pretty: false).object(members) + "}\n"))
                } catch let problem as Problem {
                    try await flush()
                    try await writer.write(ByteBuffer(string: "{\"error\":\(problem.json)}\n"))
                }
                try await writer.finish(nil)
            })
    }

    @Sendable func recorded(_ request: Request, context: APIRequestContext) async throws -> Response {
        try context.require(.evidenceRead)
        let id = try context.parameters.require("id")
        guard let (seq, record) = try services.ledger.campaign(id: id) else { throw Problem.notFound("no campaign \"\(id)\" was recorded") }
        let encoded = RecordCodec.encode(.campaign(record)).body
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "{\"seq\":\(seq)," + encoded.dropFirst())))
    }

    // MARK: Reading

    private func readHeader(_ value: JSONValue, line: Int) throws -> Header {
        let d = Diagnostics()
        guard var object = ObjectReader(value, path: "", d) else { throw Problem.invalid(d.problems) }
        let organisation = try services.organisation()
        let message = object.required("message", "the message of the contract").flatMap {
            ScenarioDecoder.message($0, entityIDs: organisation.entityIDs, productIDs: organisation.productIDs, d)
        }
        let campaignID = object.member("campaign_id").flatMap { Read.string($0, "campaign_id", d) }
        if let campaignID, campaignID.isEmpty || campaignID.utf8.count > 200 { d.report("campaign_id", nil, "must be 1 to 200 bytes") }
        let record = object.member("record").flatMap { Read.bool($0, "record", d) } ?? false
        if record && campaignID == nil { d.report("record", nil, "a campaign is recorded under its campaign_id: give one") }
        object.rejectUnknown(allowed: ["message", "campaign_id", "record"])
        guard d.isEmpty, let message else {
            // The header is the stream's first line: errors name it.
            let errors = d.problems.map { Problem.FieldError(field: $0.path, line: line, column: $0.position?.column, detail: $0.message) }
            throw Problem.invalid("line \(line): " + (d.problems.first.map { ($0.path.isEmpty ? "" : $0.path + ": ") + $0.message } ?? "invalid"), errors)
        }
        return Header(message: message, campaignID: campaignID, record: record)
    }

    /// A recipient line; one that cannot be read is a recipient to exclude, not an error of the stream.
    private func readRecipient(_ value: JSONValue, line: Int) throws -> AudienceReader.Row {
        let d = Diagnostics()
        guard var object = ObjectReader(value, path: "", d) else {
            return AudienceReader.Row(line: line, recipient: "", lookup: .invalid("a recipient line is a JSON object"))
        }
        let lookup = ContactLookup.read(&object, d)
        object.rejectUnknown(allowed: ["contact", "email", "phone"])
        let recipient = ["email", "phone", "contact"].lazy.compactMap { key -> String? in
            guard case .object(let members) = value.kind, let v = members.first(where: { $0.key == key })?.value, case .string(let s) = v.kind else { return nil }
            return s
        }.first ?? ""
        guard d.isEmpty, let lookup else {
            return AudienceReader.Row(line: line, recipient: recipient, lookup: .invalid(d.problems.map(\.message).joined(separator: "; ")))
        }
        switch lookup {
        case .id(let id): return AudienceReader.Row(line: line, recipient: recipient, lookup: .contact(id))
        case .identifier(let identifier): return AudienceReader.Row(line: line, recipient: recipient, lookup: .identifier(identifier))
        }
    }

    private func resolve(_ lookup: AudienceReader.Lookup) throws -> CampaignFilter.Resolution {
        switch lookup {
        case .contact(let id):
            // Looked up with its timeline (from memory): an unknown id is reported unknown there.
            return .contact(id)
        case .identifier(let identifier):
            if let id = try services.contactID(for: identifier) { return .contact(id) }
            return try services.ledger.isSuppressed(identifier) ? .suppressed : .unknown
        case .invalid:
            return .unknown
        }
    }

    // MARK: Writing

    private func line(_ verdict: CampaignVerdict, header: Header, sealer: inout LinkSealer?, now: Timestamp) throws -> String {
        let w = JSONWriter(pretty: false)
        var members: [(String, String)] = [
            ("line", String(verdict.line)), ("recipient", JSONWriter.quoted(verdict.recipient)),
            ("contact", verdict.contactID.map(JSONWriter.quoted) ?? "null"), ("send", verdict.send ? "true" : "false"),
        ]
        if let decision = verdict.decision, decision.allowed {
            members += [
                ("basis", decision.basis.map { JSONWriter.quoted($0.rawValue) } ?? "null"),
                ("requirements", w.array(decision.requirements.list.map { JSONWriter.quoted($0.rawValue) })),
                ("valid_until", decision.validUntil.map { JSONWriter.quoted($0.rfc3339) } ?? "null"),
            ]
            if let contactID = verdict.contactID, header.message.channel == .email || header.message.channel == .sms {
                if sealer == nil { sealer = try services.links.current() }
                let link = try sealer!.seal(LinkToken(
                    contactID: contactID, entity: header.message.from, messageID: header.campaignID, channel: header.message.channel, issuedAt: now))
                let urls = MessageLinks(base: services.configuration.linkBase, sealed: link, channel: header.message.channel)
                var links: [(String, String)] = [
                    ("unsubscribe_url", JSONWriter.quoted(urls.unsubscribeURL)), ("preferences_url", JSONWriter.quoted(urls.preferencesURL)),
                ]
                if let value = urls.listUnsubscribe {
                    links += [("List-Unsubscribe", JSONWriter.quoted(value)), ("List-Unsubscribe-Post", JSONWriter.quoted(MessageLinks.listUnsubscribePost))]
                }
                members.append(("links", w.object(links)))
            }
        } else {
            members.append(("reasons", w.array(verdict.exclusionCodes.map(JSONWriter.quoted))))
            if let detail = verdict.exclusionDetail { members.append(("detail", JSONWriter.quoted(detail))) }
        }
        return w.object(members)
    }
}
