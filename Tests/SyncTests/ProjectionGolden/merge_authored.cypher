UNWIND $rows AS row MATCH (a:Person {repository: row.repository, key: row.fromKey}) MATCH (b:Commit {repository: row.repository, sha: row.toSha}) MERGE (a)-[r:AUTHORED]->(b)
