CREATE INDEX workflow_run_key IF NOT EXISTS FOR (n:WorkflowRun) ON (n.repository, n.id)
