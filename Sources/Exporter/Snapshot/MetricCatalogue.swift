/// Every family the exporter can produce, in rendering order, with its metadata.
/// The names and labels are the contract of `docs/metrics.md`.
enum MetricCatalogue {
    struct Descriptor: Sendable {
        var name: String
        var type: MetricType
        var unit: String?
        var help: String
    }

    // DORA
    static let doraWindowComplete = gauge("devops_twin_dora_window_complete", "1 when the synced history covers the window, 0 when it reaches back further (spec v1.2 coverage): an incomplete window has every statistic family absent.")
    static let doraDeployments = gauge("devops_twin_dora_deployments", "Successful deployments with time in the window.")
    static let doraDeploymentDays = gauge("devops_twin_dora_deployment_dates", "Distinct UTC calendar dates in the window with a deployment (deploymentDays).")
    static let doraDeploymentsPerDay = gauge("devops_twin_dora_deployments_per_day", "Deployments in the window divided by the window length in days.")
    static let doraLeadTime = gauge("devops_twin_dora_lead_time_seconds", "Lead time for changes: deployment time minus commit time of the commits it first deployed, by statistic.", unit: "seconds")
    static let doraLeadTimeSamples = gauge("devops_twin_dora_lead_time_samples", "Lead-time samples in the window; 0 means the lead-time statistics are absent for lack of data.")
    static let doraSkewedCommits = gauge("devops_twin_dora_skewed_commits", "First-deployed commits dropped because their lead time was <= 0 (clock skew).")
    static let doraUntrackedDeployments = gauge("devops_twin_dora_untracked_deployments", "Deployments in the window whose commit is not in the synced commit graph.")
    static let doraChangeFailureRatio = gauge("devops_twin_dora_change_failure_ratio", "Change failure rate: (deployments with an attributed incident + failed attempts) / (deployments + failed attempts).")
    static let doraChangeFailureSamples = gauge("devops_twin_dora_change_failure_samples", "Denominator of the change failure ratio: deployments plus failed deployment attempts in the window.")
    static let doraFailedAttempts = gauge("devops_twin_dora_failed_deployment_attempts", "Failed deployment attempts in the window (workflow and deployments sources).")
    static let doraIncidents = gauge("devops_twin_dora_incidents", "Incidents opened in the window, by attribution to a deployment.")
    static let doraTimeToRestore = gauge("devops_twin_dora_time_to_restore_seconds", "Time to restore: closed_at - created_at of incidents resolved in the window, by statistic.", unit: "seconds")
    static let doraTimeToRestoreSamples = gauge("devops_twin_dora_time_to_restore_samples", "Incidents resolved in the window; 0 means the time-to-restore statistics are absent.")
    static let doraRecovery = gauge("devops_twin_dora_failed_deployment_recovery_seconds", "Failed deployment recovery time (DORA 2023), by statistic.", unit: "seconds")
    static let doraRecoverySamples = gauge("devops_twin_dora_failed_deployment_recovery_samples", "Failed deployment recovery samples in the window; 0 means its statistics are absent.")
    static let doraReworkRatio = gauge("devops_twin_dora_rework_ratio", "Deployment rework rate: deployments made while an incident was open / deployments.")
    static let doraReworkDeployments = gauge("devops_twin_dora_rework_deployments", "Deployments in the window made while an incident was open.")
    static let doraLevel = gauge("devops_twin_dora_level", "DORA performance level per metric: 4 elite, 3 high, 2 medium, 1 low; absent without data.")
    static let doraOpenIncidents = gauge("devops_twin_dora_open_incidents", "Incidents open at the snapshot time.")
    static let doraDefinitionInfo = Descriptor(name: "devops_twin_dora_definition_info", type: .info, unit: nil, help: "The DORA definitions in use for the repository; always 1.")
    static let historyCoveredFrom = gauge("devops_twin_history_covered_from_timestamp_seconds", "While deeper history is still being synced: the instant from which the synced history is whole, Unix seconds; absent when the history is complete or nothing is synced.", unit: "seconds")
    // CI health
    static let ciDuration = gauge("devops_twin_ci_run_duration_seconds", "Duration of completed workflow runs (updated_at - run_started_at, all branches), by statistic.", unit: "seconds")
    static let ciDurationSamples = gauge("devops_twin_ci_run_duration_samples", "Completed runs behind the run-duration statistics; 0 means they are absent.")
    static let ciSuccessRatio = gauge("devops_twin_ci_success_ratio", "Workflow run success / (success + failure + timed_out), by branch class.")
    static let ciRuns = gauge("devops_twin_ci_runs", "Denominator of the CI success ratio: successful, failed and timed-out runs in the window.")
    static let ciRecovery = gauge("devops_twin_ci_recovery_seconds", "Time from the first failed run of a failure streak on the tracked branch to the next success, by statistic.", unit: "seconds")
    static let ciRecoverySamples = gauge("devops_twin_ci_recovery_samples", "Recovered failure streaks in the window; 0 means the recovery statistics are absent.")
    // Sync health
    static let syncLastSuccess = gauge("devops_twin_sync_last_success_timestamp_seconds", "End of the last successful sync, Unix seconds.", unit: "seconds")
    static let syncLastAttempt = gauge("devops_twin_sync_last_attempt_timestamp_seconds", "Start of the last sync attempt, Unix seconds.", unit: "seconds")
    static let syncLastDuration = gauge("devops_twin_sync_last_duration_seconds", "Duration of the last sync attempt.", unit: "seconds")
    static let syncRuns = counter("devops_twin_sync_runs_total", "Sync runs by outcome.")
    static let syncItems = counter("devops_twin_sync_items_total", "Items fetched from GitHub by entity.")
    static let githubRequests = counter("devops_twin_github_requests_total", "GitHub API requests by HTTP status (error: transport failure).")
    static let budgetReserve = gauge("devops_twin_sync_budget_reserve_requests", "Rate-limit points of the credential the sync planner leaves unspent (sync.budgetReserve, at most a tenth of the limit).")
    static let budgetPlanned = gauge("devops_twin_sync_budget_planned_requests", "Rate-limit points the last cycle's plan expected to spend, by credential.")
    static let budgetSpent = gauge("devops_twin_sync_budget_spent_requests", "Rate-limit points the last cycle spent (answered requests but 304s), by credential.")
    static let budgetWaiting = gauge("devops_twin_sync_repositories_waiting_on_budget", "Repositories the last cycle could not start, or stopped at the reserve, for lack of rate limit; they go first in the next cycle.")
    static let historyCoverage = gauge("devops_twin_sync_repositories", "Repositories by how far back their synced history reaches (coverage complete, partial, none), by credential.")
    static let budgetCompletion = gauge("devops_twin_sync_estimated_completion_seconds", "Estimated seconds until every repository of the credential is synced back to its since, at its rate limit; 0 when complete.", unit: "seconds")
    static let rateLimitRemaining = gauge("devops_twin_github_rate_limit_remaining", "Last x-ratelimit-remaining seen, by credential and resource.")
    static let rateLimitLimit = gauge("devops_twin_github_rate_limit_limit", "Last x-ratelimit-limit seen, by credential and resource.")
    static let rateLimitReset = gauge("devops_twin_github_rate_limit_reset_timestamp_seconds", "Last x-ratelimit-reset seen, Unix seconds, by credential and resource.", unit: "seconds")
    static let storeEntities = gauge("devops_twin_store_entities", "Live rows in the embedded store, by entity.")
    static let syncInterval = gauge("devops_twin_sync_interval_seconds", "The effective scheduled sync interval (sync.interval; 1 h by default when webhooks are on).", unit: "seconds")
    static let shardOrdinal = gauge("devops_twin_shard_ordinal", "This instance's shard ordinal, 0-based; 0 when unsharded; at or beyond the total for a surplus instance that owns nothing.")
    static let totalShards = gauge("devops_twin_total_shards", "The shard total this instance was configured with; 1 when unsharded.")
    static let snapshotTimestamp = gauge("devops_twin_snapshot_timestamp_seconds", "When the served snapshot was computed (its asOf), Unix seconds; every value here is cached state as of then.", unit: "seconds")
    static let neo4jUp = gauge("devops_twin_neo4j_up", "1 when the last Neo4j call succeeded, else 0.")
    static let projectionLastSuccess = gauge("devops_twin_projection_last_success_timestamp_seconds", "End of the last successful Neo4j projection, Unix seconds.", unit: "seconds")
    static let projectionRuns = counter("devops_twin_projection_runs_total", "Neo4j projection runs by outcome.")
    static let projectionLag = gauge("devops_twin_projection_lag_items", "Store changes not yet projected into the graph.")
    // Webhooks
    static let webhookDeliveries = counter("devops_twin_webhook_deliveries_total", "Webhook deliveries received, by event and what was done with them (result).")
    static let webhookSignatureFailures = counter("devops_twin_webhook_signature_failures_total", "Webhook deliveries refused (401) for their X-Hub-Signature-256, by reason.")
    static let webhookRepositoryDeliveries = counter("devops_twin_webhook_repository_deliveries_total", "Accepted webhook deliveries by configured repository.")
    static let webhookForwarded = counter("devops_twin_webhook_forwarded_total", "Webhook deliveries forwarded to the shard owning their repository, by result (ok, queued for a retry, failed).")
    static let webhookQueueDepth = gauge("devops_twin_webhook_queue_depth", "Targeted syncs (repository, entity) waiting in the webhook queue.")
    static let webhookDeliveryToSnapshot = Descriptor(
        name: "devops_twin_webhook_delivery_to_snapshot_seconds", type: .histogram, unit: "seconds",
        help: "Time from a webhook delivery's arrival to the refreshed snapshot that includes its change.")
    static let buildInfo = Descriptor(name: "devops_twin_build_info", type: .info, unit: nil, help: "Version and revision of devops-twin; always 1.")

