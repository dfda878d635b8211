CREATE INDEX tag_repository IF NOT EXISTS FOR (n:Tag) ON (n.repository)
