CREATE CONSTRAINT workflow_run_key IF NOT EXISTS FOR (n:WorkflowRun) REQUIRE (n.repository, n.id) IS UNIQUE
