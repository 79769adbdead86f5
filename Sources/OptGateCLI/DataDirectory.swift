import ArgumentParser
import Foundation
import OptGateCore
import OptGateLedger
import OptGatePostgres
import OptGateSQLite

/// Where OptGate keeps its data: one directory holding the ledger database and the installation
/// secret. Zero setup: it is created on first use.
///
/// Chosen by `--data-dir`, else the `OPTGATE_DATA_DIR` environment variable, else `./optgate-data`.
/// With `--database` (or `OPTGATE_DATABASE_URL`) naming a PostgreSQL database, the ledger lives
/// there instead, and the directory keeps the installation secret (every server sharing the
/// database needs the same one) and the campaign check's snapshot.
public struct DataDirectory {
    public let path: String
    /// The PostgreSQL database holding the ledger, if not the embedded SQLite file.
    public let databaseURL: String?

    public static let environmentVariable = "OPTGATE_DATA_DIR"
    public static let databaseEnvironmentVariable = "OPTGATE_DATABASE_URL"
    public static let defaultPath = "optgate-data"

    /// `ignoringEnvironmentDatabase`: the embedded ledger even if `OPTGATE_DATABASE_URL` is set.
    public init(option: String?, database: String? = nil, ignoringEnvironmentDatabase: Bool = false) {
        let environment = ProcessInfo.processInfo.environment
        path = option ?? environment[Self.environmentVariable] ?? Self.defaultPath
        databaseURL = database ?? (ignoringEnvironmentDatabase ? nil : environment[Self.databaseEnvironmentVariable].flatMap { $0.isEmpty ? nil : $0 })
    }

    /// Where the ledger is, in words (a PostgreSQL location never shows its password).
    public var ledgerDescription: String {
        if let databaseURL, let location = try? PostgresLocation(url: databaseURL) { return location.description }
        return databasePath
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
        let store: any LedgerStore
        if let databaseURL {
            store = try PostgresLedgerStore(location: try PostgresLocation(url: databaseURL))
        } else {
            store = try SQLiteLedgerStore(path: databasePath)
            // The ledger holds personal data: readable by its owner only.
            for file in [databasePath, databasePath + "-wal", databasePath + "-shm"] where files.fileExists(atPath: file) {
                try? files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
            }
        }
        return Ledger(store: store, secret: try loadSecret(store: store))
    }

    /// The installation secret: 32 random bytes, hex, readable by the owner only.
    private func loadSecret(store: any LedgerStore) throws -> LedgerSecret {
        let files = FileManager.default
        if let data = files.contents(atPath: secretPath) {
            let hex = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let bytes = hex.hexBytes, bytes.count == 32 else {
                throw CLIError("\(secretPath) is not a valid secret (64 hex digits expected); restore it from backup")
            }
            return LedgerSecret(bytes: bytes)
        }
        if try store.read({ try $0.entryCount() }) > 0 {
            let source = databaseURL == nil ? "restore the secret from backup" : "copy it from a server that shares this database, or restore it from backup"
            throw CLIError("\(secretPath) is missing but the ledger has entries: \(source) (without it, checkpoints cannot be verified and suppressed identifiers cannot be matched)")
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

/// The `--data-dir` and `--database` options shared by every command that uses the ledger.
public struct DataDirectoryOption: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "The data directory (default: $OPTGATE_DATA_DIR, else ./optgate-data).")
    public var dataDir: String?

    @Option(
        name: .customLong("database"),
        help: ArgumentHelp(
            "A PostgreSQL database for the ledger instead of the data directory's SQLite file (default: $OPTGATE_DATABASE_URL).",
            valueName: "postgres://USER@HOST:PORT/DATABASE"))
    public var database: String?

    public init() {}

    public var directory: DataDirectory { DataDirectory(option: dataDir, database: database) }
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
