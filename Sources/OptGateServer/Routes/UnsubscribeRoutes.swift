import Crypto
import Foundation
import Hummingbird
import OptGateCore
import OptGateLedger

/// One-click unsubscribe (RFC 8058), public: the link is the credential.
///
///     GET  /u/{link}   a confirmation page with one button: prefetching scanners unsubscribe no one
///     POST /u/{link}   body `List-Unsubscribe=One-Click` (form-urlencoded or multipart): the opt-out
///                      is on disk before the answer; 200, never a redirect; repeats are harmless
///
/// The opt-out covers marketing on the message's channel from the entity that sent it (the
/// preference centre offers wider and narrower choices). Every link that does not open gets the
/// same 404 page.
struct UnsubscribeRoutes {
    let services: ServerServices

    func register(on router: Router<APIRequestContext>) {
        router.get("u/{link}", use: confirm)
        router.post("u/{link}", use: unsubscribe)
        router.get(".well-known/gpc.json", use: gpcSupport)
    }

    @Sendable func confirm(_ request: Request, context: APIRequestContext) async throws -> Response {
        let link = try context.parameters.require("link")
        let now = services.clock()
        guard let token = services.links.open(link, at: now) else { return services.pages.notFound() }
        guard let entity = try? services.displayName(ofEntity: token.entity, at: now) else { return services.pages.notFound() }
        try await PersonSignals(services: services).recordPrivacySignal(request, context: context, contactID: token.contactID, at: now)
        return services.pages.response("unsubscribe", [
            "entity": entity, "channel": token.channel.displayName, "action": "/u/\(link)", "preferences": "/p/\(link)",
        ])
    }

    @Sendable func unsubscribe(_ request: Request, context: APIRequestContext) async throws -> Response {
        let link = try context.parameters.require("link")
        let now = services.clock()
        guard let token = services.links.open(link, at: now) else { return services.pages.notFound() }
        let bytes = try await request.bodyBytes(limit: 64 * 1024)
        let form = FormBody(bytes: bytes, contentType: request.headers[.contentType])
        guard form.first("List-Unsubscribe") == "One-Click" else {
            return plain("A one-click unsubscribe posts List-Unsubscribe=One-Click (RFC 8058).\n", status: .badRequest)
        }
        let fromPage = form.first("source") == "page"
        // One id per link: the mail client's post and the page's button record one opt-out.
        let id = "unsubscribe-" + Hex.string(SHA256.hash(data: Data(link.utf8)).prefix(12))
        let optOut = Event(id: id, at: now, .optOut(OptOut(channels: [token.channel], entity: token.entity, via: fromPage ? .link : .oneClick)))
        let evidence = EventEvidence(
            collectionPoint: token.messageID.map { "message \($0)" } ?? "unsubscribe link",
            actor: fromPage ? "optgate unsubscribe page" : "optgate one-click (RFC 8058)",
            ip: context.remoteIP, userAgent: request.headers[.userAgent])
        do {
            try await PersonSignals(services: services).record([optOut], contactID: token.contactID, evidence: evidence)
        } catch LedgerError.unknownContact {
            return services.pages.notFound()
        }
        services.metrics.unsubscribed(route: fromPage ? "page" : "one_click")
        guard fromPage else { return plain("Unsubscribed.\n", status: .ok) }
        let entity = (try? services.displayName(ofEntity: token.entity, at: now)) ?? token.entity
        return services.pages.response("unsubscribed", [
            "entity": entity, "channel": token.channel.displayName, "preferences": "/p/\(link)",
        ])
    }

    /// GPC support resource (GPC spec §"GPC Support Resource"): this server honours the signal.
    @Sendable func gpcSupport(_ request: Request, context: APIRequestContext) async throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers,
                        body: .init(byteBuffer: ByteBuffer(string: "{\"gpc\": true, \"lastUpdate\": \"2026-12-01\"}\n")))
    }

    private func plain(_ text: String, status: HTTPResponse.Status) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// Recording what a person did on a page: their choices and their browser's privacy signal.
struct PersonSignals {
    let services: ServerServices

    /// Records `events` for the contact in one durable write; an event whose id is already recorded
    /// is skipped (a repeated click changes nothing).
    func record(_ events: [Event], contactID: String, evidence: EventEvidence?) async throws {
        guard !events.isEmpty else { return }
        try await services.committer.write { session, _ in
            for event in events {
                if let id = event.id, try session.entry(recordedUnder: "event:" + id) != nil { continue }
                _ = try session.append(.event(contactID: contactID, event, evidence))
            }
        }
        for event in events { services.metrics.eventRecorded(type: event.typeName) }
    }

    /// A `Sec-GPC: 1` header (GPC spec: exactly "1"; with several headers, any "1") is recorded as a
    /// Global Privacy Control signal, at most once a day per contact.
    func recordPrivacySignal(_ request: Request, context: APIRequestContext, contactID: String, at now: Timestamp) async throws {
        guard request.headers[values: .secGPC].contains(where: { $0 == "1" }) else { return }
        let event = Event(id: "gpc-\(contactID)-\(now.dayText)", at: now, .gpcSignal(true))
        let evidence = EventEvidence(collectionPoint: "Sec-GPC header", actor: "optgate preference pages", ip: context.remoteIP,
                                     userAgent: request.headers[.userAgent])
        do {
            try await record([event], contactID: contactID, evidence: evidence)
        } catch LedgerError.unknownContact {
            return
        }
    }
}

extension ServerServices {
    /// The name a person knows an entity by, as of `instant`.
    func displayName(ofEntity id: String, at instant: Timestamp) throws -> String {
        try organisation().organisation(at: instant).entities[id]?.displayName ?? id
    }
}
