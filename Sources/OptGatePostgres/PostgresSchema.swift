/// The PostgreSQL schema, as numbered migrations applied when a store opens (in one transaction,
/// under the writers' lock, so that two servers starting together migrate once). The tables are
/// those of the SQLite store (`SQLiteSchema`) at its latest version, in PostgreSQL's types.
enum PostgresSchema {
    /// The migrations, in order; a database records how many it has applied in `optgate_schema`.
    static let migrations: [(name: String, sql: String)] = [
        (
            "v1: ledger, keys, outbox",
            """
            CREATE TABLE ledger (
                seq BIGINT PRIMARY KEY,
                recorded_at BIGINT NOT NULL,
                kind TEXT NOT NULL,
                contact_id TEXT,
                entry_id TEXT,
                occurred_at BIGINT,
                body TEXT NOT NULL,
                personal_digest BYTEA,
                hash BYTEA NOT NULL
            );
            CREATE UNIQUE INDEX ledger_entry_id ON ledger(entry_id) WHERE entry_id IS NOT NULL;
            CREATE INDEX ledger_contact ON ledger(contact_id, seq) WHERE contact_id IS NOT NULL;
            CREATE INDEX ledger_organisation ON ledger(kind, seq) WHERE contact_id IS NULL;
            CREATE TABLE personal_data (
                seq BIGINT PRIMARY KEY,
                contact_id TEXT,
                salt BYTEA NOT NULL,
                body TEXT NOT NULL
            );
            CREATE TABLE checkpoints (
                seq BIGINT PRIMARY KEY,
                hash BYTEA NOT NULL,
                recorded_at BIGINT NOT NULL,
                mac BYTEA NOT NULL
            );
            CREATE TABLE contacts (
                id TEXT PRIMARY KEY,
                created_seq BIGINT NOT NULL,
                erased_seq BIGINT
            );
            CREATE TABLE identifiers (
                key BYTEA PRIMARY KEY,
                contact_id TEXT NOT NULL
            );
            CREATE INDEX identifiers_contact ON identifiers(contact_id);
            CREATE TABLE suppression (
                key BYTEA PRIMARY KEY,
                since BIGINT NOT NULL
            );
            CREATE TABLE contact_state (
                contact_id TEXT PRIMARY KEY,
                state TEXT NOT NULL
            );
            CREATE TABLE state_cursor (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                seq BIGINT NOT NULL
            );
            CREATE TABLE api_keys (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                scopes TEXT NOT NULL,
                rate_per_second BIGINT,
                secret_digest BYTEA NOT NULL,
                created_at BIGINT NOT NULL,
                revoked_at BIGINT
            );
            CREATE TABLE destinations (
                name TEXT PRIMARY KEY,
                url TEXT NOT NULL,
                kind TEXT NOT NULL,
                deadline_hours BIGINT,
                created_at BIGINT NOT NULL,
                removed_at BIGINT,
                cursor BIGINT NOT NULL
            );
            CREATE TABLE deliveries (
                key TEXT PRIMARY KEY,
                destination TEXT NOT NULL REFERENCES destinations(name),
                seq BIGINT NOT NULL,
                change TEXT NOT NULL,
                contact_id TEXT NOT NULL,
                received_at BIGINT NOT NULL,
                bound_at BIGINT NOT NULL,
                deadline BIGINT NOT NULL,
                state TEXT NOT NULL,
                attempts BIGINT NOT NULL,
                next_attempt_at DOUBLE PRECISION NOT NULL,
                last_attempt_at BIGINT,
                last_error TEXT,
                delivered_at BIGINT,
                UNIQUE (destination, seq)
            );
            CREATE INDEX deliveries_due ON deliveries(destination, state, next_attempt_at);
            CREATE INDEX deliveries_state ON deliveries(state, seq);
            CREATE INDEX deliveries_contact ON deliveries(contact_id);
            CREATE TABLE link_keys (
                id BIGINT PRIMARY KEY,
                created_at BIGINT NOT NULL,
                retired_at BIGINT,
                sealed_material BYTEA NOT NULL
            );
            """
        )
    ]
}
