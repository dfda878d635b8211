CREATE CONSTRAINT person_key IF NOT EXISTS FOR (n:Person) REQUIRE (n.repository, n.key) IS UNIQUE
