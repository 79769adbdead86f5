import OptGateLedger
import PostgresNIO

/// An error from postgres-nio as OptGate reports it: `StoreUnavailable` when the database cannot be
/// reached (no connection, a lost one, a server shutting down or starting: SQLSTATE classes 08 and
/// 57P), else `PostgresStoreError`.
func storeError(_ error: any Error, doing what: String) -> any Error {
    if error is StoreUnavailable { return error }
    let described = PostgresStoreError(error, doing: what)
    if let error = error as? PSQLError {
        let state = error.serverInfo?[.sqlState]
        if state == nil || state!.hasPrefix("08") || state!.hasPrefix("57P") { return StoreUnavailable(described.description) }
    }
    return described
}

/// A PostgreSQL store's error, in words for the user (never with personal data).
public struct PostgresStoreError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }

    /// An error from postgres-nio in words: the server's message and SQLSTATE when it answered,
    /// else what went wrong with the connection. postgres-nio's own description is deliberately
    /// generic ("Database error").
    init(_ error: any Error, doing what: String) {
        if let error = error as? PostgresStoreError {
            self = error
        } else if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                description = "PostgreSQL, while \(what): \(message)\(state)"
            } else {
                description = "PostgreSQL, while \(what): the connection failed (\(error.code))"
            }
        } else {
            description = "PostgreSQL, while \(what): \(error)"
        }
    }
}