    /// Rendering order.
    /// The families computed per repository and window that groups have too (as `group(_:)` variants).
    static let perWindow: [Descriptor] = [
        doraWindowComplete, doraDeployments, doraDeploymentDays, doraDeploymentsPerDay, doraLeadTime, doraLeadTimeSamples, doraSkewedCommits,
        doraUntrackedDeployments, doraChangeFailureRatio, doraChangeFailureSamples, doraFailedAttempts, doraIncidents,
        doraTimeToRestore, doraTimeToRestoreSamples, doraRecovery, doraRecoverySamples, doraReworkRatio,
        doraReworkDeployments, doraLevel, doraOpenIncidents,
        ciDuration, ciDurationSamples, ciSuccessRatio, ciRuns, ciRecovery, ciRecoverySamples,
    ]

    // Groups: the same numbers for a group of repositories, labelled `group` instead of `repository`, in families
    // of their own so that no `sum` over a DORA family counts a repository twice.
    static let groupMemberInfo = Descriptor(
        name: "devops_twin_group_member_info", type: .info, unit: nil,
        help: "Which configured repositories each group holds; always 1.")

    /// The group variant of a per-repository family: `devops_twin_group_…`, the same unit and meaning.
    static func group(_ descriptor: Descriptor) -> Descriptor {
        Descriptor(
            name: "devops_twin_group_" + descriptor.name.dropFirst("devops_twin_".count), type: descriptor.type,
            unit: descriptor.unit, help: "Group (from the union of the member repositories' events): " + descriptor.help)
    }

