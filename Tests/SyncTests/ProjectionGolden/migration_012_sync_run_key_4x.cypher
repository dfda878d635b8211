CREATE INDEX sync_run_key IF NOT EXISTS FOR (n:SyncRun) ON (n.repository, n.id)
