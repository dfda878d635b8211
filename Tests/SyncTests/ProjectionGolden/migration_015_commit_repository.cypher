CREATE INDEX commit_repository IF NOT EXISTS FOR (n:Commit) ON (n.repository)
