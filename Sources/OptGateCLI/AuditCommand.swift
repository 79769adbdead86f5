import ArgumentParser
import Foundation
import OptGateLedger

/// `optgate audit verify`: recompute the hash chain and check every checkpoint.
public struct AuditCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check the ledger's integrity.",
        subcommands: [Verify.self]
    )

    public init() {}

    public struct Verify: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Recompute the whole hash chain and check every checkpoint.",
            discussion: "Exits 0 when the chain verifies; exits 1 naming the first entry where a row was changed, deleted, inserted or reordered."
        )

        @OptionGroup public var data: DataDirectoryOption

        public init() {}

        public func run() throws {
            let console = StandardConsole()
            let ledger = try data.directory.openLedger()
            let started = Date()
            let report = try ledger.verify { checked in
                if isatty(STDERR_FILENO) == 1 { FileHandle.standardError.write(Data("\rverified \(checked) entries".utf8)) }
            }
            if isatty(STDERR_FILENO) == 1 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            let seconds = Date().timeIntervalSince(started)
            if let problem = report.problem {
                console.out("FAILED at entry \(problem.seq): \(problem)")
                console.out("checked \(report.entries) entries before it; \(report.checkpoints) checkpoints")
                throw ExitCode(1)
            }
            console.out("OK: \(report.entries) entries, \(report.checkpoints) checkpoints, chain head \(report.headHash.prefix(16))…")
            if report.erasedPersonalData > 0 {
                console.out("   \(report.erasedPersonalData) entries had their personal data erased; their digests still verify")
            }
            console.out(String(format: "   verified in %.2f s", seconds))
        }
    }
}
