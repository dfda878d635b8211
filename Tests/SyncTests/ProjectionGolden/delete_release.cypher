UNWIND $rows AS row MATCH (n:Release {repository: row.repository, id: row.id}) DETACH DELETE n
