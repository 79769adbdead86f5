import Hummingbird
import NIOCore
import OptGateCore
import OptGateLedger
import OptGateScenario

/// Decisions: `POST /v1/decisions` (one) and `POST /v1/decisions/batch` (NDJSON in, NDJSON out,
/// streamed). A request names the contact (`contact`, `email` or `phone`) and the message of the
/// contract; `at` replays a past moment; `message_id` marks a decision for an actual send, which is
/// recorded in the ledger as evidence (once per message and contact: asking again returns it).
struct DecisionRoutes {
    let services: ServerServices
    /// Lines decided between two recordings in a batch.
    static let batchChunk = 256

    func register(on group: RouterGroup<APIRequestContext>) {
        group.post("decisions", use: decide)
        group.post("decisions/batch", use: decideBatch)
    }

    /// A request as read and checked against the organisation as it stands.
    struct DecisionRequest: Sendable, Equatable {
        var contact: ContactLookup
        var message: Message
        var at: Timestamp?
        var messageID: String?
    }

    /// The decision for one request, ready to answer (and to record when it has a message id).
    struct Answer: Sendable {
        var contactID: String
        var at: Timestamp
        var message: Message
        var messageID: String?
        var decision: Decision?
        var recorded: DecisionRecord?
        var seq: Int64?

        /// The answer's JSON, written straight into one string (this is the hottest path).
        var json: String {
            var out = ""
            out.reserveCapacity(1024)
            out += "{\"contact\":"
            JSONWriter.appendQuoted(contactID, to: &out)
            out += ",\"at\":\""
            out += at.rfc3339
            out += "\""
            if let messageID {
                out += ",\"message_id\":"
                JSONWriter.appendQuoted(messageID, to: &out)
            }
            if let seq { out += ",\"recorded_seq\":\(seq)" }
            if let recorded, decision == nil {
                for (key, value) in DecisionRoutes.members(recorded) { out += ",\"\(key)\":" + value }
            } else if let decision {
                out += ","
                DecisionEncoder.appendMembers(decision, to: &out)
            }
            out += "}"
            return out
        }
    }

    @Sendable func decide(_ request: Request, context: APIRequestContext) async throws -> Response {
        try context.require(.decisionsRead)
        let bytes = try await request.bodyBytes(limit: services.configuration.maxBodyBytes)
        try await services.catchUp()
        var answer = try answer(try read(bytes))
        if answer.messageID != nil {
            answer = try await record([answer])[0]
        }
        return json(answer.json)
    }

    @Sendable func decideBatch(_ request: Request, context: APIRequestContext) async throws -> Response {
        try context.require(.decisionsRead)
        let services = services
        let limit = services.configuration.maxBatchDecisions
        let lineLimit = services.configuration.maxBodyBytes
        return Response(
            status: .ok, headers: [.contentType: "application/x-ndjson"],
            body: ResponseBody { writer in
                var splitter = LineSplitter(maxLine: lineLimit)
                var pending: [(line: Int, result: Result<Answer, Problem>)] = []
                var count = 0
                func flush() async throws {
                    let toRecord = pending.compactMap { if case .success(let a) = $0.result, a.messageID != nil { return a } else { return nil } }
                    var recorded = toRecord.isEmpty ? [] : try await record(toRecord)
                    var buffer = ByteBuffer()
                    for (line, result) in pending {
                        switch result {
                        case .success(var answer):
                            if answer.messageID != nil { answer = recorded.removeFirst() }
                            buffer.writeString("{\"line\":\(line)," + answer.json.dropFirst() + "\n")
                        case .failure(let problem):
                            buffer.writeString("{\"line\":\(line),\"error\":\(problem.json)}\n")
                        }
                    }
                    pending.removeAll(keepingCapacity: true)
                    try await writer.write(buffer)
                }
                func handle(_ number: Int, _ bytes: ArraySlice<UInt8>) async throws {
                    count += 1
                    // On a shared ledger: what other servers appended, once per chunk of lines.
                    if pending.isEmpty { try await services.catchUp() }
                    guard count <= limit else {
                        throw Problem.tooLarge("a decision batch holds at most \(limit) lines (see --max-batch-decisions)")
                    }
                    do {
                        let line = Array(bytes)
                        let request: DecisionRequest
                        if let direct = DirectDecisionRequest.read(line, organisation: try services.organisation()) {
                            request = direct
                        } else {
                            switch parseJSON(line) {
                            case .success(let value): request = try parse(value)
                            case .failure(let error):
                                throw Problem.invalid("invalid JSON: \(error.message)", [.init(field: "", line: number, column: error.position.column, detail: "invalid JSON: \(error.message)")])
                            }
                        }
                        pending.append((number, .success(try answer(request))))
                    } catch let problem as Problem {
                        pending.append((number, .failure(problem)))
                    }
                    if pending.count >= Self.batchChunk { try await flush() }
                }
                do {
                    for try await buffer in request.body {
                        for (number, line) in try splitter.feed(buffer.readableBytesView) { try await handle(number, line) }
                    }
                    if let (number, line) = splitter.finish() { try await handle(number, line) }
                    try await flush()
                } catch let problem as Problem {
                    try await flush()
                    try await writer.write(ByteBuffer(string: "{\"error\":\(problem.json)}\n"))
                }
                try await writer.finish(nil)
            })
    }

