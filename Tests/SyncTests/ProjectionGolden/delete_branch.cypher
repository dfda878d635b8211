UNWIND $rows AS row MATCH (n:Branch {repository: row.repository, name: row.name}) DETACH DELETE n
