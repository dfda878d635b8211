UNWIND $rows AS row MATCH (a:Issue {repository: row.repository, number: row.number})-[r:HAS_LABEL]->() DELETE r
