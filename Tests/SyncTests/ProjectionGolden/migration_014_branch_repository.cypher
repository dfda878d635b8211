CREATE INDEX branch_repository IF NOT EXISTS FOR (n:Branch) ON (n.repository)
