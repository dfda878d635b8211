import Foundation

extension SimulatedGitHub {
    /// The outcome of routing one API request.
    struct RouteResult {
        var status: Int
        var body: String
        var headers: [(String, String)] = []
        /// False for free endpoints (`/rate_limit`).
        var counted = true
        /// The error message of an error answer, kept for the request log.
        var message: String?
    }

    static let documentationURL = "https://docs.github.com/rest"

    static func errorResult(_ status: Int, _ message: String, documentation: String = documentationURL) -> RouteResult {
        RouteResult(
            status: status,
            body: #"{"message":\#(JSONText.string(message)),"documentation_url":\#(JSONText.string(documentation)),"status":"\#(status)"}"#,
            message: message)
    }

    static func faultName(_ kind: SimulatedFault.Kind) -> String {
        switch kind {
        case .status: return "status"
        case .secondaryRateLimit: return "secondaryRateLimit"
        case .primaryExhaustion: return "primaryExhaustion"
        case .malformedJSON: return "malformedJSON"
        case .truncatedBody: return "truncatedBody"
        case .slow: return "slow"
        case .unauthorized: return "unauthorized"
        case .connectionReset: return "connectionReset"
        }
    }

    /// The first fault that hits this request, counting the request against every matching fault's skip/count.
    func matchFault(_ pathAndQuery: String) -> SimulatedFault? {
        state.withLock { state in
            for i in state.faults.indices {
                let slot = state.faults[i]
                if let needle = slot.fault.pathContains, !pathAndQuery.contains(needle) { continue }
                guard slot.matched < slot.fault.skip + slot.fault.count else { continue }
                state.faults[i].matched += 1
                if slot.matched >= slot.fault.skip { return slot.fault }
                return nil
            }
            return nil
        }
    }

    static func etagMatches(_ header: String?, _ etag: String) -> Bool {
        guard let header else { return false }
        let bare = etag.hasPrefix("W/") ? String(etag.dropFirst(2)) : etag
        return header.split(separator: ",").contains { candidate in
            var value = candidate.trimmingCharacters(in: .whitespaces)
            if value == "*" { return true }
            if value.hasPrefix("W/") { value = String(value.dropFirst(2)) }
            return value == bare
        }
    }

