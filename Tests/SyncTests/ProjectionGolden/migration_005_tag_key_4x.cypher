CREATE INDEX tag_key IF NOT EXISTS FOR (n:Tag) ON (n.repository, n.name)
