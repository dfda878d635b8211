UNWIND $rows AS row MERGE (n:Label {repository: row.repository, name: row.name})
