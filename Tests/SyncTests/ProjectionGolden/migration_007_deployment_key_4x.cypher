CREATE INDEX deployment_key IF NOT EXISTS FOR (n:Deployment) ON (n.repository, n.key)
