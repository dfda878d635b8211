CREATE INDEX branch_key IF NOT EXISTS FOR (n:Branch) ON (n.repository, n.name)
