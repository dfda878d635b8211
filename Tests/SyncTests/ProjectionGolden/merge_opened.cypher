UNWIND $rows AS row MATCH (a:Person {repository: row.repository, key: row.fromKey}) MATCH (b:Issue {repository: row.repository, number: row.toNumber}) MERGE (a)-[r:OPENED]->(b)
