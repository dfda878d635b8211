CREATE INDEX label_repository IF NOT EXISTS FOR (n:Label) ON (n.repository)
