UNWIND $rows AS row MATCH (a:Issue {repository: row.repository, number: row.fromNumber}) MATCH (b:Deployment {repository: row.repository, key: row.toKey}) MERGE (a)-[r:ATTRIBUTED_TO]->(b)
