extension TwinStoreSchema {
    /// The migration's name (`store_meta` and GRDB's migration table record it).
    static let plannerStateMigration = "v6-planner-state"

    /// The budget planner's state, JSON by key (`budget/<credential>`: the credential's last `CredentialBudget`;
    /// `statistics`: what the planner learned), so a restart serves the budget gauges and the ETA at once.
    static let plannerState = """
        CREATE TABLE planner_state (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL, updated_at REAL NOT NULL);
        """
}
