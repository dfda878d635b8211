CREATE INDEX person_key IF NOT EXISTS FOR (n:Person) ON (n.repository, n.key)
