import Foundation
import GRDB
import GRDBSQLite

/// Runs a prepared statement with its values bound (and its rows read) straight through SQLite's C
/// interface, for the statements that run once per ledger entry or contact: GRDB's generic
/// arguments (an array of `DatabaseValue`s built for every row) and its generic column decoding
/// cost more than SQLite's own work for an insert or a row.
struct DirectBinding {
    let statement: Statement
    private var handle: OpaquePointer { statement.sqliteStatement }

    /// Starts a new execution. Every parameter must then be bound (nil binds NULL): the previous
    /// execution's values are not cleared.
    init(_ statement: Statement) throws {
        self.statement = statement
        let code = sqlite3_reset(statement.sqliteStatement)
        guard code == SQLITE_OK else { throw error(code) }
    }

    /// SQLite copies every value it is given (`SQLITE_TRANSIENT`), so none must outlive the call.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func bind(_ index: Int32, _ value: Int64?) {
        guard let value else { return null(index) }
        sqlite3_bind_int64(handle, index, value)
    }

    func bind(_ index: Int32, _ value: String?) {
        guard var value else { return null(index) }
        value.withUTF8 { bytes in
            guard let start = bytes.baseAddress, bytes.count > 0 else {
                _ = sqlite3_bind_text(handle, index, "", 0, Self.transient)
                return
            }
            start.withMemoryRebound(to: CChar.self, capacity: bytes.count) { chars in
                _ = sqlite3_bind_text(handle, index, chars, Int32(bytes.count), Self.transient)
            }
        }
    }

    func bind(_ index: Int32, _ value: Data?) {
        guard let value else { return null(index) }
        value.withUnsafeBytes { bytes in
            // An empty blob is still a blob, not NULL: SQLite needs a non-null pointer for it.
            _ = sqlite3_bind_blob(handle, index, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, Int32(bytes.count), Self.transient)
        }
    }

    private func null(_ index: Int32) {
        sqlite3_bind_null(handle, index)
    }

    /// Runs a query for at most one row: `read` gets the row's columns, if there is a row.
    func single<T>(_ read: (DirectBinding) throws -> T?) throws -> T? {
        let code = sqlite3_step(handle)
        defer { sqlite3_reset(handle) }
        switch code {
        case SQLITE_ROW: return try read(self)
        case SQLITE_DONE: return nil
        default: throw error(code)
        }
    }

    /// Runs a query to its end: `read` gets each row's columns in turn.
    func forEachRow(_ read: (DirectBinding) throws -> Void) throws {
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            switch code {
            case SQLITE_ROW: try read(self)
            case SQLITE_DONE: return
            default: throw error(code)
            }
        }
    }

    func int64(_ column: Int32) -> Int64? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, column)
    }

    func text(_ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    func blob(_ column: Int32) -> Data? {
        guard sqlite3_column_type(handle, column) != SQLITE_NULL else { return nil }
        // The pointer first, then the size (SQLite's documented order); an empty blob has no pointer.
        guard let bytes = sqlite3_column_blob(handle, column) else { return Data() }
        return Data(bytes: bytes, count: Int(sqlite3_column_bytes(handle, column)))
    }

    /// Runs the statement to completion (an INSERT: one step).
    func run() throws {
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else { throw error(code) }
    }

    private func error(_ code: Int32) -> DatabaseError {
        let message = sqlite3_db_handle(statement.sqliteStatement).flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }
}
