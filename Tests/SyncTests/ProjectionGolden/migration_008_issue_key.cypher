CREATE CONSTRAINT issue_key IF NOT EXISTS FOR (n:Issue) REQUIRE (n.repository, n.number) IS UNIQUE
