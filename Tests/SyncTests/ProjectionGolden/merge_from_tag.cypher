UNWIND $rows AS row MATCH (a:Deployment {repository: row.repository, key: row.fromKey}) MATCH (b:Tag {repository: row.repository, name: row.toName}) MERGE (a)-[r:FROM]->(b)
