CREATE INDEX workflow_repository IF NOT EXISTS FOR (n:Workflow) ON (n.repository)
