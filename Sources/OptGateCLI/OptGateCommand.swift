import ArgumentParser

/// `optgate`: may we send this message to this person, on this channel, now, and on what basis?
public struct OptGateCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "optgate",
        abstract: "Marketing permission decisions: may this message be sent, on what legal basis, and why.",
        version: "0.1.0",
        subcommands: [
            DecideCommand.self, RulesCommand.self, ServeCommand.self, KeysCommand.self, ImportCommand.self, ContactCommand.self,
            ExportCommand.self, AuditCommand.self, BackupCommand.self, CopyLedgerCommand.self, EraseCommand.self, LinksCommand.self, FilterCommand.self,
            DestinationsCommand.self, OutboxCommand.self, DemoCommand.self, SnapshotCommand.self, CampaignCommand.self,
        ]
    )

    public init() {}
}
