UNWIND $rows AS row MATCH (n:Person {repository: row.repository}) WHERE NOT (n)--() DELETE n
