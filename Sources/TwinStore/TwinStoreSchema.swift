import GRDB

/// The store's schema as a named, ordered list of migrations.
///
/// Conventions: every entity table is keyed by `(repository, natural key)` and carries `seq` (the store-wide
/// change counter of the row's latest content change, from `store_meta.last_seq`) and `deleted` (soft delete).
/// Times are REAL Unix seconds (UTC); lists (parents, labels, item keys, counters) are JSON text.
/// `store_meta.schema_version` says which schema wrote the file, so an older build refuses a newer store.
enum TwinStoreSchema {
    /// The schema version this build writes (the number of the last migration).
    static let currentVersion = 6

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-initial-schema") { db in
            try db.execute(sql: version1)
            try setVersion(1, in: db)
        }
        migrator.registerMigration("v2-deployment-status-history") { db in
            try db.execute(sql: version2)
            try setVersion(2, in: db)
        }
        migrator.registerMigration("v3-history-coverage") { db in
            try db.execute(sql: version3)
            try setVersion(3, in: db)
        }
        migrator.registerMigration("v4-discovery-pages") { db in
            try db.execute(sql: version4)
            try setVersion(4, in: db)
        }
        migrator.registerMigration("v5-alert-signals") { db in
            try db.execute(sql: TwinStore.alertSchema)
            try setVersion(5, in: db)
        }
        migrator.registerMigration(plannerStateMigration) { db in
            try db.execute(sql: plannerState)
            try setVersion(6, in: db)
        }
        return migrator
    }

    private static func setVersion(_ version: Int, in db: Database) throws {
        try db.execute(
            sql: "INSERT INTO store_meta (key, value) VALUES ('schema_version', ?) "
                + "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            arguments: [version])
    }

    /// Rate limits are per credential (each token, each App installation): `rate_limits` replaces `rate_limit`,
    /// whose rows become the `default` credential's. And the repositories each page of a discovery listing held (`/orgs/{org}/repos`, `/installation/repositories`),
    /// as JSON, next to the page's ETag in `http_cache`: a 304 means "the same repositories as last time".
    private static let version4 = """
        CREATE TABLE discovery_pages (url TEXT PRIMARY KEY NOT NULL, items TEXT NOT NULL, updated_at REAL NOT NULL);
        CREATE TABLE rate_limits (
            credential TEXT NOT NULL, resource TEXT NOT NULL, "limit" INTEGER NOT NULL, remaining INTEGER NOT NULL,
            used INTEGER NOT NULL, reset REAL NOT NULL, observed_at REAL NOT NULL,
            PRIMARY KEY (credential, resource));
        INSERT INTO rate_limits (credential, resource, "limit", remaining, used, reset, observed_at)
            SELECT 'default', resource, "limit", remaining, used, reset, observed_at FROM rate_limit;
        DROP TABLE rate_limit;
        """

    /// How far back each progressively synced stream reaches (spec v1.2 "Coverage"): `covered_from` is the
    /// instant from which the stream is whole, `complete` says it reaches the configured `since`. A repository
    /// synced before this migration has no rows; it synced its whole history, which `historyCoverage` infers
    /// from its successful sync runs.
    private static let version3 = """
        CREATE TABLE history_coverage (
            repository TEXT NOT NULL, stream TEXT NOT NULL, covered_from REAL, complete INTEGER NOT NULL,
            updated_at REAL NOT NULL,
            PRIMARY KEY (repository, stream));
        """

    /// Every status of every deployment, not only the latest state: spec v1.2 dates a deployment by its first
    /// `success` status, whatever follows (`auto_inactive` marks superseded deployments `inactive`).
    /// `deployments.statuses_synced` says whether `deployment_statuses` holds the statuses of the deployment's last
    /// statuses fetch; rows written before this migration start at 0, so the next sync fetches their statuses once
    /// more, without the `If-None-Match` of the old cache entry (that response's statuses were not kept), and
    /// stores the new ETag for the checks after it.
    private static let version2 = """
        CREATE TABLE deployment_statuses (
            repository TEXT NOT NULL, deployment_id INTEGER NOT NULL, id INTEGER NOT NULL,
            state TEXT NOT NULL, created_at REAL NOT NULL,
            PRIMARY KEY (repository, deployment_id, id));
        ALTER TABLE deployments ADD COLUMN statuses_synced INTEGER NOT NULL DEFAULT 0;
        """

    private static let version1 = """
        CREATE TABLE store_meta (key TEXT PRIMARY KEY NOT NULL, value NOT NULL);
        INSERT INTO store_meta (key, value) VALUES ('last_seq', 0);

        CREATE TABLE commits (
            repository TEXT NOT NULL, sha TEXT NOT NULL, parents TEXT NOT NULL,
            author_name TEXT NOT NULL, author_email TEXT NOT NULL, author_login TEXT,
            committer_name TEXT NOT NULL, committer_email TEXT NOT NULL, committer_login TEXT,
            authored_at REAL NOT NULL, committed_at REAL NOT NULL, message TEXT NOT NULL,
            seq INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (repository, sha));
        CREATE INDEX commits_by_seq ON commits (repository, seq);

        CREATE TABLE tags (
            repository TEXT NOT NULL, name TEXT NOT NULL, commit_sha TEXT NOT NULL,
            annotated INTEGER NOT NULL, tag_object_sha TEXT, tagger_date REAL,
            seq INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (repository, name));
        CREATE INDEX tags_by_seq ON tags (repository, seq);

        CREATE TABLE releases (
            repository TEXT NOT NULL, id INTEGER NOT NULL, tag_name TEXT NOT NULL, name TEXT,
            draft INTEGER NOT NULL, prerelease INTEGER NOT NULL, created_at REAL NOT NULL, published_at REAL,
            target_commitish TEXT NOT NULL, commit_sha TEXT,
            seq INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (repository, id));
        CREATE INDEX releases_by_seq ON releases (repository, seq);

        CREATE TABLE issues (
            repository TEXT NOT NULL, number INTEGER NOT NULL, id INTEGER NOT NULL, title TEXT NOT NULL,
            state TEXT NOT NULL, state_reason TEXT, labels TEXT NOT NULL, user_login TEXT,
            created_at REAL NOT NULL, updated_at REAL NOT NULL, closed_at REAL, is_pull_request INTEGER NOT NULL,
            seq INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (repository, number));
        CREATE INDEX issues_by_seq ON issues (repository, seq);

        CREATE TABLE workflows (
            repository TEXT NOT NULL, id INTEGER NOT NULL, name TEXT NOT NULL, path TEXT NOT NULL,
            state TEXT NOT NULL,
            seq INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (repository, id));
        CREATE INDEX workflows_by_seq ON workflows (repository, seq);

        CREATE TABLE workflow_runs (
            repository TEXT NOT NULL, id INTEGER NOT NULL, workflow_id INTEGER NOT NULL, name TEXT,
            head_branch TEXT, head_sha TEXT NOT NULL, event TEXT NOT NULL, status TEXT NOT NULL, conclusion TEXT,
            run_attempt INTEGER NOT NULL, run_number INTEGER NOT NULL, created_at REAL NOT NULL,
            run_started_at REAL, updated_at REAL NOT NULL,
            seq INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (repository, id));
        CREATE INDEX workflow_runs_by_seq ON workflow_runs (repository, seq);
        CREATE INDEX workflow_runs_pending ON workflow_runs (repository, status);

        CREATE TABLE deployments (
            repository TEXT NOT NULL, id INTEGER NOT NULL, sha TEXT NOT NULL, ref TEXT NOT NULL,
            environment TEXT NOT NULL, created_at REAL NOT NULL, updated_at REAL NOT NULL,
            latest_state TEXT, latest_state_at REAL,
            seq INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (repository, id));
        CREATE INDEX deployments_by_seq ON deployments (repository, seq);

        CREATE TABLE http_cache (
            url TEXT PRIMARY KEY NOT NULL, etag TEXT, next_url TEXT, item_keys TEXT NOT NULL,
            updated_at REAL NOT NULL);

        CREATE TABLE sync_cursors (
            repository TEXT NOT NULL, stream TEXT NOT NULL, state TEXT NOT NULL, updated_at REAL NOT NULL,
            PRIMARY KEY (repository, stream));

        CREATE TABLE sync_runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT, repository TEXT NOT NULL, started_at REAL NOT NULL,
            finished_at REAL, outcome TEXT NOT NULL, error TEXT,
            requests_by_status TEXT NOT NULL DEFAULT '{}', items_by_entity TEXT NOT NULL DEFAULT '{}');
        CREATE INDEX sync_runs_by_repository ON sync_runs (repository, started_at);

        CREATE TABLE rate_limit (
            resource TEXT PRIMARY KEY NOT NULL, "limit" INTEGER NOT NULL, remaining INTEGER NOT NULL,
            used INTEGER NOT NULL, reset REAL NOT NULL, observed_at REAL NOT NULL);

        CREATE TABLE projection_state (repository TEXT PRIMARY KEY NOT NULL, watermark INTEGER NOT NULL);

        CREATE TABLE projection_runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT, repository TEXT NOT NULL, started_at REAL NOT NULL,
            finished_at REAL NOT NULL, outcome TEXT NOT NULL, error TEXT);
        """
}
