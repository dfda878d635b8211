CREATE CONSTRAINT deployment_key IF NOT EXISTS FOR (n:Deployment) REQUIRE (n.repository, n.key) IS UNIQUE
