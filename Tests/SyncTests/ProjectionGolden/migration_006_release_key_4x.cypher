CREATE INDEX release_key IF NOT EXISTS FOR (n:Release) ON (n.repository, n.id)
