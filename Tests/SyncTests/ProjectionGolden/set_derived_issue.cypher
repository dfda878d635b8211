UNWIND $rows AS row MATCH (n:Issue {repository: row.repository, number: row.number}) SET n.incident = row.incident
