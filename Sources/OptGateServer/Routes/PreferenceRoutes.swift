import Foundation
import Hummingbird
import OptGateCore
import OptGateLedger

/// The preference centre, public: reached from the signed link in a message, no login.
///
///     GET  /p/{link}   the person's current choices for the sending entity
///     POST /p/{link}   saves changed choices (form with the page's own CSRF field), each as a
///                      ledger event with its evidence, durable before the confirmation page
///
/// A person can opt down (fewer messages, some categories, a pause) or out of everything, and may
/// say why. Works without JavaScript. A `Sec-GPC: 1` request is recorded as a GPC signal.
struct PreferenceRoutes {
    let services: ServerServices

    /// Why people leave, when they say (codes are stored, never free text).
    static let reasons: [(code: String, label: String)] = [
        ("too_many", "Too many messages"), ("not_relevant", "Not relevant to me"),
        ("never_signed_up", "I never signed up"), ("other", "Another reason"),
    ]

    func register(on router: Router<APIRequestContext>) {
        router.get("p/{link}", use: show)
        router.post("p/{link}", use: save)
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        let link = try context.parameters.require("link")
        let now = services.clock()
        guard let token = services.links.open(link, at: now), let centre = try centre(token, at: now) else {
            return services.pages.notFound()
        }
        try await PersonSignals(services: services).recordPrivacySignal(request, context: context, contactID: token.contactID, at: now)
        return services.pages.response("preferences", values(centre, link: link, at: now))
    }

    @Sendable func save(_ request: Request, context: APIRequestContext) async throws -> Response {
        let link = try context.parameters.require("link")
        let now = services.clock()
        guard let token = services.links.open(link, at: now) else { return services.pages.notFound() }
        let form = FormBody(bytes: try await request.bodyBytes(limit: 64 * 1024), contentType: request.headers[.contentType])
        guard let csrf = form.first("csrf"), FormToken(secret: services.ledger.secret).verify(csrf, link: link, at: now),
              Self.sameSite(request)
        else {
            return services.pages.response("not_found", [:], status: .forbidden)
        }
        guard let centre = try centre(token, at: now) else { return services.pages.notFound() }
        guard let submission = Self.submission(form, centre: centre) else {
            return services.pages.response("preferences", values(centre, link: link, at: now), status: .badRequest)
        }
        var events = submission.events(from: centre, at: now)
        let saveID = UUID().uuidString.lowercased()
        for i in events.indices { events[i].id = "preferences-\(saveID)-\(i + 1)" }
        let reason = form.first("reason").flatMap { code in Self.reasons.first { $0.code == code }?.code }
        let evidence = EventEvidence(
            collectionPoint: "preference centre" + (token.messageID.map { ", link in message \($0)" } ?? ""),
            actor: "optgate preference centre", ip: context.remoteIP, userAgent: request.headers[.userAgent], reason: reason)
        do {
            try await PersonSignals(services: services).record(events, contactID: token.contactID, evidence: evidence)
        } catch LedgerError.unknownContact {
            return services.pages.notFound()
        }
        if events.contains(where: { if case .optOut = $0.kind { return true } else { return false } }) {
            services.metrics.unsubscribed(route: "preference_centre")
        }
        try await PersonSignals(services: services).recordPrivacySignal(request, context: context, contactID: token.contactID, at: now)
        let changes = events.map { Self.describe($0, centre: centre) }
        return services.pages.response("saved", [
            "entity": centre.entity.displayName, "changes": changes, "hasChanges": !changes.isEmpty, "preferences": "/p/\(link)",
        ])
    }

    /// The person's choices, from the ledger itself (with their profile's identifiers, which tell
    /// the channels to offer; the decision cache keeps no personal data).
    private func centre(_ token: LinkToken, at now: Timestamp) throws -> PreferenceCentre? {
        let history: ContactHistory
        do {
            history = try services.ledger.history(contactID: token.contactID)
        } catch LedgerError.unknownContact {
            return nil
        }
        return PreferenceCentre(
            timeline: history.timeline, organisation: history.organisation, token: token, at: now, engine: services.ledger.engine)
    }

    private func values(_ centre: PreferenceCentre, link: String, at now: Timestamp) -> [String: Any] {
        var values: [String: Any] = [
            "entity": centre.entity.displayName, "action": "/p/\(link)",
            "csrf": FormToken(secret: services.ledger.secret).make(link: link, at: now),
            "channels": centre.channels.map { ["id": $0.channel.rawValue, "label": Self.label($0.channel), "checked": $0.subscribed] },
            "categories": centre.categories.enumerated().map { ["index": $0.offset + 1, "key": $0.element.key, "label": $0.element.label, "checked": $0.element.subscribed] },
            "hasCategories": !centre.categories.isEmpty,
            "frequencies": PreferenceSubmission.frequencyChoices.map { choice in
                ["value": choice.map(String.init) ?? "none", "label": Self.frequencyLabel(choice), "selected": choice == centre.maxPer30Days]
            },
            "pauses": PreferenceSubmission.pauseChoices.map { ["days": $0, "label": "\($0) days"] },
            "reasons": Self.reasons.map { ["code": $0.code, "label": $0.label] },
            "everything": centre.optedOutOfEverything,
        ]
        if let until = centre.pausedUntil { values["pausedUntil"] = until.dayText }
        return values
    }

    /// The form read into a submission, or nil if it holds a value the page never offers.
    static func submission(_ form: FormBody, centre: PreferenceCentre) -> PreferenceSubmission? {
        let offeredChannels = Set(centre.channels.map(\.channel))
        var channels = Set<Channel>()
        for value in form.all("channel") {
            guard let channel = Channel(rawValue: value), offeredChannels.contains(channel) else { return nil }
            channels.insert(channel)
        }
        let offeredCategories = Set(centre.categories.map(\.key))
        let categories = Set(form.all("category"))
        guard categories.isSubset(of: offeredCategories) else { return nil }
        var pause: Int?
        if let text = form.first("pause"), text != "0" {
            guard let days = Int(text), PreferenceSubmission.pauseChoices.contains(days) else { return nil }
            pause = days
        }
        var frequency = centre.maxPer30Days
        if let text = form.first("frequency") {
            if text == "none" { frequency = nil } else {
                guard let n = Int(text), PreferenceSubmission.frequencyChoices.contains(n) else { return nil }
                frequency = n
            }
        }
        if let reason = form.first("reason"), !reason.isEmpty, !reasons.contains(where: { $0.code == reason }) { return nil }
        return PreferenceSubmission(
            channels: channels, categories: categories, pauseDays: pause, maxPer30Days: frequency,
            everything: form.first("action") == "everything")
    }

    /// A form post from another site is refused when the browser says so (`Sec-Fetch-Site`).
    static func sameSite(_ request: Request) -> Bool {
        guard let site = request.headers[.secFetchSite] else { return true }
        return site == "same-origin" || site == "none"
    }

    static func label(_ channel: Channel) -> String {
        switch channel {
        case .email: return "Email"
        case .sms: return "Text messages"
        default: return channel.displayName.prefix(1).uppercased() + channel.displayName.dropFirst()
        }
    }

    static func frequencyLabel(_ max: Int?) -> String {
        switch max {
        case nil: return "Everything we send"
        case 1: return "At most one message a month"
        case let n?: return "At most \(n) messages a month"
        }
    }

    /// A changed choice in the person's words.
    static func describe(_ event: Event, centre: PreferenceCentre) -> String {
        let entity = centre.entity.displayName
        switch event.kind {
        case .optOut(let optOut):
            if let until = optOut.until { return "Marketing from \(entity) is paused until \(until.dayText)." }
            if let products = optOut.products {
                let label = centre.categories.first { $0.productIDs == products }?.label ?? products.joined(separator: ", ")
                return "No more news about \(label)."
            }
            if let channels = optOut.channels { return "No more marketing by \(channels.channels.map(\.displayName).joined(separator: ", ")) from \(entity)." }
            return "You are unsubscribed from all marketing."
        case .consentGiven(let consent):
            if let products = consent.products {
                let label = centre.categories.first { $0.productIDs == products }?.label ?? products.joined(separator: ", ")
                return "You will hear about \(label) again."
            }
            return "\(entity) may send you marketing by \(consent.channels.channels.map(\.displayName).joined(separator: ", "))."
        case .frequencySet(let preference):
            return preference.maxPer30Days.map { "\(frequencyLabel($0)) from \(entity)." } ?? "No limit on how often \(entity) writes."
        default:
            return event.typeName
        }
    }
}
