UNWIND $rows AS row MATCH (a:Deployment {repository: row.repository, key: row.fromKey}) MATCH (b:Release {repository: row.repository, id: row.toId}) MERGE (a)-[r:FROM]->(b)
