import GitHubAPI
import TwinConfig

extension TwinConfiguration {
    /// The GitHub client settings from the validated configuration (the token stays a secret until here).
    public var gitHubClientConfiguration: GitHubClientConfiguration {
        var client = GitHubClientConfiguration(baseURL: github.apiURL, token: github.token?.value)
        client.apiVersion = github.apiVersion
        client.userAgent = github.userAgent
        client.requestTimeout = .milliseconds(Int64(github.requestTimeout * 1000))
        client.maxRetries = github.maxRetries
        client.maxRateLimitWait = .milliseconds(Int64(github.maxRateLimitWait * 1000))
        return client
    }
}
