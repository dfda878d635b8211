UNWIND $rows AS row MATCH (n:Deployment {repository: row.repository, key: row.key}) DETACH DELETE n
