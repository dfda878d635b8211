UNWIND $rows AS row MATCH (a:Commit {repository: row.repository, sha: row.fromSha}) MATCH (b:Commit {repository: row.repository, sha: row.toSha}) MERGE (a)-[r:PARENT]->(b)
