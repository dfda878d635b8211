UNWIND $rows AS row MATCH (a:Issue {repository: row.repository, number: row.fromNumber}) MATCH (b:Label {repository: row.repository, name: row.toName}) MERGE (a)-[r:HAS_LABEL]->(b)
