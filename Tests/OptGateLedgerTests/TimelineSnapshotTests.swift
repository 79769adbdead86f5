import Foundation
import Fuzzing
import OptGateCore
@testable import OptGateLedger
import Testing

/// The timeline snapshot campaign checks read (issue 6): a compact copy of every contact's
/// timeline that must say exactly what the ledger says, refuse to be used for another ledger or
/// installation, and report damage instead of answering from it.
@Suite("Timeline snapshot")
struct TimelineSnapshotTests {
    @Test("the binary encoding gives back every event and profile as written", arguments: [UInt64(1), 2, 3, 4, 5])
    func roundTrip(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        var table = TimelineEncoding.StringTable()
        for n in 0..<50 {
            let profiles: [(recordedAt: Timestamp, profile: ContactProfile)] = (0..<Int.random(in: 0...3, using: &rng)).map { _ in
                let jurisdiction = ["GB", "US-CA", "DE", "CA-QC", nil].randomElement(using: &rng)!.flatMap(JurisdictionCode.init)
                return (Day.at(2025, 1, 1).adding(seconds: Int64.random(in: -1_000_000...1_000_000, using: &rng)),
                        ContactProfile(id: "contact-\(n)-ü", jurisdiction: jurisdiction, subscriber: SubscriberType.allCases.randomElement(using: &rng)!))
            }
            let events = (0..<Int.random(in: 0...30, using: &rng)).map { k in
                let at = RandomEventStream.instant(&rng, from: Day.at(2024, 1, 1))
                return Event(id: Bool.random(using: &rng) ? "e-\(n)-\(k)-\(String(repeating: "x", count: k))" : nil, at: at, RandomEventStream.kind(&rng, at: at))
            }
            let timeline = ContactTimeline(contactID: "contact-\(n)-ü", profiles: profiles, events: events)
            var w = SnapshotByteWriter()
            TimelineEncoding.encode(timeline, table: &table, into: &w)
            let decoded = try w.bytes.withUnsafeBytes { raw in
                var r = SnapshotByteReader(raw)
                let decoded = try TimelineEncoding.decode(&r, strings: TimelineEncoding.Strings(table.strings))
                #expect(r.isAtEnd)
                return decoded
            }
            #expect(decoded.contactID == timeline.contactID)
            #expect(decoded.events == timeline.events)
            #expect(decoded.profiles.map(\.recordedAt) == timeline.profiles.map(\.recordedAt))
            #expect(decoded.profiles.map(\.profile) == timeline.profiles.map(\.profile))
        }
    }

    @Test("every contact's timeline, identifier, id and suppressed address is found as the ledger has it")
    func sameAsLedger() throws {
        let scratch = try CampaignFilterTests.ledger(seed: 21, count: 60)
        let path = scratch.directory.appendingPathComponent("timelines.snapshot").path
        let built = try TimelineSnapshotBuilder.build(scratch.ledger, to: path)
        let (snapshot, behind) = try scratch.ledger.openSnapshot(path: path)
        #expect(behind == 0 && built.contacts == 60 && snapshot.contactCount == 60)
        for n in 0..<60 {
            let id = "c-\(n)"
            let (expected, _) = try scratch.ledger.timeline(contactID: id)
            guard case .contact(let ordinal) = snapshot.find(key: scratch.secret.key(forContactID: id)) else {
                Issue.record("\(id) not found by id")
                continue
            }
            let timeline = try snapshot.timeline(ordinal: ordinal)
            #expect(timeline.contactID == id && timeline.events == expected.events)
            #expect(timeline.profiles.map(\.profile.contact) == expected.profiles.map(\.profile.contact))
            let email = try Identifier.email("person\(n)@example.com")
            if n == 59 {
                // The erased contact: its address is suppressed, its id still names its (non-personal) timeline.
                #expect(snapshot.find(key: scratch.secret.key(for: email)) == .suppressed)
            } else {
                #expect(snapshot.find(key: scratch.secret.key(for: email)) == .contact(ordinal: ordinal))
            }
        }
        for n in 60..<400 {
            #expect(snapshot.find(key: scratch.secret.key(for: try Identifier.email("person\(n)@example.com"))) == nil)
            #expect(snapshot.find(key: scratch.secret.key(forContactID: "c-\(n)")) == nil)
        }
    }

    @Test("a snapshot is refused for another installation, another chain or another file; an appended ledger says how far behind it is")
    func refusals() throws {
        let scratch = try CampaignFilterTests.ledger(seed: 22, count: 10)
        let path = scratch.directory.appendingPathComponent("timelines.snapshot").path
        try TimelineSnapshotBuilder.build(scratch.ledger, to: path)
        #expect(throws: SnapshotError.self) { try TimelineSnapshot(path: path, secret: .generate()) }
        let other = try CampaignFilterTests.ledger(seed: 22, count: 10)
        #expect(throws: SnapshotError.self) { try Ledger(store: other.ledger.store, secret: scratch.secret).openSnapshot(path: path) }
        let notes = scratch.directory.appendingPathComponent("notes.txt").path
        try Data("not a snapshot".utf8).write(to: URL(fileURLWithPath: notes))
        #expect(throws: SnapshotError.self) { try scratch.ledger.openSnapshot(path: notes) }
        try scratch.ledger.append([.event(contactID: "c-1", Event(id: "late", at: Day.at(2026, 2, 1), .gpcSignal(true)), nil)], recordedAt: Day.recorded.adding(days: 1))
        #expect(try scratch.ledger.openSnapshot(path: path).behind >= 1)
    }

    @Test("any changed byte is refused when the file opens or when the damaged timeline is read, never answered from")
    func damage() throws {
        let scratch = try CampaignFilterTests.ledger(seed: 23, count: 12)
        let path = scratch.directory.appendingPathComponent("timelines.snapshot").path
        try TimelineSnapshotBuilder.build(scratch.ledger, to: path)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        let damaged = scratch.directory.appendingPathComponent("damaged.snapshot").path
        var rng = SeededGenerator(seed: 5)
        // Every byte after the header's fixed fields, in random order, and some at random.
        for _ in 0..<300 {
            var bytes = original
            let offset = Int.random(in: 0..<bytes.count, using: &rng)
            bytes[offset] ^= UInt8.random(in: 1...255, using: &rng)
            try bytes.write(to: URL(fileURLWithPath: damaged))
            let snapshot: TimelineSnapshot
            do { snapshot = try TimelineSnapshot(path: damaged, secret: scratch.secret) } catch { continue }
            // The header and index are intact: the change is inside a timeline, which must not read.
            var failures = 0
            for ordinal in 0..<snapshot.contactCount {
                do { _ = try snapshot.timeline(ordinal: ordinal) } catch { failures += 1 }
            }
            #expect(failures == 1, "byte \(offset)")
        }
        var cut = original
        cut.removeLast(9)
        try cut.write(to: URL(fileURLWithPath: damaged))
        #expect(throws: SnapshotError.self) { try TimelineSnapshot(path: damaged, secret: scratch.secret) }
    }
}
