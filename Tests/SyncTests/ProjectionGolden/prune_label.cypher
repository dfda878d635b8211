UNWIND $rows AS row MATCH (n:Label {repository: row.repository}) WHERE NOT (n)--() DELETE n
