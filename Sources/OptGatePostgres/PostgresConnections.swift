import Foundation
import Logging
import OptGateLedger
import NIOCore
import NIOPosix
import PostgresNIO

/// The connections of one store: opened on demand up to `maximum`, kept idle between uses, and used
/// by one caller at a time. The ledger's protocol is synchronous (its callers are the server's
/// writer thread, request handlers and the CLI), so a caller blocks on its query's future; the
/// connections run on an event loop of their own, never on one a caller could be blocking.
final class PostgresConnections: @unchecked Sendable {
    let location: PostgresLocation
    private let group: MultiThreadedEventLoopGroup
    private let logger: Logger
    private let maximum: Int
    private let condition = NSCondition()
    private var idle: [PostgresConnection] = []
    private var opened = 0
    private var nextID = 0
    private var closed = false

    init(location: PostgresLocation, maximum: Int) {
        self.location = location
        self.maximum = maximum
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var logger = Logger(label: "optgate.postgres")
        // postgres-nio logs queries and their values below this level: no personal data in logs.
        logger.logLevel = .warning
        self.logger = logger
    }

    deinit {
        close()
        try? group.syncShutdownGracefully()
    }

    /// Runs `body` with a connection of its own; a connection that failed is not reused.
    func with<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let connection = try checkOut()
        do {
            let result = try body(connection)
            checkIn(connection)
            return result
        } catch {
            checkIn(connection)
            throw error
        }
    }

    /// Runs one statement and collects its rows.
    func run(_ query: PostgresQuery, on connection: PostgresConnection, doing what: @autoclosure () -> String) throws -> PostgresQueryResult {
        do {
            return try connection.query(query, logger: logger).wait()
        } catch {
            throw storeError(error, doing: what())
        }
    }

    /// Closes every idle connection; connections in use close when they come back.
    func close() {
        condition.lock()
        closed = true
        let connections = idle
        idle.removeAll()
        opened -= connections.count
        condition.unlock()
        for connection in connections { try? connection.close().wait() }
    }

    private func checkOut() throws -> PostgresConnection {
        condition.lock()
        while true {
            if closed {
                condition.unlock()
                throw StoreUnavailable("the PostgreSQL store at \(location) is closed")
            }
            if let connection = idle.popLast() {
                if connection.isClosed {
                    opened -= 1
                    continue
                }
                condition.unlock()
                return connection
            }
            if opened < maximum { break }
            condition.wait()
        }
        opened += 1
        nextID += 1
        let id = nextID
        condition.unlock()
        do {
            return try open(id: id)
        } catch {
            condition.lock()
            opened -= 1
            condition.signal()
            condition.unlock()
            throw error
        }
    }

    private func checkIn(_ connection: PostgresConnection) {
        condition.lock()
        if connection.isClosed || closed {
            opened -= 1
            condition.signal()
            condition.unlock()
            if !connection.isClosed { try? connection.close().wait() }
            return
        }
        idle.append(connection)
        condition.signal()
        condition.unlock()
    }

    /// A new connection, with OptGate's schema first on its search path.
    private func open(id: Int) throws -> PostgresConnection {
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection.connect(
                on: group.next(), configuration: location.configuration, id: id, logger: logger
            ).wait()
        } catch {
            throw StoreUnavailable(PostgresStoreError(error, doing: "connecting to \(location)").description)
        }
        do {
            if location.schema != "public" {
                _ = try run(PostgresQuery(unsafeSQL: "SET search_path TO \(location.schema)"), on: connection, doing: "choosing schema \(location.schema)")
            }
            return connection
        } catch {
            try? connection.close().wait()
            throw error
        }
    }
}
