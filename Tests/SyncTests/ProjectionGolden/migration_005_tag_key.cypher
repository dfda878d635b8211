CREATE CONSTRAINT tag_key IF NOT EXISTS FOR (n:Tag) REQUIRE (n.repository, n.name) IS UNIQUE
