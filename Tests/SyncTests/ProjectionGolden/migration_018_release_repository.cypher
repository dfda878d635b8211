CREATE INDEX release_repository IF NOT EXISTS FOR (n:Release) ON (n.repository)