    static let all: [Descriptor] = [
        doraWindowComplete, doraDeployments, doraDeploymentDays, doraDeploymentsPerDay, doraLeadTime, doraLeadTimeSamples, doraSkewedCommits,
        doraUntrackedDeployments, doraChangeFailureRatio, doraChangeFailureSamples, doraFailedAttempts, doraIncidents,
        doraTimeToRestore, doraTimeToRestoreSamples, doraRecovery, doraRecoverySamples, doraReworkRatio,
        doraReworkDeployments, doraLevel, doraOpenIncidents, doraDefinitionInfo, historyCoveredFrom,
        ciDuration, ciDurationSamples, ciSuccessRatio, ciRuns, ciRecovery, ciRecoverySamples,
    ] + perWindow.map(group) + [groupMemberInfo] + [
        syncLastSuccess, syncLastAttempt, syncLastDuration, syncRuns, syncItems, githubRequests, rateLimitRemaining,
        rateLimitLimit, rateLimitReset, budgetReserve, budgetPlanned, budgetSpent, budgetWaiting, historyCoverage, budgetCompletion,
        storeEntities, syncInterval, shardOrdinal, totalShards, snapshotTimestamp, neo4jUp, projectionLastSuccess, projectionRuns,
        projectionLag, webhookDeliveries, webhookSignatureFailures, webhookRepositoryDeliveries, webhookForwarded,
        webhookQueueDepth, webhookDeliveryToSnapshot, alertNotifications, alertsReceived, alertSignalsUnmatched,
        alertSignalsOpen, alertRecordStart, buildInfo,
    ]

    /// Catalogue position by family name.
    static let position: [String: Int] = Dictionary(all.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })

    // Incidents from alerts (spec v1.3).
    static let alertNotifications = counter("devops_twin_alert_notifications_total", "Alert notifications (Alertmanager, Grafana) received, by result: stored, or why refused.")
    static let alertsReceived = counter("devops_twin_alert_alerts_received_total", "Alerts in stored notifications, repeats included.")
    static let alertSignalsUnmatched = gauge("devops_twin_alert_signals_unmatched", "Stored alert signals that belong to no configured repository, by reason.")
    static let alertSignalsOpen = gauge("devops_twin_alert_signals_open", "Stored alert signals with no resolution known.")
    static let alertRecordStart = gauge("devops_twin_alert_record_start_timestamp_seconds", "Where the alert record starts (first notification received or earliest imported time); windows before it are incomplete for repositories whose incidents include alerts.", unit: "seconds")

    /// The families that change between snapshot refreshes (the receiver counts as deliveries arrive).
    static let webhookFamilies = [
        webhookDeliveries, webhookSignatureFailures, webhookRepositoryDeliveries, webhookForwarded, webhookQueueDepth,
        webhookDeliveryToSnapshot,
    ]

    private static func gauge(_ name: String, _ help: String, unit: String? = nil) -> Descriptor {
        Descriptor(name: name, type: .gauge, unit: unit, help: help)
    }

    private static func counter(_ name: String, _ help: String) -> Descriptor {
        Descriptor(name: name, type: .counter, unit: nil, help: help)
    }
}
