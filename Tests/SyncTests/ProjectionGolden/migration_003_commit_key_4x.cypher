CREATE INDEX commit_key IF NOT EXISTS FOR (n:Commit) ON (n.repository, n.sha)
