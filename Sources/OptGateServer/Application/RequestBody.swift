import Hummingbird
import OptGateCore
import OptGateScenario

/// Reading request bodies: size-limited, parsed by OptGate's own JSON parser so that every error
/// names its line and column.
extension Request {
    /// The whole body, refused with 413 beyond `limit` bytes.
    func bodyBytes(limit: Int) async throws -> [UInt8] {
        do {
            let buffer = try await body.collect(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch let error as HTTPResponseError where error.status == .contentTooLarge {
            throw Problem.tooLarge("the body is larger than \(limit) bytes (the server's limit; see --max-body-bytes)")
        }
    }

    /// The body as one JSON value.
    func jsonBody(limit: Int) async throws -> JSONValue {
        try Self.json(try await bodyBytes(limit: limit))
    }

    /// `bytes` (a whole body) as one JSON value; 422 naming the line and column of a syntax error.
    static func json(_ bytes: [UInt8]) throws -> JSONValue {
        guard !bytes.isEmpty else { throw Problem.invalidField("", "the body is empty: a JSON object is expected") }
        switch parseJSON(bytes) {
        case .success(let value):
            return value
        case .failure(let error):
            throw Problem.invalid(
                "the body is not valid JSON: \(error.message) at line \(error.position.line), column \(error.position.column)",
                [Problem.FieldError(field: "", line: error.position.line, column: error.position.column, detail: "invalid JSON: \(error.message)")])
        }
    }

    /// The `at` query parameter (RFC 3339), or `now` when absent; 422 naming `at` when malformed.
    func instant(default now: Timestamp) throws -> Timestamp {
        guard let text = uri.queryParameters["at"] else { return now }
        do { return try Timestamp(rfc3339: String(text)) } catch {
            throw Problem.invalidField("at", "\(error)")
        }
    }

    /// Whether the body is NDJSON (one JSON value per line) by its content type.
    var isNDJSON: Bool {
        guard let type = headers[.contentType]?.lowercased() else { return false }
        return type.hasPrefix("application/x-ndjson") || type.hasPrefix("application/ndjson") || type.hasPrefix("application/jsonl")
    }
}

extension Problem {
    /// Problems found by a decoder, as one 422 answer.
    static func invalid(_ problems: [ScenarioError.Problem]) -> Problem {
        let errors = problems.map {
            FieldError(field: $0.path, line: $0.position?.line, column: $0.position?.column, detail: $0.message)
        }
        let first = problems.first.map { ($0.path.isEmpty ? "" : $0.path + ": ") + $0.message } ?? "invalid request"
        return invalid(problems.count == 1 ? first : "\(first) (and \(problems.count - 1) more)", errors)
    }
}
