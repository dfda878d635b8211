CREATE CONSTRAINT workflow_key IF NOT EXISTS FOR (n:Workflow) REQUIRE (n.repository, n.id) IS UNIQUE
