import Logging
import Sync

extension SyncDigest {
    /// Logs a sync summary as one line per outcome (repositories counted, reset time), warnings as they
    /// come, and each repository's details at debug level.
    public static func log(_ summary: SyncSummary, logger: Logger) {
        for result in summary.repositories {
            for warning in result.warnings {
                logger.warning("sync warning", metadata: ["repository": "\(result.repository)", "warning": "\(warning)"])
            }
            var metadata: Logger.Metadata = [
                "repository": "\(result.repository)", "outcome": "\(result.outcome.rawValue)",
                "requests": "\(result.requests.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))",
            ]
            if let error = result.error { metadata["error"] = "\(error)" }
            logger.debug("repository synced", metadata: metadata)
        }
        let digest = SyncDigest(summary)
        for group in digest.groups {
            let metadata: Logger.Metadata = ["summary": "\(digest.line(group))"]
            switch group.outcome {
            case .success: logger.info("sync finished", metadata: metadata)
            case .cancelled: logger.notice("sync cancelled", metadata: metadata)
            case .rateLimited: logger.warning("sync waits for the rate limit", metadata: metadata)
            case .failed: logger.error("sync did not complete", metadata: metadata)
            }
        }
    }
}
