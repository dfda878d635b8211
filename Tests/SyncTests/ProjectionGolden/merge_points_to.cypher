UNWIND $rows AS row MATCH (a:Tag {repository: row.repository, name: row.fromName}) MATCH (b:Commit {repository: row.repository, sha: row.toSha}) MERGE (a)-[r:POINTS_TO]->(b)
