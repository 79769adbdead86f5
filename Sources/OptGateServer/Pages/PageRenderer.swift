import Hummingbird
import Mustache
import NIOCore

/// Renders the person-facing pages (`PageTemplates`) into HTML responses with headers that keep
/// them private: not cached, not framed, not indexed, no referrer leaking the link.
struct PageRenderer: Sendable {
    private let library: MustacheLibrary

    init() {
        var library = MustacheLibrary()
        for (name, text) in PageTemplates.all {
            // The templates are constants of this program: one that does not parse is a defect
            // caught by the page tests, never a user's input.
            try! library.register(text, named: name)
        }
        self.library = library
    }

    func render(_ template: String, _ values: [String: Any]) -> String {
        library.render(values, withTemplate: template) ?? ""
    }

    func response(_ template: String, _ values: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let html = render(template, values)
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.init("Content-Security-Policy")!] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        headers[.init("X-Content-Type-Options")!] = "nosniff"
        headers[.init("Referrer-Policy")!] = "no-referrer"
        headers[.init("X-Robots-Tag")!] = "noindex, nofollow"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// The one answer for every link that does not open: unknown, forged, altered, truncated,
    /// re-signed, expired or sealed under a retired key all look the same.
    func notFound() -> Response { response("not_found", [:], status: .notFound) }
}
