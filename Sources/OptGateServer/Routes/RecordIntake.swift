import Hummingbird
import OptGateCore
import OptGateLedger
import OptGateScenario

/// Turns request bodies into ledger records and writes them through the group committer: the
/// shared path of every route that records something. Records have exactly the shape of `optgate
/// import` NDJSON lines and pass the same checks; a request's records are written all or nothing.
struct RecordIntake {
    let services: ServerServices

    /// One record's outcome, as answered.
    struct Outcome: Sendable {
        var record: String
        var recorded: ItemRecorder.Recorded
        var eventID: String?
        var eventType: String?

        var status: String {
            switch recorded.outcome {
            case .appended: return recorded.createdContact ? "created" : "appended"
            case .duplicate: return "duplicate"
            case nil: return "unchanged"
            }
        }

        var json: String {
            var text = ""
            append(to: &text)
            return text
        }

        /// Appends the outcome as a compact JSON object (`record`, `status`, `seq`, `contact`, `id`),
        /// written in place: a batch answers one per record.
        func append(to text: inout String) {
            text.append("{\"record\":")
            JSONWriter.appendQuoted(record, to: &text)
            text.append(",\"status\":\"")
            text.append(status)
            text.append("\"")
            switch recorded.outcome {
            case .appended(let seq), .duplicate(let seq):
                text.append(",\"seq\":")
                text.append(String(seq))
            case nil: break
            }
            if let contact = recorded.contactID {
                text.append(",\"contact\":")
                JSONWriter.appendQuoted(contact, to: &text)
            }
            if let id = eventID {
                text.append(",\"id\":")
                JSONWriter.appendQuoted(id, to: &text)
            }
            text.append("}")
        }
    }

    /// Decodes one record; `allowed` restricts its `record` kind.
    func decode(_ value: JSONValue, line: Int, path: String, allowed: [String]?, defaultRecord: String?) throws -> ImportLine {
        if let allowed, case .object(let members) = value.kind, let kind = members.first(where: { $0.key == "record" })?.value,
           case .string(let name) = kind.kind, !allowed.contains(name)
        {
            throw Problem.invalidField(prefixed(path, "record"), "this endpoint records \(allowed.joined(separator: ", ")) records, not \"\(name)\"")
        }
        return try checked(ImportLineDecoder.items(value, line: line, defaultRecord: defaultRecord), path: path)
    }

    /// A decoded line, or its problems as one 422 answer (fields prefixed by `path`).
    func checked(_ line: ImportLine, path: String) throws -> ImportLine {
        guard line.problems.isEmpty else {
            let errors = line.problems.map {
                Problem.FieldError(field: prefixed(path, $0.field), line: $0.line, column: $0.column, detail: $0.message)
            }
            throw Problem.invalid(errors.count == 1 ? "\(errors[0].field): \(errors[0].detail)" : "\(errors.count) problems", errors)
        }
        return line
    }

    func prefixed(_ path: String, _ field: String) -> String {
        path.isEmpty ? field : field.isEmpty ? path : path + "." + field
    }

    /// Records every item of `lines` in one transaction (all or nothing) and counts the events.
    func record(_ lines: [ImportLine]) async throws -> [Outcome] {
        // The records' stored forms (canonical encoding, salted personal data) are made here, on the
        // request's thread: the single writer only checks, chains and stores them.
        var lines = lines
        for index in lines.indices { lines[index].prepare() }
        let outcomes: [Outcome]
        do {
            outcomes = try await services.committer.write { [lines] session, recorder in
                var outcomes: [Outcome] = []
                for line in lines {
                    for (index, item) in line.items.enumerated() {
                        do {
                            let recorded = try recorder.record(line, item: index, in: &session)
                            switch item {
                            case .event(_, let event, _):
                                outcomes.append(Outcome(record: "event", recorded: recorded, eventID: event.id, eventType: event.typeName))
                            case .contact:
                                outcomes.append(Outcome(record: "contact", recorded: recorded))
                            case .organisation(let record):
                                outcomes.append(Outcome(record: record.kind.rawValue, recorded: recorded, eventID: record.entryID))
                            }
                        } catch {
                            throw Problem.from(error, line: line.line)
                        }
                    }
                }
                return outcomes
            }
        } catch {
            throw Problem.from(error)
        }
        for outcome in outcomes {
            if case .appended = outcome.recorded.outcome, let type = outcome.eventType { services.metrics.eventRecorded(type: type) }
        }
        return outcomes
    }

    func created(_ outcomes: [Outcome]) -> Bool {
        outcomes.contains { if case .appended = $0.recorded.outcome { return true } else { return false } }
    }
}
