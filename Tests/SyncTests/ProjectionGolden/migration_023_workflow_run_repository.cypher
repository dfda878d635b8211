CREATE INDEX workflow_run_repository IF NOT EXISTS FOR (n:WorkflowRun) ON (n.repository)
