MATCH (n:Deployment {repository: $repository}) DETACH DELETE n