    /// Answers one HTTP request.
    func handle(_ request: SimulatedHTTPRequest, baseURL: String) async -> SimulatedResponse {
        if request.path == "/_simulator" || request.path.hasPrefix("/_simulator/") {
            return control(request)
        }
        let pathAndQuery = request.pathAndQuery
        let conditional = request.ifNoneMatch != nil
        let authentication = authenticate(request.authorization)
        // A rejected credential's answers carry (and never use up) the anonymous budget, as on GitHub.
        let credential = authentication.credential ?? .anonymous
        var faultLabel: String?
        var disposition = SimulatedResponse.Disposition.normal
        var malformed = false
        if let fault = matchFault(pathAndQuery) {
            faultLabel = Self.faultName(fault.kind)
            switch fault.kind {
            case .slow(let seconds):
                try? await Task.sleep(for: .milliseconds(Int64(max(0, seconds) * 1000)))
            case .connectionReset:
                record(request, status: nil, counted: false, fault: faultLabel, credential: credential)
                return SimulatedResponse(status: 0, headers: [], body: [], disposition: .reset)
            case .status(let code):
                let message = code == 502 ? "Bad Gateway" : code == 503 ? "Service Unavailable" : "Server Error"
                return finish(request, Self.errorResult(code, message), credential: credential, counted: false, fault: faultLabel)
            case .secondaryRateLimit(let retryAfter):
                var result = Self.errorResult(
                    fault.statusCode ?? 403,
                    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.",
                    documentation: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits")
                if let retryAfter { result.headers.append(("retry-after", String(retryAfter))) }
                return finish(request, result, credential: credential, counted: false, fault: faultLabel)
            case .primaryExhaustion(let resetIn):
                let now = clock()
                state.withLock { state in
                    state.budgets[credential] = Budget(used: rateLimit, resetAt: now.addingTimeInterval(TimeInterval(resetIn)))
                }
                var result = Self.rateLimitExceeded()
                result.status = fault.statusCode ?? 403
                return finish(request, result, credential: credential, counted: false, fault: faultLabel)
            case .unauthorized:
                return finish(request, Self.badCredentials(), credential: credential, counted: false, fault: faultLabel)
            case .malformedJSON:
                malformed = true
            case .truncatedBody:
                disposition = .truncate
            }
        }
        if case .rejected(let message) = authentication {
            return finish(request, Self.errorResult(401, message), credential: credential, counted: false, fault: faultLabel)
        }
        let routed: RouteResult
        if request.method == "GET" || request.method == "HEAD" {
            routed = route(request, baseURL: baseURL, credential: credential)
        } else if request.method == "POST", let issued = postRoute(request, baseURL: baseURL, credential: credential) {
            routed = issued
        } else {
            routed = Self.errorResult(404, "Not Found")
        }
        let result = routed
        var bodyBytes = Array(result.body.utf8)
        let etag = JSONText.etag(bodyBytes)
        if result.status == 200 && !malformed && Self.etagMatches(request.ifNoneMatch, etag) {
            var notModified = RouteResult(status: 304, body: "", headers: [("etag", etag)])
            notModified.headers += result.headers.filter { $0.0 == "link" }
            return finish(request, notModified, credential: credential, counted: false, fault: faultLabel, conditional: conditional)
        }
        if result.counted {
            let now = clock()
            let allowed = state.withLock { state -> Bool in
                var current = budget(&state, credential, now: now)
                guard current.used < rateLimit else { return false }
                current.used += 1
                state.budgets[credential] = current
                return true
            }
            guard allowed else {
                return finish(
                    request, Self.rateLimitExceeded(), credential: credential, counted: false, fault: faultLabel, conditional: conditional)
            }
        }
        var headers = result.headers
        if result.status == 200 { headers.append(("etag", etag)) }
        if malformed {
            let cut = bodyBytes.count / 2
            bodyBytes = Array(bodyBytes.prefix(cut)) + Array(#"{"unterminated": [tru"#.utf8)
        }
        var response = finish(
            request, RouteResult(status: result.status, body: "", headers: headers, counted: result.counted, message: result.message),
            credential: credential, counted: result.counted, fault: faultLabel, conditional: conditional)
        response.body = request.method == "HEAD" ? [] : bodyBytes
        response.disposition = disposition
        return response
    }

    static func badCredentials() -> RouteResult {
        errorResult(401, "Bad credentials")
    }

    static func rateLimitExceeded() -> RouteResult {
        errorResult(
            403,
            "API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID.",
            documentation: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api")
    }

    /// Adds the headers every answer carries (the rate limit of the credential that asked), records the request,
    /// and builds the response.
    func finish(
        _ request: SimulatedHTTPRequest, _ result: RouteResult, credential: SimulatedCredential, counted: Bool, fault: String?,
        conditional: Bool? = nil
    ) -> SimulatedResponse {
        let now = clock()
        let current = state.withLock { state -> Budget in
            let current = budget(&state, credential, now: now)
            Self.trimLog(&state.log)
            state.log.append(
                SimulatedRequest(
                    method: request.method, pathAndQuery: request.pathAndQuery, status: result.status,
                    conditional: conditional ?? (request.ifNoneMatch != nil), countedAgainstLimit: counted, fault: fault,
                    receivedAt: now, credential: credential.label, message: result.status >= 400 ? result.message : nil))
            return current
        }
        var headers: [(String, String)] = []
        if result.status != 304 { headers.append(("content-type", "application/json; charset=utf-8")) }
        headers += [
            ("x-ratelimit-limit", String(rateLimit)),
            ("x-ratelimit-remaining", String(max(0, rateLimit - current.used))),
            ("x-ratelimit-used", String(min(current.used, rateLimit))),
            ("x-ratelimit-reset", String(Int(current.resetAt.timeIntervalSince1970.rounded(.up)))),
            ("x-ratelimit-resource", "core"),
            ("x-github-api-version-selected", "2022-11-28"),
            ("x-github-media-type", "github.v3; format=json"),
        ]
        headers += result.headers
        return SimulatedResponse(status: result.status, headers: headers, body: Array(result.body.utf8))
    }

    func record(_ request: SimulatedHTTPRequest, status: Int?, counted: Bool, fault: String?, credential: SimulatedCredential) {
        let now = clock()
        state.withLock { state in
            Self.trimLog(&state.log)
            state.log.append(
                SimulatedRequest(
                    method: request.method, pathAndQuery: request.pathAndQuery, status: status,
                    conditional: request.ifNoneMatch != nil, countedAgainstLimit: counted, fault: fault, receivedAt: now,
                    credential: credential.label))
        }
    }

    /// The request log keeps the newest `requestLogLimit` entries, so long benchmark runs stay bounded.
    static let requestLogLimit = 100_000

    static func trimLog(_ log: inout [SimulatedRequest]) {
        if log.count >= requestLogLimit { log.removeFirst(requestLogLimit / 10) }
    }

    /// `POST/DELETE /_simulator/faults`, `GET /_simulator/faults`, `GET /_simulator/requests`, `DELETE /_simulator/requests`,
    /// `DELETE /_simulator/installation-tokens` (expires every installation token now), `GET /_simulator/content`
    /// (`?since=ISO-8601` optional: each repository's `contentCounts`, for benchmarks that count a sync's minimum
    /// from the content).
    func control(_ request: SimulatedHTTPRequest) -> SimulatedResponse {
        func json(_ status: Int, _ body: Data) -> SimulatedResponse {
            SimulatedResponse(status: status, headers: [("content-type", "application/json; charset=utf-8")], body: Array(body))
        }
        func message(_ status: Int, _ text: String) -> SimulatedResponse {
            json(status, Data(#"{"message":\#(JSONText.string(text))}"#.utf8))
        }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        switch (request.method, request.path) {
        case ("POST", "/_simulator/faults"):
            let data = Data(request.body)
            let decoder = JSONDecoder()
            let faults: [SimulatedFault]
            if let many = try? decoder.decode([SimulatedFault].self, from: data) {
                faults = many
            } else {
                do {
                    faults = [try decoder.decode(SimulatedFault.self, from: data)]
                } catch {
                    return message(400, "invalid fault JSON: \(error)")
                }
            }
            for fault in faults { inject(fault) }
            return message(201, "added \(faults.count) fault(s)")
        case ("DELETE", "/_simulator/faults"):
            clearFaults()
            return SimulatedResponse(status: 204, headers: [], body: [])
        case ("GET", "/_simulator/faults"):
            let faults = state.withLock { $0.faults.map(\.fault) }
            return json(200, (try? encoder.encode(faults)) ?? Data("[]".utf8))
        case ("GET", "/_simulator/requests"):
            return json(200, (try? encoder.encode(requestLog)) ?? Data("[]".utf8))
        case ("DELETE", "/_simulator/requests"):
            clearRequestLog()
            return SimulatedResponse(status: 204, headers: [], body: [])
        case ("GET", "/_simulator/content"):
            let since = QueryItems(request.query).value("since").flatMap(GitHubDate.parse)
            let repositories = state.withLock { $0.repositories.values.map(\.repository) }
            let counts = Dictionary(repositories.map { ($0.fullName, $0.contentCounts(since: since)) }, uniquingKeysWith: { a, _ in a })
            return json(200, (try? encoder.encode(["repositories": counts])) ?? Data("{}".utf8))
        case ("DELETE", "/_simulator/installation-tokens"):
            expireInstallationTokens()
            return SimulatedResponse(status: 204, headers: [], body: [])
        default:
            return message(404, "Not Found")
        }
    }
}
