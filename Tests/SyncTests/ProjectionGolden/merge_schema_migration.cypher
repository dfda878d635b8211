UNWIND $rows AS row MERGE (n:SchemaMigration {name: row.name}) SET n.appliedAt = datetime(row.appliedAt)
