UNWIND $rows AS row MERGE (n:Tag {repository: row.repository, name: row.name}) SET n.commitSha = row.commitSha, n.annotated = row.annotated, n.taggerDate = datetime(row.taggerDate)
