UNWIND $rows AS row MATCH (a:WorkflowRun {repository: row.repository, id: row.fromId}) MATCH (b:Commit {repository: row.repository, sha: row.toSha}) MERGE (a)-[r:RAN_ON]->(b)
