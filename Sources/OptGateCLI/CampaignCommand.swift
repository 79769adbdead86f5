import ArgumentParser
import Foundation
import OptGateLedger

/// `optgate campaign show ID`: a recorded campaign check, and whether the lists kept with the send
/// are the ones that check wrote.
public struct CampaignCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "campaign",
        abstract: "Read recorded campaign checks.",
        subcommands: [Show.self]
    )

    public init() {}

    public struct Show: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Print a campaign check recorded with optgate filter --record, and check lists against it.",
            discussion: """
                Prints the record as JSON (what GET /v1/campaigns/{id} answers): the message, the moment, \
                the counts by basis and reason, the rule sets, and the SHA-256 of the lists the check \
                wrote. --send and --excluded check files against those digests: exits 0 when every file \
                given is, byte for byte, the list the check wrote, 1 otherwise.
                """
        )

        @OptionGroup public var data: DataDirectoryOption

        @Argument(help: "The campaign id it was recorded under.")
        public var id: String

        @Option(name: .long, help: "A send list to check against the record (the send.csv of the check).")
        public var send: String?

        @Option(name: .long, help: "An excluded list to check against the record (the excluded.csv of the check).")
        public var excluded: String?

        public init() {}

        public func run() throws {
            let console = StandardConsole()
            if try !run(console: console) { throw ExitCode(1) }
        }

        /// Prints the record and the checks; false when a file given is not the recorded list.
        func run(console: any Console) throws -> Bool {
            let ledger = try data.directory.openLedger()
            guard let (seq, record) = try ledger.campaign(id: id) else {
                throw CLIError("no campaign \"\(id)\" was recorded in \(data.directory.path) (optgate filter --campaign-id \(id) --record records one)")
            }
            console.out("{\"seq\":\(seq)," + RecordCodec.encode(.campaign(record)).body.dropFirst())
            var allMatch = true
            for (path, recorded, name) in [(send, record.sendListSHA256, "send"), (excluded, record.excludedListSHA256, "excluded")] {
                guard let path else { continue }
                guard let recorded else {
                    console.err("\(path): campaign \(id) was recorded without the digest of its \(name) list (a check over the API): nothing to compare with")
                    allMatch = false
                    continue
                }
                let digest = try Self.sha256(path)
                if digest == recorded {
                    console.err("\(path): matches the \(name) list recorded at ledger entry \(seq)")
                } else {
                    console.err("\(path): does NOT match the \(name) list recorded at ledger entry \(seq) (SHA-256 \(digest), recorded \(recorded))")
                    allMatch = false
                }
            }
            return allMatch
        }

        /// The SHA-256 (hex) of a file, read in blocks.
        static func sha256(_ path: String) throws -> String {
            guard let handle = FileHandle(forReadingAtPath: path) else { throw CLIError("\(path): cannot be read") }
            defer { try? handle.close() }
            var digest = CampaignListDigest()
            while let block = try handle.read(upToCount: 1 << 20), !block.isEmpty {
                digest.update(Array(block))
            }
            return digest.hex()
        }
    }
}
