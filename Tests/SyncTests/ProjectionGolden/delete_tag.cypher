UNWIND $rows AS row MATCH (n:Tag {repository: row.repository, name: row.name}) DETACH DELETE n
