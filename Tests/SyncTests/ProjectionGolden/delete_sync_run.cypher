UNWIND $rows AS row MATCH (n:SyncRun {repository: row.repository, id: row.id}) DETACH DELETE n
