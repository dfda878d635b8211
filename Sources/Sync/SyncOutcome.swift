/// How a repository's sync ended.
public enum SyncOutcome: String, Sendable, Codable, Hashable {
    /// Everything fetched and stored.
    case success
    /// Stopped on an error (recorded in `RepositorySyncResult.error`); committed pages are kept.
    case failed
    /// Stopped cleanly because the primary rate limit resets later than the configured maximum wait.
    case rateLimited = "rate_limited"
    /// Stopped because the task was cancelled (SIGTERM/SIGINT); committed pages are kept.
    case cancelled
}
