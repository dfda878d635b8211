UNWIND $rows AS row MATCH (a:Branch {repository: row.repository, name: row.fromName}) MATCH (b:Commit {repository: row.repository, sha: row.toSha}) MERGE (a)-[r:HEAD]->(b)
