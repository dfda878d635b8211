CREATE INDEX sync_run_repository IF NOT EXISTS FOR (n:SyncRun) ON (n.repository)
