UNWIND $rows AS row MATCH (n:Deployment {repository: row.repository}) DETACH DELETE n
