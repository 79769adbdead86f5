import OptGateCore
import OptGateScenario
import Testing

/// Every closed vocabulary of the contract rejects values outside it, naming the allowed ones.
@Suite("ScenarioDecoder: unknown enumeration values")
struct ScenarioDecoderEnumTests {
    private func consent(method: String = "signed_form", purposes: String = #"["marketing"]"#, channels: String = #"["email"]"#) -> String {
        #"{"type": "consent_given", "at": "2025-06-01T00:00:00Z", "to": ["acme"], "channels": \#(channels), "purposes": \#(purposes), "method": "\#(method)"}"#
    }

    @Test func unknownMessageChannel() {
        let text = ScenarioText.with {
            $0.message = #"{"from": "acme", "channel": "e-mail", "purpose": "marketing"}"#
        }.text
        expectSingleProblem(
            in: text, path: "message.channel", at: #""e-mail""#,
            message: #"unknown channel "e-mail" (expected one of: email, sms, voicemail, in_app, social_dm, live_call, automated_call, fax, post, online_ad)"#)
    }

    @Test func channelValuesAreCaseSensitive() {
        let text = ScenarioText.with {
            $0.message = #"{"from": "acme", "channel": "Email", "purpose": "marketing"}"#
        }.text
        expectSingleProblem(in: text, path: "message.channel", at: #""Email""#, prefix: #"unknown channel "Email""#)
    }

    @Test func unknownChannelInAnEventList() {
        let text = ScenarioText.with { $0.events = [consent(channels: #"["email", "whatsapp"]"#)] }.text
        expectSingleProblem(in: text, path: "events[0].channels[1]", at: #""whatsapp""#, prefix: #"unknown channel "whatsapp" (expected one of: email, sms,"#)
    }

    @Test func unknownEventType() {
        let text = ScenarioText.with {
            $0.events = [#"{"type": "details_collect", "at": "2025-11-02T12:00:00Z", "by": "acme"}"#]
        }.text
        expectSingleProblem(
            in: text, path: "events[0].type", at: #""details_collect""#,
            message: #"unknown event type "details_collect" (expected one of: details_collected, consent_given, opt_out, register_listed, register_removed, marketing_sent, gpc_signal, frequency_set)"#)
    }

    @Test func unknownContext() {
        let text = ScenarioText.with {
            $0.events = [#"{"type": "details_collected", "at": "2025-11-02T12:00:00Z", "by": "acme", "context": "purchase", "channels": ["email"]}"#]
        }.text
        expectSingleProblem(
            in: text, path: "events[0].context", at: #""purchase""#,
            prefix: #"unknown context "purchase" (expected one of: sale, free_account, free_trial, quote_request,"#)
    }

    @Test func unknownDetailsSource() {
        let text = ScenarioText.with {
            $0.events = [#"{"type": "details_collected", "at": "2025-11-02T12:00:00Z", "by": "acme", "from": "partner", "context": "sale", "channels": ["email"]}"#]
        }.text
        expectSingleProblem(
            in: text, path: "events[0].from", at: #""partner""#,
            message: #"unknown source "partner" (expected one of: recipient, third_party, group_company, data_broker, public_source)"#)
    }

    @Test func unknownConsentMethod() {
        let text = ScenarioText.with { $0.events = [consent(method: "opt_in")] }.text
        expectSingleProblem(
            in: text, path: "events[0].method", at: #""opt_in""#,
            message: #"unknown consent method "opt_in" (expected one of: unticked_box, double_opt_in, signed_form, verbal_recorded, settings_toggle, reply_keyword, pre_ticked_box, bundled_with_terms, privacy_notice_statement, inactivity)"#)
    }

    @Test func unknownConsentPurpose() {
        let text = ScenarioText.with { $0.events = [consent(purposes: #"["marketing", "promotion"]"#)] }.text
        expectSingleProblem(
            in: text, path: "events[0].purposes[1]", at: #""promotion""#,
            message: #"unknown purpose "promotion" (expected one of: marketing, fundraising, campaigning, service)"#)
    }

    @Test func unknownMessagePurpose() {
        let text = ScenarioText.with {
            $0.message = #"{"from": "acme", "channel": "email", "purpose": "promo"}"#
        }.text
        expectSingleProblem(in: text, path: "message.purpose", at: #""promo""#, prefix: #"unknown purpose "promo" (expected one of: marketing,"#)
    }

    @Test func unknownSubscriber() {
        let text = ScenarioText.with { $0.contact = #"{"id": "c-1", "subscriber": "person"}"# }.text
        expectSingleProblem(
            in: text, path: "contact.subscriber", at: #""person""#,
            message: #"unknown subscriber type "person" (expected one of: individual, sole_trader, partnership, scottish_partnership, corporate, unknown)"#)
    }

    @Test func unknownRegister() {
        let text = ScenarioText.with {
            $0.events = [#"{"type": "register_listed", "at": "2025-01-01T00:00:00Z", "register": "dnc"}"#]
        }.text
        expectSingleProblem(
            in: text, path: "events[0].register", at: #""dnc""#,
            message: #"unknown register "dnc" (expected one of: tps, ctps, fps, mps, ndd, bloctel, us_dnc)"#)
    }

    @Test func unknownRegisterOnRemoval() {
        let text = ScenarioText.with {
            $0.events = [#"{"type": "register_removed", "at": "2025-01-01T00:00:00Z", "register": "TPS"}"#]
        }.text
        expectSingleProblem(in: text, path: "events[0].register", at: #""TPS""#, prefix: #"unknown register "TPS""#)
    }

    @Test func unknownOptOutRoute() {
        let text = ScenarioText.with {
            $0.events = [#"{"type": "opt_out", "at": "2025-01-01T00:00:00Z", "via": "email"}"#]
        }.text
        expectSingleProblem(
            in: text, path: "events[0].via", at: #""email""#,
            prefix: #"unknown opt-out route "email" (expected one of: one_click, link, reply, sms_stop,"#)
    }

    @Test func unknownEntityKind() {
        let text = ScenarioText.with {
            $0.entities = [#"{"id": "acme", "kind": "company"}"#, #"{"id": "trust", "kind": "foundation"}"#]
        }.text
        expectSingleProblem(
            in: text, path: "entities[1].kind", at: #""foundation""#,
            message: #"unknown entity kind "foundation" (expected one of: company, charity, political_party, public_body, nonprofit)"#)
    }

    @Test func unknownBasis() {
        let text = ScenarioText.with { $0.expect = #"{"allowed": true, "basis": "soft-opt-in"}"# }.text
        expectSingleProblem(
            in: text, path: "expect.basis", at: #""soft-opt-in""#,
            message: #"unknown basis "soft-opt-in" (expected one of: consent, soft_opt_in, charity_soft_opt_in, implied_consent, no_consent_needed, not_marketing)"#)
    }

    @Test(arguments: Channel.allCases)
    func everyChannelOfTheContractIsAccepted(_ channel: Channel) throws {
        let file = try decoded(ScenarioText.with {
            $0.message = #"{"from": "acme", "channel": "\#(channel.rawValue)", "purpose": "marketing"}"#
        }.text)
        #expect(file.scenario.message.channel == channel)
    }

    @Test(arguments: DetailsCollected.Context.allCases)
    func everyContextOfTheContractIsAccepted(_ context: DetailsCollected.Context) throws {
        let file = try decoded(ScenarioText.with {
            $0.events = [#"{"type": "details_collected", "at": "2025-11-02T12:00:00Z", "by": "acme", "context": "\#(context.rawValue)", "channels": ["email"]}"#]
        }.text)
        guard case .detailsCollected(let details) = file.scenario.events.first?.kind else {
            Issue.record("not a details event")
            return
        }
        #expect(details.context == context)
    }

    @Test(arguments: ConsentGiven.Method.allCases)
    func everyConsentMethodOfTheContractIsAccepted(_ method: ConsentGiven.Method) throws {
        let file = try decoded(ScenarioText.with { $0.events = [consent(method: method.rawValue)] }.text)
        guard case .consentGiven(let consent) = file.scenario.events.first?.kind else {
            Issue.record("not a consent event")
            return
        }
        #expect(consent.method == method)
    }
}
