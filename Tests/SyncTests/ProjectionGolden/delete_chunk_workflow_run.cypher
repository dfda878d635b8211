MATCH (n:WorkflowRun {repository: $repository}) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted
