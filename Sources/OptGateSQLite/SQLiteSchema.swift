import GRDB

/// The schema, as numbered migrations.
enum SQLiteSchema {
    /// The indexes a bulk append sets aside and rebuilds (`LedgerWriter.suspendLookupIndexes`),
    /// exactly as migration v1 creates them.
    static let lookupIndexes: [(name: String, sql: String)] = [
        ("ledger_entry_id", "CREATE UNIQUE INDEX ledger_entry_id ON ledger(entry_id) WHERE entry_id IS NOT NULL"),
        ("ledger_contact", "CREATE INDEX ledger_contact ON ledger(contact_id) WHERE contact_id IS NOT NULL"),
    ]

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: ledger") { db in
            try db.execute(sql: """
                CREATE TABLE ledger (
                    seq INTEGER PRIMARY KEY,
                    recorded_at INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    contact_id TEXT,
                    entry_id TEXT,
                    occurred_at INTEGER,
                    body TEXT NOT NULL,
                    personal_digest BLOB,
                    hash BLOB NOT NULL
                );
                CREATE UNIQUE INDEX ledger_entry_id ON ledger(entry_id) WHERE entry_id IS NOT NULL;
                CREATE INDEX ledger_contact ON ledger(contact_id) WHERE contact_id IS NOT NULL;
                CREATE INDEX ledger_organisation ON ledger(kind) WHERE contact_id IS NULL;
                CREATE TABLE personal_data (
                    seq INTEGER PRIMARY KEY,
                    contact_id TEXT,
                    salt BLOB NOT NULL,
                    body TEXT NOT NULL
                );
                CREATE INDEX personal_data_contact ON personal_data(contact_id);
                CREATE TABLE checkpoints (
                    seq INTEGER PRIMARY KEY,
                    hash BLOB NOT NULL,
                    recorded_at INTEGER NOT NULL,
                    mac BLOB NOT NULL
                );
                CREATE TABLE contacts (
                    id TEXT PRIMARY KEY,
                    created_seq INTEGER NOT NULL,
                    erased_seq INTEGER
                );
                CREATE TABLE identifiers (
                    key BLOB PRIMARY KEY,
                    contact_id TEXT NOT NULL
                );
                CREATE INDEX identifiers_contact ON identifiers(contact_id);
                CREATE TABLE suppression (
                    key BLOB PRIMARY KEY,
                    since INTEGER NOT NULL
                );
                CREATE TABLE contact_state (
                    contact_id TEXT PRIMARY KEY,
                    state TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v2: api keys") { db in
            try db.execute(sql: """
                CREATE TABLE api_keys (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    scopes TEXT NOT NULL,
                    rate_per_second INTEGER,
                    secret_digest BLOB NOT NULL,
                    created_at INTEGER NOT NULL,
                    revoked_at INTEGER
                );
                """)
        }
        migrator.registerMigration("v3: propagation") { db in
            try db.execute(sql: """
                CREATE TABLE destinations (
                    name TEXT PRIMARY KEY,
                    url TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    deadline_hours INTEGER,
                    created_at INTEGER NOT NULL,
                    removed_at INTEGER,
                    cursor INTEGER NOT NULL
                );
                CREATE TABLE deliveries (
                    key TEXT PRIMARY KEY,
                    destination TEXT NOT NULL REFERENCES destinations(name),
                    seq INTEGER NOT NULL,
                    change TEXT NOT NULL,
                    contact_id TEXT NOT NULL,
                    received_at INTEGER NOT NULL,
                    bound_at INTEGER NOT NULL,
                    deadline INTEGER NOT NULL,
                    state TEXT NOT NULL,
                    attempts INTEGER NOT NULL,
                    next_attempt_at REAL NOT NULL,
                    last_attempt_at INTEGER,
                    last_error TEXT,
                    delivered_at INTEGER,
                    UNIQUE (destination, seq)
                );
                CREATE INDEX deliveries_due ON deliveries(destination, state, next_attempt_at);
                CREATE INDEX deliveries_state ON deliveries(state, seq);
                CREATE INDEX deliveries_contact ON deliveries(contact_id);
                """)
        }
        migrator.registerMigration("v4: link keys") { db in
            try db.execute(sql: """
                CREATE TABLE link_keys (
                    id INTEGER PRIMARY KEY,
                    created_at INTEGER NOT NULL,
                    retired_at INTEGER,
                    sealed_material BLOB NOT NULL
                );
                """)
        }
        migrator.registerMigration("v5: personal data found through the ledger") { db in
            // Erasure finds a contact's personal data through `ledger_contact` (the rows share
            // their `seq`). A second index on contact ids cost every event with personal data a
            // write at a random place in the file: about a fifth of the pages a durable write put
            // in the WAL.
            try db.execute(sql: "DROP INDEX IF EXISTS personal_data_contact")
        }
        migrator.registerMigration("v6: permission states folded behind the ledger") { db in
            // Until now every write folded its events into the states in its own transaction, so
            // the states hold every entry there is. The states are kept by contact id alone (one
            // b-tree, not a table and its key's index), so that a fold saves them in key order,
            // page after page.
            try db.execute(sql: """
                CREATE TABLE state_cursor (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    seq INTEGER NOT NULL
                );
                INSERT INTO state_cursor (id, seq) SELECT 1, COALESCE(MAX(seq), 0) FROM ledger;
                CREATE TABLE contact_state_by_id (
                    contact_id TEXT PRIMARY KEY,
                    state TEXT NOT NULL
                ) WITHOUT ROWID;
                INSERT INTO contact_state_by_id (contact_id, state) SELECT contact_id, state FROM contact_state ORDER BY contact_id;
                DROP TABLE contact_state;
                ALTER TABLE contact_state_by_id RENAME TO contact_state;
                """)
        }
        return migrator
    }
}
