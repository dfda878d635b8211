CREATE INDEX issue_key IF NOT EXISTS FOR (n:Issue) ON (n.repository, n.number)
