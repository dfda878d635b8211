UNWIND $rows AS row MATCH (a:Tag {repository: row.repository, name: row.name})-[r:POINTS_TO]->() DELETE r
