import Foundation

extension SimulatedGitHub {
    /// Pagination of one list request.
    struct Page {
        var perPage: Int
        var page: Int

        init(_ query: QueryItems) {
            perPage = min(100, max(1, query.int("per_page") ?? 30))
            page = max(1, query.int("page") ?? 1)
        }

        /// The slice of `total` items this page shows, and the last page number, honouring a result cap.
        func slice(total: Int, cap: Int? = nil) -> (range: Range<Int>, lastPage: Int) {
            let reachable = cap.map { min($0, total) } ?? total
            let lastPage = max(1, (reachable + perPage - 1) / perPage)
            let start = (page - 1) * perPage
            let end = min(reachable, start + perPage)
            return (start < end ? start..<end : 0..<0, lastPage)
        }
    }

    /// The `link` header GitHub sends for a page (absolute URLs from the server's base URL).
    static func linkHeader(baseURL: String, path: String, query: QueryItems, page: Int, lastPage: Int) -> (String, String)? {
        guard page > 1 || lastPage > 1 else { return nil }
        func url(_ n: Int) -> String { "<\(baseURL)\(path)?\(query.with(page: n))>" }
        var parts: [String] = []
        if page < lastPage {
            parts.append("\(url(page + 1)); rel=\"next\"")
            parts.append("\(url(lastPage)); rel=\"last\"")
        }
        if page > 1 {
            parts.append("\(url(1)); rel=\"first\"")
            parts.append("\(url(min(page - 1, lastPage))); rel=\"prev\"")
        }
        return parts.isEmpty ? nil : ("link", parts.joined(separator: ", "))
    }

    /// A JSON array page of `items` (already ordered), rendered lazily so a page costs O(per_page).
    func listPage(
        _ request: SimulatedHTTPRequest, baseURL: String, count: Int, cap: Int? = nil,
        wrap: ((String) -> String)? = nil, render: (Int) -> String
    ) -> RouteResult {
        let query = QueryItems(request.query)
        let page = Page(query)
        let (range, lastPage) = page.slice(total: count, cap: cap)
        var body = "["
        body.reserveCapacity(range.count * 1500 + 2)
        var first = true
        for i in range {
            if !first { body += "," }
            first = false
            body += render(i)
        }
        body += "]"
        var result = RouteResult(status: 200, body: wrap.map { $0(body) } ?? body)
        if let link = Self.linkHeader(baseURL: baseURL, path: request.path, query: query, page: page.page, lastPage: lastPage) {
            result.headers.append(link)
        }
        return result
    }

    /// Routes an authenticated GET to its endpoint, within what `credential` may see.
    func route(_ request: SimulatedHTTPRequest, baseURL: String, credential: SimulatedCredential) -> RouteResult {
        let components = request.path.split(separator: "/", omittingEmptySubsequences: true).map {
            String($0).removingPercentEncoding ?? String($0)
        }
        if components == ["rate_limit"] {
            return rateLimitBody(credential: credential)
        }
        if let result = appRoute(components, request: request, baseURL: baseURL, credential: credential) {
            return result
        }
        if case .app = credential {
            return Self.errorResult(
                403,
                "Resource not accessible by integration: a GitHub App's JWT only authenticates the /app endpoints; use an installation token",
                documentation: "https://docs.github.com/rest/apps/apps")
        }
        if components == ["installation", "repositories"] {
            return installationRepositories(request: request, baseURL: baseURL, credential: credential)
        }
        if components.count == 3, components[0] == "orgs", components[2] == "repos" {
            return organisationRepositories(components[1], request: request, baseURL: baseURL, credential: credential)
        }
        guard components.count >= 3, components[0] == "repos" else {
            return Self.errorResult(404, "Not Found")
        }
        let key = "\(components[1])/\(components[2])".lowercased()
        guard canSee(credential, key) else { return Self.errorResult(404, "Not Found") }
        guard let index = indexed(key) else {
            let target = state.withLock { $0.redirects[key] }
            guard let target, canSee(credential, target) else { return Self.errorResult(404, "Not Found") }
            let rawParts = request.path.split(separator: "/", omittingEmptySubsequences: false)
            let suffix = rawParts.count > 4 ? "/" + rawParts[4...].joined(separator: "/") : ""
            let query = request.query.map { $0.isEmpty ? "" : "?\($0)" } ?? ""
            let location = "\(baseURL)/repos/\(target)\(suffix)\(query)"
            var result = Self.errorResult(301, "Moved Permanently")
            result.body = #"{"message":"Moved Permanently","url":\#(JSONText.string(location)),"documentation_url":"\#(Self.documentationURL)"}"#
            result.headers.append(("location", location))
            return result
        }
        let renderer = GitHubRenderer(base: baseURL, index: index)
        let rest = Array(components.dropFirst(3))
        return RepositoryRoutes(github: self, request: request, baseURL: baseURL, index: index, renderer: renderer).route(rest)
    }

    /// `GET /rate_limit`: free, and about the credential that asks.
    func rateLimitBody(credential: SimulatedCredential) -> RouteResult {
        let now = clock()
        let current = state.withLock { state in budget(&state, credential, now: now) }
        let (used, resetAt) = (current.used, current.resetAt)
        let reset = Int(resetAt.timeIntervalSince1970.rounded(.up))
        let core = #"{"limit":\#(rateLimit),"remaining":\#(max(0, rateLimit - used)),"reset":\#(reset),"used":\#(min(used, rateLimit)),"resource":"core"}"#
        let search = #"{"limit":30,"remaining":30,"reset":\#(reset),"used":0,"resource":"search"}"#
        let graphql = #"{"limit":\#(rateLimit),"remaining":\#(rateLimit),"reset":\#(reset),"used":0,"resource":"graphql"}"#
        let body = #"{"resources":{"core":\#(core),"search":\#(search),"graphql":\#(graphql)},"rate":\#(core)}"#
        return RouteResult(status: 200, body: body, counted: false)
    }
}