    // MARK: Reading a request

    private static let fields = ["contact", "email", "phone", "message", "at", "message_id"]

    /// The request in a body: read directly when it has one of the usual shapes, else by the full
    /// reader, which names every problem.
    func read(_ bytes: [UInt8]) throws -> DecisionRequest {
        if let request = DirectDecisionRequest.read(bytes, organisation: try services.organisation()) { return request }
        return try parse(try Request.json(bytes))
    }

    func parse(_ value: JSONValue) throws -> DecisionRequest {
        let d = Diagnostics()
        guard var object = ObjectReader(value, path: "", d) else { throw Problem.invalid(d.problems) }
        let contact = ContactLookup.read(&object, d)
        var message: Message?
        if let value = object.required("message", "the message of the contract") {
            let organisation = try services.organisation()
            message = ScenarioDecoder.message(value, entityIDs: organisation.entityIDs, productIDs: organisation.productIDs, d)
        }
        let at = object.member("at").flatMap { Read.timestamp($0, "at", d) }
        let messageID = object.member("message_id").flatMap { Read.string($0, "message_id", d) }
        if let messageID, messageID.isEmpty { d.report("message_id", nil, "must not be empty") }
        if at != nil, messageID != nil, let value = object.member("at") {
            d.report("at", value.position, "a decision for a send (with message_id) is made now: omit at")
        }
        object.rejectUnknown(allowed: Self.fields)
        guard d.isEmpty, let contact, let message else { throw Problem.invalid(d.problems) }
        return DecisionRequest(contact: contact, message: message, at: at, messageID: messageID)
    }

    // MARK: Deciding and recording

    private func answer(_ request: DecisionRequest) throws -> Answer {
        let contactID = try request.contact.resolve(in: services)
        let timeline: ContactTimeline
        let organisation: OrganisationHistory
        do { (timeline, organisation) = try services.timeline(contactID) } catch LedgerError.unknownContact {
            throw Problem.notFound("no contact \"\(contactID)\"")
        }
        let message = request.message
        let at = request.at ?? services.clock()
        let decision = timeline.decide(message, at: at, organisation: organisation.organisation(at: at), engine: services.ledger.engine)
        services.metrics.decision(allowed: decision.allowed, basis: decision.basis)
        return Answer(contactID: contactID, at: at, message: message, messageID: request.messageID, decision: decision)
    }

    /// Records the decisions of `answers` (each with a message id) in one transaction. A message
    /// and contact already recorded keep their first decision, which is answered instead.
    private func record(_ answers: [Answer]) async throws -> [Answer] {
        do {
            return try await services.committer.write { session, _ in
                try answers.map { answer in
                    var answer = answer
                    let record = DecisionRecord(
                        contactID: answer.contactID, messageID: answer.messageID!, decidedAt: answer.at, message: answer.message,
                        decision: answer.decision!)
                    let key = LedgerRecord.decision(record).entryID!
                    if let existing = try session.entry(recordedUnder: key),
                       case .decision(let earlier) = try RecordCodec.decode(kind: .decision, body: existing.body, personalData: nil)
                    {
                        answer.decision = nil
                        answer.recorded = earlier
                        answer.at = earlier.decidedAt
                        answer.seq = existing.seq
                        return answer
                    }
                    guard case .appended(let seq) = try session.append(.decision(record)) else {
                        throw LedgerError.corrupt("a decision was refused as a duplicate after its key was found free")
                    }
                    answer.recorded = record
                    answer.seq = seq
                    return answer
                }
            }
        } catch {
            throw Problem.from(error)
        }
    }

