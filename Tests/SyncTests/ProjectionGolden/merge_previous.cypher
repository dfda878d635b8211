UNWIND $rows AS row MATCH (a:Deployment {repository: row.repository, key: row.fromKey}) MATCH (b:Deployment {repository: row.repository, key: row.toKey}) MERGE (a)-[r:PREVIOUS]->(b)
