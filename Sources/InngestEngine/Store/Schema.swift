import GRDB

/// The versioned schema of the engine's database. Each migration runs once; never edit a
/// shipped migration, add a new one.
enum Schema {
    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { database in
            try database.execute(
                sql: """
                    CREATE TABLE events (
                        id TEXT PRIMARY KEY,            -- internal ULID
                        name TEXT NOT NULL,
                        body TEXT NOT NULL,             -- the event as JSON
                        sender_id TEXT,                 -- the sender's event id (idempotency key)
                        ts INTEGER NOT NULL,            -- ms since epoch
                        received_at INTEGER NOT NULL
                    );
                    CREATE INDEX events_by_name ON events(name, received_at);
                    CREATE TABLE seen_event_ids (
                        sender_id TEXT PRIMARY KEY,
                        seen_at INTEGER NOT NULL
                    );
                    CREATE TABLE runs (
                        id TEXT PRIMARY KEY,            -- ULID
                        function_id TEXT NOT NULL,
                        status TEXT NOT NULL,           -- queued running waiting completed failed cancelled
                        events TEXT NOT NULL,           -- JSON array of the run's events
                        event_id TEXT,                  -- internal id of the triggering event
                        attempt INTEGER NOT NULL DEFAULT 0, -- function-level attempts since the last step completed
                        created_at INTEGER NOT NULL,
                        started_at INTEGER,
                        ended_at INTEGER,
                        output TEXT,
                        error TEXT,
                        parent TEXT                     -- "<parent run>.<hashed step>" for an invoked run
                    );
                    CREATE INDEX runs_by_function ON runs(function_id, status, created_at);
                    CREATE INDEX runs_by_status ON runs(status);
                    CREATE INDEX runs_by_event ON runs(event_id);
                    CREATE TABLE steps (
                        run_id TEXT NOT NULL,
                        hashed_id TEXT NOT NULL,
                        user_id TEXT NOT NULL,
                        idx INTEGER NOT NULL,
                        kind TEXT NOT NULL,
                        status TEXT NOT NULL,           -- completed failed retrying sleeping waiting invoking
                        attempts INTEGER NOT NULL DEFAULT 0,
                        started_at INTEGER,
                        ended_at INTEGER,
                        memo TEXT,                      -- the recorded result, as the wire memo JSON
                        error TEXT,                     -- the last attempt's error while retrying
                        seq INTEGER,                    -- completion order
                        PRIMARY KEY (run_id, hashed_id)
                    ) WITHOUT ROWID;
                    CREATE TABLE waits (
                        run_id TEXT NOT NULL,
                        hashed_id TEXT NOT NULL,        -- the step, or "cancel:<n>" for cancelOn
                        kind TEXT NOT NULL,             -- wait cancel
                        event_name TEXT NOT NULL,
                        match_field TEXT,               -- dotted path into the awaited event, when the condition starts with a match
                        match_key TEXT,                 -- JSON of the value it must have
                        condition TEXT,
                        run_event TEXT NOT NULL,        -- the run's event, the `event` of the condition
                        expires_at INTEGER NOT NULL,
                        PRIMARY KEY (run_id, hashed_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX waits_by_key ON waits(event_name, match_field, match_key);
                    CREATE TABLE timers (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        due_at INTEGER NOT NULL,
                        kind TEXT NOT NULL,
                        run_id TEXT,
                        hashed_id TEXT,
                        payload TEXT
                    );
                    CREATE INDEX timers_by_due ON timers(due_at);
                    CREATE INDEX timers_by_run ON timers(run_id);
                    CREATE TABLE cron_schedules (
                        function_id TEXT NOT NULL,
                        schedule TEXT NOT NULL,
                        PRIMARY KEY (function_id, schedule)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v2-flow-control") { database in
            try database.execute(
                sql: """
                    -- GCRA state of throttles, rate limits and idempotency keys: the theoretical arrival time.
                    CREATE TABLE flow_limits (
                        scope TEXT NOT NULL,            -- "<option>:<function>"
                        key TEXT NOT NULL,
                        tat INTEGER NOT NULL,           -- ms
                        PRIMARY KEY (scope, key)
                    ) WITHOUT ROWID;
                    CREATE TABLE debounces (
                        function_id TEXT NOT NULL,
                        key TEXT NOT NULL,
                        event TEXT NOT NULL,            -- the latest event (it wins)
                        event_id TEXT NOT NULL,
                        first_at INTEGER NOT NULL,
                        due_at INTEGER NOT NULL,
                        PRIMARY KEY (function_id, key)
                    ) WITHOUT ROWID;
                    CREATE TABLE batches (
                        function_id TEXT NOT NULL,
                        key TEXT NOT NULL,
                        events TEXT NOT NULL,           -- JSON array, in arrival order
                        event_ids TEXT NOT NULL,
                        first_at INTEGER NOT NULL,
                        PRIMARY KEY (function_id, key)
                    ) WITHOUT ROWID;
                    ALTER TABLE runs ADD COLUMN singleton_key TEXT;
                    ALTER TABLE runs ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
                    CREATE INDEX runs_by_singleton ON runs(function_id, singleton_key, status);
                    CREATE INDEX timers_by_payload ON timers(kind, payload);
                    """)
        }
        migrator.registerMigration("v3-synced-apps") { database in
            try database.execute(
                sql: """
                    CREATE TABLE apps (
                        id TEXT PRIMARY KEY,            -- the app id
                        registration TEXT NOT NULL,     -- the register payload as JSON, read again at start
                        synced_at INTEGER NOT NULL
                    );
                    """)
        }
        // A cron timer's scheduled time had been kept in `hashed_id` as text; it gets a column.
        migrator.registerMigration("v4-cron-scheduled-at") { database in
            try database.execute(
                sql: """
                    ALTER TABLE timers ADD COLUMN scheduled_at INTEGER; -- ms since epoch: the cron time a timer fires for
                    UPDATE timers SET scheduled_at = CAST(hashed_id AS INTEGER), hashed_id = NULL WHERE kind = 'cron';
                    """)
        }
        // Retention deletes finished runs and old events oldest first: indexes on their times.
        migrator.registerMigration("v5-retention") { database in
            try database.execute(
                sql: """
                    CREATE INDEX runs_by_end ON runs(ended_at) WHERE ended_at IS NOT NULL;
                    CREATE INDEX events_by_received ON events(received_at);
                    CREATE INDEX seen_event_ids_by_time ON seen_event_ids(seen_at);
                    """)
        }
        // A run keeps the trace context (W3C `traceparent`, …) of the send or invoke that started it.
        migrator.registerMigration("v6-run-trace-context") { database in
            try database.execute(sql: "ALTER TABLE runs ADD COLUMN trace_context TEXT; -- JSON object of trace fields, or NULL")
        }
        // What the dashboard shows: what a parked step waits for (kept once it resolves), each
        // failed attempt of a retried step, where a rerun came from. Runs are listed newest
        // first, by status, function or triggering event, each through an index in id
        // (creation) order, so a page is a range of an index, never a sort of all matches.
        migrator.registerMigration("v7-run-history") { database in
            try database.execute(
                sql: """
                    ALTER TABLE steps ADD COLUMN detail TEXT;    -- JSON: a sleep's `until`, a wait's `event`/`if`/`until`, an invoke's `function`/`run_id`/`until`
                    CREATE TABLE step_attempts (
                        run_id TEXT NOT NULL,
                        hashed_id TEXT NOT NULL,
                        attempt INTEGER NOT NULL,       -- 1-based
                        started_at INTEGER NOT NULL,
                        ended_at INTEGER NOT NULL,
                        error TEXT NOT NULL,            -- the attempt's error as JSON
                        PRIMARY KEY (run_id, hashed_id, attempt)
                    ) WITHOUT ROWID;
                    ALTER TABLE runs ADD COLUMN rerun_of TEXT;  -- the run this one reruns
                    ALTER TABLE runs ADD COLUMN event_name TEXT; -- the name of the run's (first) event
                    UPDATE runs SET event_name = json_extract(events, '$[0].name');
                    DROP INDEX runs_by_status;
                    CREATE INDEX runs_by_status ON runs(status, id);
                    DROP INDEX runs_by_function;
                    CREATE INDEX runs_by_function ON runs(function_id, status, id);
                    CREATE INDEX runs_by_function_id ON runs(function_id, id);
                    CREATE INDEX runs_by_event_name ON runs(event_name, id);
                    """)
        }
        // Few runs have a singleton key: the index keeps only theirs, so every other run's
        // insert and status change skips it. `singleton_key = ?` implies the index's condition.
        migrator.registerMigration("v8-singleton-index-partial") { database in
            try database.execute(
                sql: """
                    DROP INDEX runs_by_singleton;
                    CREATE INDEX runs_by_singleton ON runs(function_id, singleton_key, status) WHERE singleton_key IS NOT NULL;
                    """)
        }
        // `step.waitForSignal`: a signal name resolves one wait at a time, so the name is the key.
        // A wait that another took over ("replace") keeps its step and timer, not this row.
        migrator.registerMigration("v9-signal-waits") { database in
            try database.execute(
                sql: """
                    CREATE TABLE signal_waits (
                        signal TEXT PRIMARY KEY,
                        run_id TEXT NOT NULL,
                        hashed_id TEXT NOT NULL,
                        expires_at INTEGER NOT NULL     -- ms since epoch
                    ) WITHOUT ROWID;
                    CREATE INDEX signal_waits_by_run ON signal_waits(run_id);
                    """)
        }
        // Only flow-control and cron timers have a payload. Indexing only theirs keeps the
        // planner from reading every timer of a kind through this index when a run's timer is
        // deleted by kind (a resolved wait, a finished invoke): that delete goes through
        // `timers_by_run` now.
        migrator.registerMigration("v10-timer-payload-index-partial") { database in
            try database.execute(
                sql: """
                    DROP INDEX timers_by_payload;
                    CREATE INDEX timers_by_payload ON timers(kind, payload) WHERE payload IS NOT NULL;
                    """)
        }
        return migrator
    }
}
