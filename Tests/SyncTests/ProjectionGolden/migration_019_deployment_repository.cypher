CREATE INDEX deployment_repository IF NOT EXISTS FOR (n:Deployment) ON (n.repository)
