CREATE CONSTRAINT release_key IF NOT EXISTS FOR (n:Release) REQUIRE (n.repository, n.id) IS UNIQUE
