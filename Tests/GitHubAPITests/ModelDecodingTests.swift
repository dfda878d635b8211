import Foundation
import GitHubAPI
import Testing

@Suite("Model decoding")
struct ModelDecodingTests {
    static let commitsBody = #"""
        [{"sha": "6dcb09b5b57875f334f61aebed695e2e4193db5e", "node_id": "C_1",
          "commit": {"author": {"name": "Monalisa Octocat", "email": "mona@github.com", "date": "2011-04-14T16:00:49Z"},
                     "committer": {"name": "Monalisa Octocat", "email": "mona@github.com", "date": "2011-04-14T16:00:49.123Z"},
                     "message": "Fix all the bugs", "comment_count": 0},
          "author": {"login": "octocat", "id": 1, "type": "User"},
          "committer": null,
          "parents": [{"sha": "6dcb09b5b57875f334f61aebed695e2e4193db5f", "url": "https://x"}]}]
        """#

    static let runsBody = #"""
        {"total_count": 1, "workflow_runs": [{"id": 30433642, "name": "Build", "workflow_id": 159038, "head_branch": "main",
          "head_sha": "acb5820ced9479c074f688cc328bf03f341a511d", "event": "push", "status": "completed", "conclusion": "success",
          "run_attempt": 1, "run_number": 562, "created_at": "2020-01-22T19:33:08Z", "updated_at": "2020-01-22T19:33:08Z",
          "run_started_at": "2020-01-22T19:33:08Z"}]}
        """#

    static let deploymentsBody = #"""
        [{"id": 1, "sha": "a84d88e7554fc1fa21bcbc4efae3c782a70d2b9d", "ref": "topic-branch", "task": "deploy",
          "environment": "production", "created_at": "2012-07-20T01:19:13Z", "updated_at": "2012-07-20T01:19:13Z"}]
        """#

    static let tagsBody = #"[{"name": "v0.1", "commit": {"sha": "c5b97d5ae6c19d5c5df71a34c7fbeeda2479ccbc", "url": "https://x"}}]"#

    static let workflowsBody = #"{"total_count": 1, "workflows": [{"id": 161335, "name": "CI", "path": ".github/workflows/blank.yaml", "state": "active"}]}"#

    static let gitTagBody = #"""
        {"sha": "940bd336248efae0f9ee5bc7b2d5c985887b16ac", "tag": "v0.0.1", "message": "initial version",
         "tagger": {"name": "Monalisa Octocat", "email": "octocat@github.com", "date": "2014-11-07T22:01:45Z"},
         "object": {"type": "commit", "sha": "c3d0be41ecbe669545ee3e94d31ed9a4bc91ee3c"}}
        """#

    static let statusesBody = #"[{"id": 1, "state": "success", "created_at": "2012-07-20T01:19:13Z", "environment": "production"}]"#

    static func decode<T: Decodable>(_ type: T.Type, _ body: String) throws -> T {
        try GitHubJSON.decode(type, from: Data(body.utf8), endpoint: "/test")
    }

    @Test("commits decode with both date forms, a null committer account and parents")
    func commits() throws {
        let commits = try Self.decode([GitHubCommit].self, Self.commitsBody)
        let commit = try #require(commits.first)
        #expect(commit.parents.map(\.sha) == ["6dcb09b5b57875f334f61aebed695e2e4193db5f"])
        #expect(commit.commit.author.date == Date(timeIntervalSince1970: 1_302_796_849))
        #expect(abs(commit.commit.committer.date.timeIntervalSince1970 - 1_302_796_849.123) < 0.001)
        #expect(commit.author == GitHubUser(login: "octocat", id: 1))
        #expect(commit.committer == nil)
        #expect(commit.commit.message == "Fix all the bugs")
    }

    @Test("dates are read with and without fractional seconds and with offsets")
    func dates() {
        #expect(GitHubJSON.parseDate("2024-05-01T12:30:00Z") == Date(timeIntervalSince1970: 1_714_566_600))
        #expect(GitHubJSON.parseDate("2024-05-01T14:30:00+02:00") == Date(timeIntervalSince1970: 1_714_566_600))
        #expect(GitHubJSON.parseDate("2024-05-01T12:30:00.5Z").map { $0.timeIntervalSince1970 } == 1_714_566_600.5)
        #expect(GitHubJSON.parseDate("yesterday") == nil)
        #expect(GitHubJSON.parseDate("") == nil)
    }

    @Test("labels decode from objects and from bare strings; pull requests are recognised by the pull_request key")
    func issues() throws {
        let body = #"""
            [{"id": 1, "number": 1, "title": "Bug", "state": "closed", "state_reason": "completed",
              "labels": [{"id": 9, "name": "bug", "color": "f00"}, "incident"], "user": {"login": "a", "id": 2},
              "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-02T00:00:00Z", "closed_at": "2024-01-02T00:00:00Z"},
             {"id": 2, "number": 2, "title": "PR", "state": "open", "labels": [], "user": null,
              "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z", "closed_at": null,
              "pull_request": {"url": "https://x", "merged_at": null}}]
            """#
        let issues = try Self.decode([GitHubIssue].self, body)
        #expect(issues.map(\.isPullRequest) == [false, true])
        #expect(issues[0].labels.map(\.name) == ["bug", "incident"])
        #expect(issues[0].stateReason == "completed")
        #expect(issues[0].closedAt == Date(timeIntervalSince1970: 1_704_153_600))
        #expect(issues[1].user == nil)
        #expect(issues[1].stateReason == nil)
    }

    @Test("workflows, runs, deployments (sha or commit_sha), statuses, tags and annotated tags decode")
    func otherModels() throws {
        let runs = try Self.decode(GitHubWorkflowRunList.self, Self.runsBody)
        #expect(runs.totalCount == 1)
        #expect(runs.workflowRuns.first?.runNumber == 562)
        #expect(runs.workflowRuns.first?.conclusion == "success")
        let workflows = try Self.decode(GitHubWorkflowList.self, Self.workflowsBody)
        #expect(workflows.workflows == [GitHubWorkflow(id: 161335, name: "CI", path: ".github/workflows/blank.yaml", state: "active")])
        let deployments = try Self.decode([GitHubDeployment].self, Self.deploymentsBody)
        #expect(deployments.first?.sha == "a84d88e7554fc1fa21bcbc4efae3c782a70d2b9d")
        let renamed = Self.deploymentsBody.replacingOccurrences(of: #""sha""#, with: #""commit_sha""#)
        #expect(try Self.decode([GitHubDeployment].self, renamed).first?.sha == "a84d88e7554fc1fa21bcbc4efae3c782a70d2b9d")
        let statuses = try Self.decode([GitHubDeploymentStatus].self, Self.statusesBody)
        #expect(statuses.first?.state == "success")
        let tags = try Self.decode([GitHubTag].self, Self.tagsBody)
        #expect(tags.first?.commit.sha == "c5b97d5ae6c19d5c5df71a34c7fbeeda2479ccbc")
        let gitTag = try Self.decode(GitHubGitTag.self, Self.gitTagBody)
        #expect(gitTag.object == GitHubGitObject(type: "commit", sha: "c3d0be41ecbe669545ee3e94d31ed9a4bc91ee3c"))
        #expect(gitTag.tagger?.name == "Monalisa Octocat")
    }

    @Test("a decoding failure names the endpoint and the failing field path")
    func failureNamesFieldPath() throws {
        let broken = Self.commitsBody.replacingOccurrences(of: #""date": "2011-04-14T16:00:49Z""#, with: #""date": "not a date""#)
        do {
            _ = try GitHubJSON.decode([GitHubCommit].self, from: Data(broken.utf8), endpoint: "/repos/o/r/commits?sha=main")
            Issue.record("expected a failure")
        } catch let error as GitHubError {
            #expect(error.kind == .malformedResponse)
            #expect(error.message?.contains("[0].commit.author.date") == true)
            #expect(error.description.contains("GET /repos/o/r/commits?sha=main"))
        }
        let missing = Self.commitsBody.replacingOccurrences(of: #""sha": "6dcb09b5b57875f334f61aebed695e2e4193db5e", "#, with: "")
        do {
            _ = try GitHubJSON.decode([GitHubCommit].self, from: Data(missing.utf8), endpoint: "/c")
            Issue.record("expected a failure")
        } catch let error as GitHubError {
            #expect(error.message == "missing field [0].sha")
        }
    }

    // MARK: - Mutation properties

    struct Subject: Sendable, CustomTestStringConvertible {
        var name: String
        var required: [String]
        var body: @Sendable () throws -> Data
        var decode: @Sendable (Data) throws -> Void
        var testDescription: String { name }
    }

    static func subject<T: Decodable & Sendable>(_ type: T.Type, required: [String], body: @escaping @Sendable () throws -> Data) -> Subject {
        Subject(
            name: String(describing: type), required: required, body: body,
            decode: { data in _ = try GitHubJSON.decode(type, from: data, endpoint: "/mutated") })
    }

    static let subjects: [Subject] = [
        subject([GitHubIssue].self, required: ["id", "number", "title", "state", "created_at", "updated_at"]) {
            try Fixtures.getBody("paginate-issues", pathContains: "issues?per_page=3")
        },
        subject(GitHubRepository.self, required: ["id", "full_name", "default_branch"]) {
            try Fixtures.getBody("get-repository", pathContains: "hello-world")
        },
        subject(GitHubRelease.self, required: ["id", "tag_name", "target_commitish", "draft", "prerelease", "created_at"]) {
            try Fixtures.getBody("release-assets", pathContains: "releases/tags/v1.0.0")
        },
        subject([GitHubGitRef].self, required: ["ref", "object"]) {
            try Fixtures.getBody("git-refs", pathContains: "git/refs")
        },
        subject([GitHubCommit].self, required: ["sha", "parents", "commit"]) { Data(commitsBody.utf8) },
        subject(GitHubWorkflowRunList.self, required: ["total_count", "workflow_runs"]) { Data(runsBody.utf8) },
        subject([GitHubDeployment].self, required: ["id", "sha", "ref", "environment", "created_at", "updated_at"]) {
            Data(deploymentsBody.utf8)
        },
        subject([GitHubTag].self, required: ["name", "commit"]) { Data(tagsBody.utf8) },
        subject(GitHubGitTag.self, required: ["sha", "tag", "object"]) { Data(gitTagBody.utf8) },
        subject([GitHubDeploymentStatus].self, required: ["id", "state", "created_at"]) { Data(statusesBody.utf8) },
    ]

    /// Applies `change` to the object (or to the first element of the array) and re-serialises.
    static func mutate(_ data: Data, _ change: (inout [String: Any]) -> Void) throws -> Data {
        let json = try JSONSerialization.jsonObject(with: data)
        if var object = json as? [String: Any] {
            change(&object)
            return try JSONSerialization.data(withJSONObject: object)
        }
        if var array = json as? [Any], var first = array.first as? [String: Any] {
            change(&first)
            array[0] = first
            return try JSONSerialization.data(withJSONObject: array)
        }
        return data
    }

    static func expectMalformed(_ subject: Subject, _ data: Data, _ note: String) {
        do {
            try subject.decode(data)
            Issue.record("\(subject.name): \(note) decoded without error")
        } catch let error as GitHubError {
            #expect(error.kind == .malformedResponse, "\(note)")
            #expect(error.endpoint == "/mutated")
        } catch {
            Issue.record("\(subject.name): \(note) threw \(type(of: error)), not GitHubError")
        }
    }

    @Test("the unmutated bodies decode", arguments: subjects)
    func originalsDecode(_ subject: Subject) throws {
        try subject.decode(try subject.body())
    }

    @Test("removing, nulling or retyping a required field throws .malformedResponse", arguments: subjects)
    func requiredFieldMutations(_ subject: Subject) throws {
        let original = try subject.body()
        for field in subject.required {
            Self.expectMalformed(subject, try Self.mutate(original) { $0.removeValue(forKey: field) }, "without \(field)")
            Self.expectMalformed(subject, try Self.mutate(original) { $0[field] = NSNull() }, "null \(field)")
            Self.expectMalformed(
                subject,
                try Self.mutate(original) { object in
                    // A value of another JSON type than the one recorded.
                    object[field] = object[field] is String ? [1, 2] as [Any] : "retyped"
                }, "retyped \(field)")
        }
    }

    @Test("truncating a body anywhere throws .malformedResponse", arguments: subjects)
    func truncations(_ subject: Subject) throws {
        let original = try subject.body()
        var generator = SeededGenerator(seed: UInt64(original.count))
        var cuts = Set((0..<min(original.count, 40)).map { $0 })
        for _ in 0..<60 { cuts.insert(Int.random(in: 0..<original.count, using: &generator)) }
        for cut in cuts.sorted() {
            Self.expectMalformed(subject, original.prefix(cut), "cut at \(cut)")
        }
    }

    @Test("random byte mutations either decode or throw GitHubError, never anything else", arguments: subjects)
    func randomMutationsNeverCrash(_ subject: Subject) throws {
        let original = Array(try subject.body())
        var generator = SeededGenerator(seed: 99)
        let noise: [UInt8] = Array(#"{}[]",:0"a-"#.utf8) + [0xFF, 0x00]
        for _ in 0..<300 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[index] = noise.randomElement(using: &generator)!
            }
            do {
                try subject.decode(Data(bytes))
            } catch let error as GitHubError {
                #expect(error.kind == .malformedResponse)
            } catch {
                Issue.record("\(subject.name) threw \(type(of: error))")
            }
        }
    }
}
