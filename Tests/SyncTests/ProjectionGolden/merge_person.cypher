UNWIND $rows AS row MERGE (n:Person {repository: row.repository, key: row.key}) SET n.login = row.login
