import ArgumentParser
import Foundation
import OptGateCore
import OptGateLedger
import Testing

@testable import OptGateCLI

/// `optgate destinations` and `optgate outbox`: destinations are validated, added once, shown
/// with their derived secret, removed softly; dead letters are listed and requeued.
@Suite("destinations and outbox")
struct DestinationsCommandTests {
    @Test("add refuses a bad name, a non-http URL, an unknown kind and a deadline out of range, naming the flag")
    func validation() {
        let cases: [([String], String)] = [
            (["ESP!", "--url", "https://esp.example", "--kind", "email"], "NAME"),
            (["esp", "--url", "ftp://esp.example", "--kind", "email"], "--url"),
            (["esp", "--url", "not a url", "--kind", "email"], "--url"),
            (["esp", "--url", "https://esp.example", "--kind", "fax"], "--kind"),
            (["esp", "--url", "https://esp.example", "--kind", "email", "--deadline-hours", "0"], "--deadline-hours"),
        ]
        for (arguments, flag) in cases {
            do {
                _ = try DestinationsCommand.Add.parse(arguments)
                Issue.record("accepted \(arguments)")
            } catch {
                #expect(DestinationsCommand.Add.message(for: error).contains(flag), "\(arguments): \(DestinationsCommand.Add.message(for: error))")
            }
        }
        #expect((try? DestinationsCommand.Add.parse(["esp-1", "--url", "http://10.0.0.5:8080/hook", "--kind", "bulk_email", "--deadline-hours", "24"])) != nil)
    }

    @Test("add prints the secret that `secret` shows again; the name is unique; list and remove")
    func lifecycle() throws {
        try withTemporaryDirectory { dir in
            let data = ["--data-dir", dir.path]
            let console = CapturingConsole()
            try DestinationsCommand.Add.parse(data + ["esp", "--url", "https://esp.example/hook", "--kind", "bulk_email"]).run(console: console)
            let secret = try #require(console.stdout.first)
            #expect(secret.count == 64 && secret.allSatisfy(\.isHexDigit))
            #expect(console.stderr.joined().contains("48 hours"))
            let shown = CapturingConsole()
            try DestinationsCommand.Secret.parse(data + ["esp"]).run(console: shown)
            #expect(shown.stdout == [secret])
            #expect(throws: CLIError.self) {
                try DestinationsCommand.Add.parse(data + ["esp", "--url", "https://other.example", "--kind", "sms"]).run(console: CapturingConsole())
            }
            #expect(throws: CLIError.self) { try DestinationsCommand.Secret.parse(data + ["nosuch"]).run(console: CapturingConsole()) }

            try DestinationsCommand.Remove.parse(data + ["esp"]).run()
            #expect(throws: CLIError.self) { try DestinationsCommand.Remove.parse(data + ["esp"]).run() }
            let listed = CapturingConsole()
            try DestinationsCommand.List.parse(data).run(console: listed)
            #expect(listed.stdout.count == 1)
            #expect(listed.stdout[0].hasPrefix("esp  removed "))
            #expect(listed.stdout[0].contains("bulk_email  deadline 48 hours"))
        }
    }

    @Test("outbox shows the counts, lists dead letters, and retry requeues one or all")
    func outbox() throws {
        try withTemporaryDirectory { dir in
            let data = ["--data-dir", dir.path]
            let ledger = try DataDirectory(option: dir.path).openLedger()
            try DestinationsCommand.Add.parse(data + ["crm", "--url", "https://crm.example/hook", "--kind", "crm", "--from-start"]).run(console: CapturingConsole())
            let at = Timestamp(year: 2020, month: 1, day: 6)!
            try ledger.append([
                .contact(ContactProfile(id: "c-1", jurisdiction: JurisdictionCode("US"))),
                .event(contactID: "c-1", Event(id: "oo-1", at: at, .optOut(OptOut(via: .link))), nil),
                .event(contactID: "c-1", Event(id: "oo-2", at: at, .optOut(OptOut(via: .reply))), nil),
            ], recordedAt: at)
            let outbox = try DestinationsCommand.open(try DataDirectoryOption.parse(data)).1
            #expect(try outbox.enqueueAll(firstAttemptAt: 0) == 2)
            let keys = try outbox.deliveries(.state(.pending), limit: 10).map(\.key)
            for key in keys {
                try outbox.store.writePropagation { try $0.markFailed(key: key, attempts: 15, at: at, error: "HTTP 500", nextAttemptAt: nil) }
            }

            let status = CapturingConsole()
            try OutboxCommand.Status.parse(data).run(console: status)
            #expect(status.stdout.count == 1)
            #expect(status.stdout[0].hasPrefix("crm  pending 0  delivered 0  dead 2  overdue 2"))
            let dead = CapturingConsole()
            try OutboxCommand.Dead.parse(data).run(console: dead)
            #expect(dead.stdout.map { String($0.prefix(while: { $0 != " " })) } == keys)
            #expect(dead.stdout.allSatisfy { $0.contains("attempts 15") && $0.hasSuffix("HTTP 500") })

            try OutboxCommand.Retry.parse(data + [keys[0]]).run(console: CapturingConsole())
            #expect(try outbox.deliveries(.state(.dead), limit: 10).map(\.key) == [keys[1]])
            #expect(throws: CLIError.self) { try OutboxCommand.Retry.parse(data + [keys[0]]).run(console: CapturingConsole()) }
            let all = CapturingConsole()
            try OutboxCommand.Retry.parse(data + ["--all-dead"]).run(console: all)
            #expect(all.stderr == ["1 dead-lettered deliveries requeued"])
            #expect(try outbox.deliveries(.state(.pending), limit: 10).count == 2)
            #expect(throws: (any Error).self) { _ = try OutboxCommand.Retry.parse(data) }
            #expect(throws: (any Error).self) { _ = try OutboxCommand.Retry.parse(data + [keys[0], "--all-dead"]) }
        }
    }
}