    static func members(_ r: DecisionRecord) -> [(String, String)] {
        let w = JSONWriter(pretty: false)
        return [
            ("allowed", r.allowed ? "true" : "false"),
            ("basis", r.basis.map { JSONWriter.quoted($0.rawValue) } ?? "null"),
            ("reasons", w.array(r.reasons.map {
                w.object([("code", JSONWriter.quoted($0.code)), ("rule", JSONWriter.quoted($0.rule)),
                          ("rule_id", JSONWriter.quoted($0.ruleID)), ("detail", JSONWriter.quoted($0.detail))])
            })),
            ("requirements", w.array(r.requirements.map(JSONWriter.quoted))),
            ("valid_until", r.validUntil.map { JSONWriter.quoted($0.rfc3339) } ?? "null"),
            ("rules", JSONWriter.quoted(r.rules)),
        ]
    }
}

/// How a request names its contact: by id, or by email or phone (looked up by keyed hash).
enum ContactLookup: Sendable, Equatable {
    case id(String)
    case identifier(Identifier)

    static func read(_ object: inout ObjectReader, _ d: Diagnostics) -> ContactLookup? {
        let id = object.member("contact").flatMap { Read.string($0, "contact", d) }
        let email = object.member("email")
        let phone = object.member("phone")
        let given = [id != nil, email != nil, phone != nil].filter { $0 }.count
        guard given == 1 else {
            d.report("contact", object.value.position, given == 0 ? "name the contact by contact, email or phone" : "name the contact by only one of contact, email or phone")
            return nil
        }
        if let id { return .id(id) }
        if let email, let text = Read.string(email, "email", d) {
            do { return .identifier(try Identifier.email(text)) } catch {
                d.report("email", email.position, error.description)
            }
        }
        if let phone, let text = Read.string(phone, "phone", d) {
            do { return .identifier(try Identifier.phone(text)) } catch {
                d.report("phone", phone.position, error.description + " (use the E.164 form, +44...)")
            }
        }
        return nil
    }

    /// The contact's id; 404 when the ledger holds no such contact.
    func resolve(in services: ServerServices) throws -> String {
        switch self {
        case .id(let id): return id
        case .identifier(let identifier):
            guard let id = try services.contactID(for: identifier) else {
                throw Problem.notFound("no contact has this \(identifier.kind.rawValue): with no record of permission, do not send")
            }
            return id
        }
    }
}

/// Splits a byte stream into lines, numbering them, with a limit on a line's length.
struct LineSplitter {
    let maxLine: Int
    private var partial: [UInt8] = []
    private var number = 0

    init(maxLine: Int) { self.maxLine = maxLine }

    mutating func feed(_ bytes: ByteBufferView) throws -> [(Int, ArraySlice<UInt8>)] {
        var lines: [(Int, ArraySlice<UInt8>)] = []
        for byte in bytes {
            if byte == 0x0A {
                number += 1
                if let line = take() { lines.append((number, line)) }
            } else {
                partial.append(byte)
                if partial.count > maxLine {
                    throw Problem.tooLarge("line \(number + 1) is longer than \(maxLine) bytes")
                }
            }
        }
        return lines
    }

    mutating func finish() -> (Int, ArraySlice<UInt8>)? {
        guard !partial.isEmpty else { return nil }
        number += 1
        return take().map { (number, $0) }
    }

    private mutating func take() -> ArraySlice<UInt8>? {
        defer { partial.removeAll(keepingCapacity: true) }
        var line = partial[...]
        if line.last == 0x0D { line = line.dropLast() }
        return line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) ? nil : ArraySlice(Array(line))
    }
}
