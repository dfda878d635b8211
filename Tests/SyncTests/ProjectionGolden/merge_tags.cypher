UNWIND $rows AS row MATCH (a:Release {repository: row.repository, id: row.fromId}) MATCH (b:Commit {repository: row.repository, sha: row.toSha}) MERGE (a)-[r:TAGS]->(b)
