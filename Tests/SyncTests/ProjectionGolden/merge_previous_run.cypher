UNWIND $rows AS row MATCH (a:WorkflowRun {repository: row.repository, id: row.fromId}) MATCH (b:WorkflowRun {repository: row.repository, id: row.toId}) MERGE (a)-[r:PREVIOUS_RUN]->(b)
