UNWIND $rows AS row MATCH (a:Release {repository: row.repository, id: row.id})-[r:TAGS]->() DELETE r
