UNWIND $rows AS row MERGE (n:Repository {repository: row.repository}) SET n.branch = row.branch
