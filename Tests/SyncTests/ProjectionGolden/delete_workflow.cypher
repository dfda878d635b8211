UNWIND $rows AS row MATCH (n:Workflow {repository: row.repository, id: row.id}) DETACH DELETE n
