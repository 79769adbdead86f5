import Foundation
import Hummingbird
import OptGateCore
import OptGateLedger
import OptGateScenario

/// Recording: `POST /v1/events` (one event), `POST /v1/events/batch` (a JSON array or NDJSON of
/// records, one transaction) and `POST /v1/contacts` (a contact's profile). Records have exactly
/// the shape of `optgate import` NDJSON lines, with the same checks; a write is answered once it is
/// on disk.
struct EventRoutes {
    let services: ServerServices
    var intake: RecordIntake { RecordIntake(services: services) }

    func register(on group: RouterGroup<APIRequestContext>) {
        group.post("events", use: recordEvent)
        group.post("events/batch", use: recordBatch)
        group.post("contacts", use: recordContact)
    }

    @Sendable func recordEvent(_ request: Request, context: APIRequestContext) async throws -> Response {
        try context.require(.eventsWrite)
        let bytes = try await request.bodyBytes(limit: services.configuration.maxBodyBytes)
        // Plain events are read straight from their bytes; anything else, and every problem, by the
        // full reader, which names the field, line and column.
        let line = try bytes.withUnsafeBufferPointer { DirectLineDecoder.event($0, line: 1) }
            ?? intake.decode(try Request.json(bytes), line: 1, path: "", allowed: ["event"], defaultRecord: "event")
        let outcomes = try await intake.record([line])
        let event = outcomes.last { $0.record == "event" } ?? outcomes.last!
        return json(event.json, status: intake.created(outcomes) ? .created : .ok)
    }

    @Sendable func recordContact(_ request: Request, context: APIRequestContext) async throws -> Response {
        try context.require(.eventsWrite)
        let value = try await request.jsonBody(limit: services.configuration.maxBodyBytes)
        let line = try intake.decode(value, line: 1, path: "", allowed: ["contact"], defaultRecord: "contact")
        let outcomes = try await intake.record([line])
        return json(outcomes[0].json, status: intake.created(outcomes) ? .created : .ok)
    }

    @Sendable func recordBatch(_ request: Request, context: APIRequestContext) async throws -> Response {
        try context.require(.eventsWrite)
        let limit = services.configuration.maxBatchRecords
        var lines: [ImportLine] = []
        var problems: [Problem.FieldError] = []
        func add(_ value: JSONValue, line: Int, path: String) {
            do {
                lines.append(try intake.decode(value, line: line, path: path, allowed: nil, defaultRecord: nil))
            } catch let problem as Problem {
                problems += problem.errors
            } catch {}
        }
        let bytes = try await request.bodyBytes(limit: services.configuration.maxBodyBytes)
        if request.isNDJSON {
            // The same reader as `optgate import`: the same lines, the same problems.
            var reader = NDJSONReader(data: Data(bytes))
            var count = 0
            while let line = reader.next() {
                count += 1
                guard count <= limit else { throw Problem.tooLarge("a batch holds at most \(limit) records (see --max-batch-records)") }
                do { lines.append(try intake.checked(line, path: "")) } catch let problem as Problem { problems += problem.errors }
            }
        } else {
            let value: JSONValue
            switch parseJSON(bytes) {
            case .success(let parsed): value = parsed
            case .failure(let error):
                throw Problem.invalid("the body is not valid JSON: \(error.message)", [
                    .init(field: "", line: error.position.line, column: error.position.column, detail: "invalid JSON: \(error.message)"),
                ])
            }
            guard case .array(let elements) = value.kind else {
                throw Problem.invalidField("", "a batch is a JSON array of records, or NDJSON with Content-Type application/x-ndjson")
            }
            guard elements.count <= limit else { throw Problem.tooLarge("a batch holds at most \(limit) records (see --max-batch-records)") }
            for (index, element) in elements.enumerated() { add(element, line: element.position.line, path: "[\(index)]") }
        }
        guard problems.isEmpty else {
            throw Problem.invalid("\(problems.count) problem\(problems.count == 1 ? "" : "s") in the batch; nothing was recorded", problems)
        }
        guard !lines.isEmpty else { throw Problem.invalidField("", "the batch is empty") }
        if lines.contains(where: { $0.items.contains { if case .organisation = $0 { return true } else { return false } } }) {
            try context.require(.organisationWrite)
        }
        let outcomes = try await intake.record(lines)
        let appended = outcomes.filter { if case .appended = $0.recorded.outcome { return true } else { return false } }.count
        let duplicates = outcomes.filter { if case .duplicate = $0.recorded.outcome { return true } else { return false } }.count
        var body = "{\"appended\":\(appended),\"duplicates\":\(duplicates),\"results\":["
        body.reserveCapacity(64 + 112 * outcomes.count)
        for (index, outcome) in outcomes.enumerated() {
            if index > 0 { body.append(",") }
            outcome.append(to: &body)
        }
        body.append("]}")
        return json(body, status: appended > 0 ? .created : .ok)
    }
}

/// Parses JSON text, with the error as a value.
func parseJSON(_ bytes: [UInt8]) -> Result<JSONValue, JSONParser.SyntaxError> {
    do { return .success(try JSONParser.parse(bytes)) } catch { return .failure(error) }
}

/// A JSON response.
func json(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
    var buffer = ByteBufferAllocator().buffer(capacity: body.utf8.count + 1)
    buffer.writeString(body)
    buffer.writeInteger(UInt8(ascii: "\n"))
    return Response(status: status, headers: jsonHeaders, body: ResponseBody(byteBuffer: buffer))
}

/// The headers of a JSON response, built once (every decision's answer has them).
private let jsonHeaders: HTTPFields = [.contentType: "application/json"]
