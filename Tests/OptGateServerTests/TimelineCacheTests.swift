import Foundation
import Hummingbird
import HummingbirdTesting
import OptGateCore
import OptGateLedger
import Testing

@testable import OptGateServer

@Suite("Decisions from memory")
struct TimelineCacheTests {
    static func allowed(_ client: some TestClientProtocol, _ server: TestServer) async throws -> Bool? {
        try await client.execute(uri: "/v1/decisions", method: .post, headers: auth(server.admin), body: body(Fixture.decision())) {
            $0.object["allowed"] as? Bool
        }
    }

    @Test("a contact decided from memory is denied at once after an opt-out recorded through the API (GDPR Art 21(3))")
    func optOutThroughServer() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await Fixture.setUp(client, server)
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body(Fixture.sale))
            #expect(try await Self.allowed(client, server) == true)
            #expect(try await Self.allowed(client, server) == true)
            #expect(server.services.timelines.count == 1)
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body(Fixture.optOut))
            #expect(try await Self.allowed(client, server) == false)
        }
    }

    @Test("a write made outside the server is seen once the watch notices the ledger's head moved")
    func otherWriter() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await Fixture.setUp(client, server)
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body(Fixture.sale))
            #expect(try await Self.allowed(client, server) == true)
            // Another process (here: the ledger itself, bypassing the server) records an opt-out.
            let optOut = Event(id: "cli-oo", at: TestServer.now, .optOut(OptOut(via: .phone)))
            try server.ledger.append([.event(contactID: "c-1", optOut, nil)], recordedAt: TestServer.now)
            // Until the watch runs (every 0.25 s in a running server), the decision comes from memory.
            #expect(try await Self.allowed(client, server) == true)
            server.services.watchForOtherWriters()
            #expect(try await Self.allowed(client, server) == false)
        }
    }

    @Test("a server commit after another writer's also drops what that writer may have changed")
    func otherWriterThenServerWrite() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await Fixture.setUp(client, server)
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body(Fixture.sale))
            #expect(try await Self.allowed(client, server) == true)
            let optOut = Event(id: "cli-oo", at: TestServer.now, .optOut(OptOut(via: .phone)))
            try server.ledger.append([.event(contactID: "c-1", optOut, nil)], recordedAt: TestServer.now)
            // Before the watch runs, the server commits something about another contact.
            try await client.execute(uri: "/v1/contacts", method: .post, headers: auth(server.admin), body: body(#"{"id": "c-2", "jurisdiction": "IE"}"#))
            #expect(try await Self.allowed(client, server) == false)
        }
    }

    @Test("with the cache turned off every decision reads the ledger, and answers the same")
    func disabled() async throws {
        var configuration = ServerConfiguration()
        configuration.decisionCacheContacts = 0
        let server = try TestServer(configuration: configuration)
        try await server.test { client in
            try await Fixture.setUp(client, server)
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body(Fixture.sale))
            #expect(try await Self.allowed(client, server) == true)
            #expect(server.services.timelines.count == 0)
            let optOut = Event(id: "cli-oo", at: TestServer.now, .optOut(OptOut(via: .phone)))
            try server.ledger.append([.event(contactID: "c-1", optOut, nil)], recordedAt: TestServer.now)
            #expect(try await Self.allowed(client, server) == false)
        }
    }

    @Test("the cache holds at most its capacity")
    func bounded() throws {
        let cache = TimelineCache(capacity: 128)
        for i in 0..<1000 {
            _ = try cache.timeline("c-\(i)") { (ContactTimeline(contactID: "c-\(i)", profiles: [], events: []), OrganisationHistory()) }
        }
        #expect(cache.count <= 128)
        #expect(cache.count > 64)
    }
}

@Suite("Warming the timeline cache")
struct WarmUpTests {
    @Test("warm-up loads every contact's timeline from one snapshot; decisions then match the ledger's")
    func warmUp() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await Fixture.setUp(client, server)
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body(Fixture.sale))
            try await client.execute(uri: "/v1/contacts", method: .post, headers: auth(server.admin), body: body(#"{"id": "c-2", "jurisdiction": "IE"}"#))
        }
        let cache = TimelineCache(capacity: 10)
        #expect(try cache.warmUp(from: server.ledger) == 2)
        let (timeline, organisation) = try cache.timeline("c-1") { Issue.record("loaded after warm-up"); return try server.ledger.timeline(contactID: "c-1") }
        let fromLedger = try server.ledger.history(contactID: "c-1")
        #expect(timeline.events == fromLedger.events)
        let message = Message(from: "acme", channel: .email, products: ["socks"])
        #expect(timeline.decide([message], at: TestServer.now, organisation: organisation, engine: server.ledger.engine)
            == [fromLedger.decide(message, at: TestServer.now)])
        #expect(try TimelineCache(capacity: 1).warmUp(from: server.ledger) == 1)
    }
}

@Suite("Noticing other writers")
struct OtherWriterTests {
    static func fill(_ cache: TimelineCache, _ id: String) throws {
        _ = try cache.timeline(id) { (ContactTimeline(contactID: id, profiles: [], events: []), OrganisationHistory()) }
    }

    static func fill(_ cache: TimelineCache, _ ids: String...) throws {
        for id in ids { try fill(cache, id) }
    }

    static func held(_ cache: TimelineCache, _ id: String) throws -> Bool {
        var loaded = false
        _ = try cache.timeline(id) {
            loaded = true
            return (ContactTimeline(contactID: id, profiles: [], events: []), OrganisationHistory())
        }
        return !loaded
    }

    static func event(_ seq: Int64, _ contact: String) -> TimelineCache.Change { (seq, .event, contact) }

