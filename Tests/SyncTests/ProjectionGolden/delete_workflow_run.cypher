UNWIND $rows AS row MATCH (n:WorkflowRun {repository: row.repository, id: row.id}) DETACH DELETE n
