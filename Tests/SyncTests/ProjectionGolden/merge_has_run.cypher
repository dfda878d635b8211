UNWIND $rows AS row MATCH (a:Workflow {repository: row.repository, id: row.fromId}) MATCH (b:WorkflowRun {repository: row.repository, id: row.toId}) MERGE (a)-[r:HAS_RUN]->(b)
