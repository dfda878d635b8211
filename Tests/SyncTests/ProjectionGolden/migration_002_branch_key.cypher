CREATE CONSTRAINT branch_key IF NOT EXISTS FOR (n:Branch) REQUIRE (n.repository, n.name) IS UNIQUE
