import Foundation
import GitHubAPI

/// A GitHub response body, decoded as every model the client reads, alone and as a list (list endpoints
/// answer arrays). Properties: each decode returns a value or a `GitHubError` of kind `malformedResponse`
/// for the endpoint asked, with a short message (it is logged and shown); dates parse or are refused.
enum GitHubModelsHarness {
    static let harness = FuzzHarness(
        name: "github-json",
        summary: "GitHub response bodies decoded as every model in GitHubAPI/Models",
        check: check)

    /// Longest description a malformed body may produce: a field path and what was wrong, not the body.
    static let maximumDescriptionLength = 600

    static let decoders: [(String, @Sendable (Data) throws -> Void)] = [
        model(GitHubCommit.self), model(GitHubCommitReference.self), model(GitHubDeployment.self),
        model(GitHubDeploymentStatus.self), model(GitHubGitActor.self), model(GitHubGitObject.self),
        model(GitHubGitRef.self), model(GitHubGitTag.self), model(GitHubInstallation.self),
        model(GitHubInstallationToken.self), model(GitHubListedRepository.self), model(GitHubInstallationRepositories.self),
        model(GitHubIssue.self), model(GitHubLabel.self), model(GitHubRelease.self), model(GitHubRepository.self),
        model(GitHubTag.self), model(GitHubUser.self), model(GitHubWorkflow.self), model(GitHubWorkflowList.self),
        model(GitHubWorkflowRun.self), model(GitHubWorkflowRunList.self),
    ].flatMap { $0 }

    /// Decoders of `type` and `[type]`.
    static func model<T: Decodable & Sendable>(_ type: T.Type) -> [(String, @Sendable (Data) throws -> Void)] {
        [
            ("\(T.self)", { data in _ = try GitHubJSON.decode(T.self, from: data, endpoint: "/fuzz", status: 200) }),
            ("[\(T.self)]", { data in _ = try GitHubJSON.decode([T].self, from: data, endpoint: "/fuzz", status: 200) }),
        ]
    }

    static func check(_ data: Data) throws(HarnessViolation) {
        for (name, decode) in decoders {
            do {
                try decode(data)
            } catch let error as GitHubError {
                guard error.kind == .malformedResponse, error.endpoint == "/fuzz", error.status == 200 else {
                    throw HarnessViolation("a bad body is a malformedResponse for its endpoint", "\(name): \(error)")
                }
                let message = error.message ?? ""
                guard !message.isEmpty, error.description.count <= maximumDescriptionLength else {
                    throw HarnessViolation(
                        "a decoding error says briefly what was wrong", "\(name): \(error.description.count) characters: \(error.description)")
                }
            } catch {
                throw HarnessViolation("decoding throws only GitHubError", "\(name): \(type(of: error)): \(error)")
            }
        }
        // The body as a date string: parsed or refused, and a parsed date prints as one that parses to it.
        let text = String(decoding: data.prefix(64), as: UTF8.self)
        if let date = GitHubJSON.parseDate(text) {
            let printed = date.formatted(.iso8601)
            guard let reparsed = GitHubJSON.parseDate(printed), abs(reparsed.timeIntervalSince(date)) < 1 else {
                throw HarnessViolation("a parsed date prints as an ISO-8601 date of the same second", "\(text) -> \(printed)")
            }
        }
    }
}
