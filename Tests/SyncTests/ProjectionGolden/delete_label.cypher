UNWIND $rows AS row MATCH (n:Label {repository: row.repository, name: row.name}) DETACH DELETE n
