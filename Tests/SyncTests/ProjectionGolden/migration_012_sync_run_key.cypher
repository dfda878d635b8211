CREATE CONSTRAINT sync_run_key IF NOT EXISTS FOR (n:SyncRun) REQUIRE (n.repository, n.id) IS UNIQUE
