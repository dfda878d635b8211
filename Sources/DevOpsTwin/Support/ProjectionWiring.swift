import AsyncHTTPClient
import Foundation
import Logging
import Sync
import TwinConfig
import TwinStore

/// Projects the store into Neo4j after each sync when `neo4j` is configured (no-op otherwise). A Neo4j
/// outage is logged and reported by `devops_twin_neo4j_up`; the store is untouched and the next cycle
/// catches up from the watermark.
struct ProjectionWiring: Sendable {
    let configuration: TwinConfiguration
    let store: TwinStore
    let httpClient: HTTPClient
    let status: ProjectionStatus
    let logger: Logger

    func projectAll(after summary: SyncSummary) async {
        guard configuration.neo4j != nil else { return }
        // Wired to GraphProjector once the projection lands.
    }
}
