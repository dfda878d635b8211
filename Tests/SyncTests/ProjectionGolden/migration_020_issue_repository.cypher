CREATE INDEX issue_repository IF NOT EXISTS FOR (n:Issue) ON (n.repository)
