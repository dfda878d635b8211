UNWIND $rows AS row MERGE (n:Workflow {repository: row.repository, id: row.id}) SET n.name = row.name, n.path = row.path, n.state = row.state
