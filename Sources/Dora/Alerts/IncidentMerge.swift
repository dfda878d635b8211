import Foundation

/// Where an incident came from: a labelled issue, alerts, or both merged into one (spec v1.3).
public enum IncidentOrigin: String, Sendable, Hashable {
    case issue
    case alert
    case issueAndAlert = "issue+alert"
}

/// One part of an incident before merging: an issue incident or an alert signal, as an interval
/// `[start, end)` (`end` nil: open at `asOf`).
struct IncidentPart {
    var start: Double
    var end: Double?
    var issueNumber: Int?
    var alertName: String?
    var generatorURL: String?
}

/// An incident as the merge leaves it, before attribution.
struct MergedIncident {
    var opened: Double
    var closed: Double?
    var issueNumbers: [Int] = []
    var alertNames: [String] = []
    var generatorURLs: [String] = []
    var hasAlert = false

    var origin: IncidentOrigin {
        if !hasAlert { return .issue }
        return issueNumbers.isEmpty ? .alert : .issueAndAlert
    }
}

/// Unites the parts' intervals and joins two whose gap is shorter than `mergeGap` (spec v1.3, "Incidents"):
/// each maximal joined interval is one incident, open while any part of it is open.
enum IncidentMerge {
    static func merge(_ parts: [IncidentPart], mergeGap: Double) -> [MergedIncident] {
        let sorted = parts.sorted { $0.start < $1.start }
        var result: [MergedIncident] = []
        var names = Set<String>()
        var links = Set<String>()
        var end = -Double.infinity
        func finish() {
            guard !result.isEmpty else { return }
            result[result.count - 1].alertNames = names.sorted()
            result[result.count - 1].generatorURLs = links.sorted()
            result[result.count - 1].issueNumbers.sort()
            result[result.count - 1].closed = end.isFinite ? end : nil
        }
        for part in sorted {
            let partEnd = part.end ?? .infinity
            // Overlapping or touching intervals are one; a gap shorter than mergeGap joins them.
            if result.isEmpty || !(part.start <= end || part.start - end < mergeGap) {
                finish()
                result.append(MergedIncident(opened: part.start, closed: nil))
                names = []
                links = []
                end = partEnd
            } else {
                end = max(end, partEnd)
            }
            if let number = part.issueNumber { result[result.count - 1].issueNumbers.append(number) }
            if let name = part.alertName {
                names.insert(name)
                result[result.count - 1].hasAlert = true
            }
            if let link = part.generatorURL, !link.isEmpty { links.insert(link) }
        }
        finish()
        return result
    }

    /// The parts of `repository`'s alert signals: those its matchers select that belong to it.
    static func alertParts(
        _ records: [AlertSignalRecord], repository: String, alerts: AlertDefinitions, asOf: Date
    ) throws(DoraError) -> [IncidentPart] {
        let selector = try AlertSelector(alerts.matchers)
        return AlertSignal.signals(of: records, asOf: asOf).compactMap { signal in
            guard alerts.belongs(signal.labels, to: repository), selector.matches(signal.labels) else { return nil }
            return IncidentPart(
                start: signal.startsAt.timeIntervalSince1970, end: signal.endsAt?.timeIntervalSince1970,
                alertName: signal.alertName, generatorURL: signal.generatorURL)
        }
    }
}
