CREATE INDEX person_repository IF NOT EXISTS FOR (n:Person) ON (n.repository)
