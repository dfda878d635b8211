CREATE INDEX workflow_key IF NOT EXISTS FOR (n:Workflow) ON (n.repository, n.id)
