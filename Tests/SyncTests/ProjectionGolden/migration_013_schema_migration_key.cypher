CREATE CONSTRAINT schema_migration_key IF NOT EXISTS FOR (n:SchemaMigration) REQUIRE n.name IS UNIQUE
