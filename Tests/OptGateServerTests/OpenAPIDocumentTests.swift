import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import OptGateServer

/// The document's full conformance check against live responses is Tests/openapi/run.sh (run by
/// CI); these tests keep the served document and the committed one the same, and every documented
/// operation routed.
@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    static let committed = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/openapi.json")

    @Test("the server serves exactly docs/openapi.json (regenerate with scripts/embed-openapi.py)")
    func servedIsCommitted() throws {
        let text = try String(contentsOf: Self.committed, encoding: .utf8)
        #expect(OpenAPIDocument.json == text.trimmingCharacters(in: .newlines))
    }

    @Test("every documented operation is routed: none answers 404 for want of a route or 405")
    func everyOperationRouted() async throws {
        let document = try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as! [String: Any]
        // path, method, documented statuses
        var operations: [(String, String, Set<String>)] = []
        for (path, methods) in document["paths"] as! [String: [String: Any]] {
            for (method, operation) in methods where ["get", "post"].contains(method) {
                let responses = (operation as? [String: Any])?["responses"] as? [String: Any] ?? [:]
                operations.append((path, method, Set(responses.keys)))
            }
        }
        let server = try TestServer()
        let routed = operations
        try await server.test { client in
            try await Fixture.setUp(client, server)
            for (path, method, documented) in routed {
                    let uri = path.replacingOccurrences(of: "{id}", with: "c-1").replacingOccurrences(of: "{link}", with: "not-a-link")
                    try await client.execute(
                        uri: uri, method: method == "get" ? .get : .post, headers: auth(server.admin), body: body("{}")
                    ) { response in
                        #expect(response.status != .methodNotAllowed, "\(method) \(path)")
                        // A 404 from the API itself is problem details (the person-facing pages': a page);
                        // the router's own 404 has no body.
                        if response.status == .notFound {
                            let expected = path.contains("{link}") ? "text/html; charset=utf-8" : "application/problem+json"
                            #expect(response.headers[.contentType] == expected, "\(method) \(path)")
                        }
                        #expect(documented.contains(String(response.status.code)), "\(method) \(path) answered \(response.status.code)")
                    }
            }
        }
    }
}
