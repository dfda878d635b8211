import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A real headless Chromium (Debian package `chromium`) loads the status page of a real `devops-twin demo`:
/// every repository is there, every number equals the `/metrics` sample it names (and `report --json` at the
/// snapshot's instant), and the page renders to a PNG.
@Suite(.serialized) struct StatusPageEndToEndTests {
    struct TestFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static let repositories = ["demo/webshop", "demo/payments", "demo/checkout"]

    static func chromiumBinary() throws -> String {
        for path in ["/usr/bin/chromium", "/usr/local/bin/chromium", "/usr/bin/chromium-browser"]
        where FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        throw TestFailure("chromium is not installed: run scripts/test (it installs the Debian package 'chromium')")
    }

    /// Runs headless Chromium to completion (bounded); its profile lives in the test's workspace.
    static func chromium(_ binary: String, _ arguments: [String], workspace: Workspace, timeout: TimeInterval = 120) async throws -> String {
        let id = UUID().uuidString.prefix(8)
        let stdoutURL = workspace.url.appendingPathComponent("chromium-\(id).out")
        let stderrURL = workspace.url.appendingPathComponent("chromium-\(id).err")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
                "--user-data-dir=\(workspace.url.appendingPathComponent("chromium-profile").path)",
            ] + arguments
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw TestFailure("chromium \(arguments.joined(separator: " ")) did not finish within \(Int(timeout)) s")
        }
        let stdout = (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            let stderr = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
            throw TestFailure("chromium exited with \(process.terminationStatus): \(stderr.suffix(2_000))")
        }
        return stdout
    }

    @Test func chromiumShowsEveryRepositoryWithTheNumbersMetricsServes() async throws {
        let chromium = try Self.chromiumBinary()
        let workspace = try Workspace()
        defer { workspace.remove() }
        let port = freeLoopbackPort()
        let data = workspace.url.appendingPathComponent("demo-data")
        // One sync only (interval 1 h): after it the snapshot, hence the page, stays the same.
        let demo = try TwinProcess(
            ["demo", "--listen", "127.0.0.1:\(port)", "--data-dir", data.path, "--commits", "600", "--interval", "3600"],
            in: workspace.url)
        defer { if demo.process.isRunning { demo.signal(SIGKILL) } }
        // The first cycle's end: its budget gauges say every repository's history is complete (progressive sync
        // publishes each repository's shallow numbers before that; the cycle's full refresh comes last).
        let synced = try await LoopbackHTTP.waitForMetrics(port: port, timeout: 600) { text in
            text.contains(#"devops_twin_sync_repositories{credential="default",coverage="complete"} \#(Self.repositories.count)"#)
                && Self.repositories.allSatisfy { text.contains("devops_twin_sync_last_success_timestamp_seconds{repository=\"\($0)\"}") }
        }
        #expect(synced != nil, "the demo never finished its first sync: \(demo.stdout.suffix(2_000)) \(demo.stderr.suffix(2_000))")
        guard synced != nil else { return }

        let url = "http://127.0.0.1:\(port)/"
        let dom = try await Self.chromium(chromium, ["--dump-dom", url], workspace: workspace)
        let metrics = try Self.samples(try await LoopbackHTTP.get("http://127.0.0.1:\(port)/metrics"))

        #expect(dom.contains("<title>devops-twin · DORA status</title>"), "Chromium did not get the status page: \(dom.prefix(500))")
        for repository in Self.repositories {
            #expect(dom.contains("<th scope=\"row\" class=\"repo\">\(repository)</th>"), "\(repository) is missing")
            #expect(dom.contains("<h3>\(repository) "), "\(repository) has no trend charts")
        }
        for team in ["storefront", "money"] {
            #expect(dom.contains("<th scope=\"row\" class=\"repo team\">\(team)"), "team \(team) is missing")
        }
        for link in ["/metrics", "/healthz", "/readyz"] { #expect(dom.contains("href=\"\(link)\"")) }
        #expect(dom.contains("<svg class=\"spark\""))

        let elements = Self.metricElements(dom)
        let valued = elements.filter { $0.attributes["data-value"] != nil }
        let snapshotTime = try #require(valued.first { $0.attributes["data-metric"] == "devops_twin_snapshot_timestamp_seconds" })
        #expect(
            snapshotTime.attributes["data-value"] == metrics[Key(name: "devops_twin_snapshot_timestamp_seconds", labels: [:])],
            "the page and /metrics come from different snapshots")
        // Each repository and window has at least deployments per day and its level on the page.
        let windows = Set(valued.compactMap { $0.attributes["data-window"] })
        #expect(windows.isSuperset(of: ["7d", "30d", "90d"]))
        #expect(valued.filter { $0.attributes["data-metric"] == "devops_twin_dora_deployments_per_day" }.count == Self.repositories.count * windows.count)
        // The teams' numbers are their own families' samples (compared with /metrics below like every other value).
        #expect(valued.filter { $0.attributes["data-metric"] == "devops_twin_group_dora_deployments_per_day" }.count == 2 * windows.count)
        for element in elements {
            let key = Key(name: element.attributes["data-metric"] ?? "", labels: Self.labels(of: element))
            if let value = element.attributes["data-value"] {
                #expect(metrics[key] == value, "page \(key) = \(value), /metrics \(metrics[key] ?? "absent")")
            } else {
                #expect(metrics[key] == nil, "the page says no data for \(key), /metrics has \(metrics[key] ?? "")")
                #expect(element.text == "no data" || element.text == "no level")
            }
            if key.name == "devops_twin_dora_deployments_per_day", let value = element.attributes["data-value"].flatMap(Double.init) {
                #expect(element.text == String(format: "%.2f / day", value))
            }
        }

        let png = workspace.url.appendingPathComponent("status-page.png")
        _ = try await Self.chromium(chromium, ["--screenshot=\(png.path)", "--window-size=1280,1600", url], workspace: workspace)
        let image = try Data(contentsOf: png)
        #expect(image.count > 10_000, "the screenshot is \(image.count) bytes")
        #expect(Array(image.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "the screenshot is not a PNG")
        if image.count >= 24 {
            let width = image[16..<20].reduce(0) { $0 << 8 | Int($1) }
            let height = image[20..<24].reduce(0) { $0 << 8 | Int($1) }
            #expect(width == 1280 && height == 1600, "the screenshot is \(width)x\(height)")
        }

        demo.signal(SIGINT)
        #expect(await demo.waitForExit(timeout: 30) == 0)

        // The same instant through `report --json`: the page's DORA numbers are the report's.
        let asOf = try #require(snapshotTime.attributes["data-value"].flatMap(Double.init))
        let report = try await TwinProcess.run(
            ["report", "--json", "--config", data.appendingPathComponent("config.json").path, "--as-of",
             ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: asOf))], in: workspace.url)
        try #require(report.status == 0, "report failed: \(report.stderr)")
        // JSONDecoder: JSONSerialization may round the last digit of a double.
        let parsed = try JSONDecoder().decode(ReportFile.self, from: Data(report.stdout.utf8))
        var compared = 0
        for repository in parsed.repositories {
            for (window, metrics) in repository.windows {
                let expected: [(String, String?, Double?)] = [
                    ("devops_twin_dora_deployments_per_day", nil, metrics.deploymentFrequency.perDay),
                    ("devops_twin_dora_lead_time_seconds", "p50", metrics.leadTime.p50),
                    ("devops_twin_dora_change_failure_ratio", nil, metrics.changeFailureRate.value),
                    ("devops_twin_dora_time_to_restore_seconds", "p50", metrics.timeToRestore.p50),
                    ("devops_twin_dora_rework_ratio", nil, metrics.reworkRate.value),
                ]
                for (metric, statistic, reportValue) in expected {
                    let element = elements.first {
                        $0.attributes["data-metric"] == metric && $0.attributes["data-repository"] == repository.repository
                            && $0.attributes["data-window"] == window && $0.attributes["data-statistic"] == statistic
                    }
                    let pageValue = element?.attributes["data-value"].flatMap(Double.init)
                    #expect(pageValue == reportValue, "\(repository.repository) \(window) \(metric)")
                    compared += 1
                }
            }
        }
        #expect(compared == Self.repositories.count * windows.count * 5)
    }

    // MARK: Reading the page, /metrics and the report

    /// The part of `report --json` (docs/report-json.md) the page shows.
    struct ReportFile: Decodable {
        struct Repository: Decodable {
            var repository: String
            var windows: [String: Window]
        }
        struct Window: Decodable {
            struct Frequency: Decodable { var perDay: Double? }
            struct Statistics: Decodable { var p50: Double? }
            struct Ratio: Decodable { var value: Double? }
            var deploymentFrequency: Frequency
            var leadTime: Statistics
            var changeFailureRate: Ratio
            var timeToRestore: Statistics
            var reworkRate: Ratio
        }
        var repositories: [Repository]
    }

    struct Element {
        var attributes: [String: String]
        var text: String
    }

    struct Key: Hashable, CustomStringConvertible {
        var name: String
        var labels: [String: String]
        var description: String { "\(name)\(labels.sorted { $0.key < $1.key })" }
    }

    /// Elements carrying `data-metric`, with unescaped attributes and their text without tags.
    static func metricElements(_ html: String) -> [Element] {
        let tagPattern = try! NSRegularExpression(
            pattern: #"<(span|time)\s([^>]*data-metric="[^"]*"[^>]*)>(.*?)</\1>"#, options: [.dotMatchesLineSeparators])
        let attributePattern = try! NSRegularExpression(pattern: #"([a-z][a-z0-9-]*)="([^"]*)""#)
        return tagPattern.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { match in
            let attributeText = String(html[Range(match.range(at: 2), in: html)!])
            var attributes: [String: String] = [:]
            for attribute in attributePattern.matches(in: attributeText, range: NSRange(attributeText.startIndex..., in: attributeText)) {
                attributes[String(attributeText[Range(attribute.range(at: 1), in: attributeText)!])] =
                    unescape(String(attributeText[Range(attribute.range(at: 2), in: attributeText)!]))
            }
            let inner = String(html[Range(match.range(at: 3), in: html)!])
            return Element(attributes: attributes, text: unescape(inner.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)))
        }
    }

    static func labels(of element: Element) -> [String: String] {
        var labels: [String: String] = [:]
        for (attribute, label) in [
            ("data-repository", "repository"), ("data-group", "group"), ("data-window", "window"), ("data-statistic", "statistic"),
            ("data-level-metric", "metric"), ("data-resource", "resource"), ("data-credential", "credential"),
        ] {
            if let value = element.attributes[attribute], !value.isEmpty { labels[label] = value }
        }
        return labels
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&nbsp;", with: "\u{a0}").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The samples of a Prometheus 0.0.4 exposition: name and labels to the value as written.
    static func samples(_ text: String) throws -> [Key: String] {
        var samples: [Key: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { throw TestFailure("unreadable sample line: \(line)") }
            let series = line[..<space]
            let value = String(line[line.index(after: space)...])
            guard let brace = series.firstIndex(of: "{") else {
                samples[Key(name: String(series), labels: [:])] = value
                continue
            }
            var labels: [String: String] = [:]
            var rest = series[series.index(after: brace)...].dropLast()  // without the closing brace
            while !rest.isEmpty {
                guard let equals = rest.firstIndex(of: "=") else { throw TestFailure("unreadable labels: \(line)") }
                let name = String(rest[..<equals]).trimmingCharacters(in: CharacterSet(charactersIn: ", "))
                var index = rest.index(equals, offsetBy: 2)  // after `="`
                var value = ""
                while index < rest.endIndex, rest[index] != "\"" {
                    if rest[index] == "\\", rest.index(after: index) < rest.endIndex {
                        index = rest.index(after: index)
                        value.append(rest[index] == "n" ? "\n" : rest[index])
                    } else {
                        value.append(rest[index])
                    }
                    index = rest.index(after: index)
                }
                labels[name] = value
                rest = index < rest.endIndex ? rest[rest.index(after: index)...] : rest[rest.endIndex...]
            }
            samples[Key(name: String(series[..<brace]), labels: labels)] = value
        }
        return samples
    }
}
