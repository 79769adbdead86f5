import ArgumentParser
import Foundation
import OptGateCore
import OptGateLedger
import OptGateSQLite

/// Where OptGate keeps its data: one directory holding the ledger database and the installation
/// secret. Zero setup: it is created on first use.
///
/// Chosen by `--data-dir`, else the `OPTGATE_DATA_DIR` environment variable, else `./optgate-data`.
public struct DataDirectory {
    public let path: String

    public static let environmentVariable = "OPTGATE_DATA_DIR"
    public static let defaultPath = "optgate-data"

    public init(option: String?) {
        path = option ?? ProcessInfo.processInfo.environment[Self.environmentVariable] ?? Self.defaultPath
    }

    public var databasePath: String { path + "/ledger.sqlite" }
    public var secretPath: String { path + "/secret.key" }
    /// The timeline snapshot campaign checks read (derived from the ledger; deleting it is safe).
    public var snapshotPath: String { path + "/timelines.snapshot" }

    /// Opens the ledger, creating the directory, the database and the secret if they do not exist.
    public func openLedger() throws -> Ledger {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        if files.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw CLIError("\(path) is a file, not a data directory") }
        } else {
            try files.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let store = try SQLiteLedgerStore(path: databasePath)
        // The ledger holds personal data: readable by its owner only.
        for file in [databasePath, databasePath + "-wal", databasePath + "-shm"] where files.fileExists(atPath: file) {
            try? files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        }
        return Ledger(store: store, secret: try loadSecret())
    }

    /// The installation secret: 32 random bytes, hex, readable by the owner only.
    private func loadSecret() throws -> LedgerSecret {
        let files = FileManager.default
        if let data = files.contents(atPath: secretPath) {
            let hex = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let bytes = hex.hexBytes, bytes.count == 32 else {
                throw CLIError("\(secretPath) is not a valid secret (64 hex digits expected); restore it from backup")
            }
            return LedgerSecret(bytes: bytes)
        }
        if files.fileExists(atPath: databasePath), (try? files.attributesOfItem(atPath: databasePath)[.size] as? Int) ?? 0 > 0,
           try SQLiteLedgerStore(path: databasePath).read({ try $0.entryCount() }) > 0
        {
            throw CLIError("\(secretPath) is missing but the ledger has entries: restore the secret from backup (without it, checkpoints cannot be verified and suppressed identifiers cannot be matched)")
        }
        let secret = LedgerSecret.generate()
        let hex = Hex.string(secret.bytes) + "\n"
        guard files.createFile(atPath: secretPath, contents: Data(hex.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CLIError("cannot write \(secretPath)")
        }
        return secret
    }
}

/// A plain error message for the user.
public struct CLIError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The `--data-dir` option shared by every command that uses the ledger.
public struct DataDirectoryOption: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "The data directory (default: $OPTGATE_DATA_DIR, else ./optgate-data).")
    public var dataDir: String?

    public init() {}

    public var directory: DataDirectory { DataDirectory(option: dataDir) }
}

extension String {
    var hexBytes: [UInt8]? {
        guard count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = startIndex
        while index < endIndex {
            let next = self.index(index, offsetBy: 2)
            guard let byte = UInt8(self[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}

extension Timestamp {
    /// The system clock, for the CLI (the core never reads it).
    static var now: Timestamp { Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)) }
}

extension Data {
    var hex: String { Hex.string(self) }
}
