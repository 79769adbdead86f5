import Foundation
import Hummingbird
import OptGateScenario

/// An error answered as RFC 9457 problem details (`application/problem+json`): a type, a title, a
/// detail a person can act on and, for invalid input, every field at fault with its place.
public struct Problem: Error, HTTPResponseError, Sendable {
    /// One thing wrong with the request, at a named place.
    public struct FieldError: Sendable, Hashable {
        /// The field, as a path (`message.channel`, `events[3].at`).
        public var field: String
        /// Line (and column) in the body, for JSON bodies and NDJSON lines.
        public var line: Int?
        public var column: Int?
        public var detail: String

        public init(field: String, line: Int? = nil, column: Int? = nil, detail: String) {
            self.field = field
            self.line = line
            self.column = column
            self.detail = detail
        }
    }

    public var status: HTTPResponse.Status
    /// Short identifier of the kind of problem; the `type` member is `urn:optgate:problem:<slug>`.
    public var slug: String
    public var title: String
    public var detail: String
    public var errors: [FieldError]
    /// Seconds to wait before retrying (429).
    public var retryAfter: Int?

    public init(_ status: HTTPResponse.Status, _ slug: String, title: String, detail: String, errors: [FieldError] = [], retryAfter: Int? = nil) {
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.errors = errors
        self.retryAfter = retryAfter
    }

    public var json: String {
        let w = JSONWriter(pretty: false)
        var members: [(String, String)] = [
            ("type", JSONWriter.quoted("urn:optgate:problem:" + slug)),
            ("title", JSONWriter.quoted(title)),
            ("status", String(status.code)),
            ("detail", JSONWriter.quoted(detail)),
        ]
        if !errors.isEmpty {
            members.append(("errors", w.array(errors.map { error in
                var fields: [(String, String)] = [("field", JSONWriter.quoted(error.field))]
                if let line = error.line { fields.append(("line", String(line))) }
                if let column = error.column { fields.append(("column", String(column))) }
                fields.append(("detail", JSONWriter.quoted(error.detail)))
                return w.object(fields)
            })))
        }
        return w.object(members)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"optgate\"" }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: json + "\n")))
    }
}

extension Problem {
    static func invalid(_ detail: String, _ errors: [FieldError]) -> Problem {
        Problem(.unprocessableContent, "invalid-request", title: "The request has invalid fields", detail: detail, errors: errors)
    }

    static func invalidField(_ field: String, _ detail: String) -> Problem {
        invalid(field.isEmpty ? detail : "\(field): \(detail)", [FieldError(field: field, detail: detail)])
    }

    static func notFound(_ detail: String) -> Problem {
        Problem(.notFound, "not-found", title: "Not found", detail: detail)
    }

    static func tooLarge(_ detail: String) -> Problem {
        Problem(.contentTooLarge, "too-large", title: "The request is too large", detail: detail)
    }

    static let unauthenticated = Problem(
        .unauthorized, "unauthenticated", title: "Authentication required",
        detail: "send an API key as `Authorization: Bearer og_...` (create one with `optgate keys create`)")

    static func forbidden(_ scope: String) -> Problem {
        Problem(.forbidden, "forbidden", title: "The API key lacks a scope", detail: "this request needs an API key with the scope \(scope) (or admin)")
    }

    static func conflict(_ detail: String, field: String) -> Problem {
        Problem(.conflict, "conflict", title: "Conflicts with what the ledger holds", detail: detail, errors: [FieldError(field: field, detail: detail)])
    }

    static let unavailable = Problem(
        .serviceUnavailable, "shutting-down", title: "The server is shutting down", detail: "retry on another instance or after restart", retryAfter: 1)

    static let storeUnavailable = Problem(
        .serviceUnavailable, "store-unavailable", title: "The ledger's database cannot be reached",
        detail: "nothing was decided; retry shortly (a write retried with the same ids is recorded once)", retryAfter: 1)
}
