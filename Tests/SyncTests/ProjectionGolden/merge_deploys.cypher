UNWIND $rows AS row MATCH (a:Deployment {repository: row.repository, key: row.fromKey}) MATCH (b:Commit {repository: row.repository, sha: row.toSha}) MERGE (a)-[r:DEPLOYS]->(b)
