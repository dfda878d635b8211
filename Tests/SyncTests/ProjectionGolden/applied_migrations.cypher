MATCH (n:SchemaMigration) RETURN n.name AS name
