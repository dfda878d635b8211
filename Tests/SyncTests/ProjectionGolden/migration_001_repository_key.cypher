CREATE CONSTRAINT repository_key IF NOT EXISTS FOR (n:Repository) REQUIRE n.repository IS UNIQUE
