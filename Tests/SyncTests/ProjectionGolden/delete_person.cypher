UNWIND $rows AS row MATCH (n:Person {repository: row.repository, key: row.key}) DETACH DELETE n
