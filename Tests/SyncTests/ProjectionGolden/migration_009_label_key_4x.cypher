CREATE INDEX label_key IF NOT EXISTS FOR (n:Label) ON (n.repository, n.name)
