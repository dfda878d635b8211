CREATE CONSTRAINT label_key IF NOT EXISTS FOR (n:Label) REQUIRE (n.repository, n.name) IS UNIQUE
