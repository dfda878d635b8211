CREATE CONSTRAINT commit_key IF NOT EXISTS FOR (n:Commit) REQUIRE (n.repository, n.sha) IS UNIQUE
