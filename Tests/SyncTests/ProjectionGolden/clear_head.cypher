UNWIND $rows AS row MATCH (a:Branch {repository: row.repository})-[r:HEAD]->() DELETE r
