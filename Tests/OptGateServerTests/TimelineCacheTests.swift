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

    @Test("a head read that overlaps one of the server's own commits drops nothing; a head moved by another writer drops everything")
    func race() throws {
        let cache = TimelineCache(capacity: 10)
        cache.check { 5 }
        try Self.fill(cache, "c-1")
        // The watch reads head 5, then the server commits 5 → 6 before the watch compares.
        cache.check {
            cache.committed(startSeq: 5, headSeq: 6, contacts: ["c-2"], profiles: false, organisationChanged: false)
            return 5
        }
        #expect(cache.count == 1)
        cache.check { 6 }
        #expect(cache.count == 1)
        // The watch reads the head of a commit that is visible but not yet reported.
        cache.beginningCommit()
        cache.check { 7 }
        cache.committed(startSeq: 6, headSeq: 7, contacts: [], profiles: false, organisationChanged: false)
        #expect(cache.count == 1)
        cache.beginningCommit()
        cache.abandonedCommit()
        cache.check { 7 }
        #expect(cache.count == 1)
        // Another writer appended 8.
        cache.check { 8 }
        #expect(cache.count == 0)
        // A commit that begins from a head this server did not leave drops everything too.
        try Self.fill(cache, "c-1")
        cache.committed(startSeq: 9, headSeq: 10, contacts: [], profiles: false, organisationChanged: false)
        #expect(cache.count == 0)
    }
}