    @Test("another writer's entries drop the contacts they touched, and only those")
    func incremental() throws {
        let cache = TimelineCache(capacity: 10)
        cache.check(readHead: { 5 }, readChanges: { _, _ in Issue.record("nothing to read at the first check"); return [] })
        try Self.fill(cache, "c-1", "c-2", "c-3")
        var asked: (Int64, Int64)?
        cache.check(readHead: { 7 }, readChanges: { from, through in
            asked = (from, through)
            return [Self.event(6, "c-1"), Self.event(7, "c-3")]
        })
        #expect(asked! == (6, 7))
        #expect(try !Self.held(cache, "c-1"))
        #expect(try Self.held(cache, "c-2"))
        #expect(try !Self.held(cache, "c-3"))
        // Nothing new: one read of the head, no read of changes.
        cache.check(readHead: { 7 }, readChanges: { _, _ in Issue.record("read changes with the head unmoved"); return [] })
        #expect(try Self.held(cache, "c-2"))
        // Too many to read one by one: everything goes.
        cache.check(readHead: { 90_000 }, readChanges: { _, _ in nil })
        #expect(cache.count == 0)
    }

    @Test("an organisation change drops the organisation; a new contact drops the identifier look-ups")
    func organisationAndIdentifiers() throws {
        let cache = TimelineCache(capacity: 10)
        cache.check(readHead: { 1 }, readChanges: { _, _ in [] })
        var organisationLoads = 0
        let load = { () -> OrganisationHistory in
            organisationLoads += 1
            return OrganisationHistory()
        }
        _ = try cache.organisation(load: load)
        let email = try Identifier.email("ann@example.com")
        var lookUps = 0
        _ = try cache.contactID(email) {
            lookUps += 1
            return "c-1"
        }
        cache.check(readHead: { 2 }, readChanges: { _, _ in [(2, .contact, "c-9")] })
        _ = try cache.organisation(load: load)
        #expect(organisationLoads == 1)
        _ = try cache.contactID(email) {
            lookUps += 1
            return "c-1"
        }
        #expect(lookUps == 2)
        cache.check(readHead: { 3 }, readChanges: { _, _ in [(3, .policy, nil)] })
        _ = try cache.organisation(load: load)
        #expect(organisationLoads == 2)
    }

    @Test("a commit after another writer's entries leaves them to the next check, which skips the server's own")
    func commitAfterOtherWriter() throws {
        let cache = TimelineCache(capacity: 10)
        cache.check(readHead: { 5 }, readChanges: { _, _ in [] })
        try Self.fill(cache, "c-1", "c-2")
        #expect(!cache.knowsOfUnseenEntries)
        // Another writer appended 6 (about c-1); this server then commits 6 → 7 (about c-2).
        cache.beginningCommit()
        cache.committed(startSeq: 6, headSeq: 7, contacts: ["c-2"], profiles: false, organisationChanged: false)
        #expect(cache.knowsOfUnseenEntries)
        try Self.fill(cache, "c-2")
        cache.check(readHead: { 7 }, readChanges: { from, through in
            #expect(from == 6 && through == 7)
            return [Self.event(6, "c-1"), Self.event(7, "c-2")]
        })
        #expect(!cache.knowsOfUnseenEntries)
        #expect(try !Self.held(cache, "c-1"))
        // Entry 7 was the server's own commit: c-2, loaded after it, stays.
        #expect(try Self.held(cache, "c-2"))
        // From then on commits follow on directly.
        cache.committed(startSeq: 7, headSeq: 9, contacts: [], profiles: false, organisationChanged: false)
        #expect(!cache.knowsOfUnseenEntries)
        cache.check(readHead: { 9 }, readChanges: { _, _ in Issue.record("read changes the server made itself"); return [] })
        // A commit that appended nothing (duplicates only) after another writer's entry 10 still
        // leaves entry 10 to the next check.
        cache.committed(startSeq: 10, headSeq: 10, contacts: [], profiles: false, organisationChanged: false)
        #expect(cache.knowsOfUnseenEntries)
        try Self.fill(cache, "c-4")
        cache.check(readHead: { 10 }, readChanges: { from, through in
            #expect(from == 10 && through == 10)
            return [Self.event(10, "c-4")]
        })
        #expect(try !Self.held(cache, "c-4"))
        #expect(!cache.knowsOfUnseenEntries)
    }

    @Test("a check that read a commit before the commit reported itself does not move backwards")
    func checkOverlapsCommit() throws {
        let cache = TimelineCache(capacity: 10)
        cache.check(readHead: { 5 }, readChanges: { _, _ in [] })
        try Self.fill(cache, "c-1")
        // The check reads head 6, a commit of this server's that has not reported yet.
        cache.beginningCommit()
        cache.check(readHead: { 6 }, readChanges: { _, _ in [Self.event(6, "c-2")] })
        cache.committed(startSeq: 5, headSeq: 6, contacts: ["c-2"], profiles: false, organisationChanged: false)
        #expect(!cache.knowsOfUnseenEntries)
        #expect(try Self.held(cache, "c-1"))
        cache.check(readHead: { 6 }, readChanges: { _, _ in Issue.record("read changes already seen"); return [] })
        // A load that began before a commit is not kept.
        let id = "c-3"
        _ = try cache.timeline(id) {
            cache.beginningCommit()
            cache.committed(startSeq: 6, headSeq: 7, contacts: [id], profiles: false, organisationChanged: false)
            return (ContactTimeline(contactID: id, profiles: [], events: []), OrganisationHistory())
        }
        #expect(try !Self.held(cache, id))
    }
}
