UNWIND $rows AS row MERGE (n:Branch {repository: row.repository, name: row.name})
