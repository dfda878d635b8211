import Foundation

/// A signal as knowable at `asOf`: the records of one fingerprint and one `startsAt` taken together (spec v1.3).
public struct AlertSignal: Sendable, Hashable {
    public var fingerprint: String
    public var startsAt: Date
    /// The latest `endsAt` of its resolutions before `asOf`; nil while open at `asOf`.
    public var endsAt: Date?
    public var labels: [String: String]
    public var generatorURL: String?

    public var alertName: String { labels["alertname"] ?? "" }

    /// The signals of `records` at `asOf`: one per (fingerprint, startsAt), resolved if any record is, at the
    /// latest `endsAt` given; signals starting at or after `asOf` do not exist yet, one resolved at or after
    /// `asOf` is open, and one whose `endsAt` is not after its `startsAt` is ignored. Sorted by (startsAt,
    /// fingerprint).
    public static func signals(of records: [AlertSignalRecord], asOf: Date) -> [AlertSignal] {
        var byKey: [String: AlertSignal] = [:]
        var latestEnd: [String: Date] = [:]
        for record in records where record.startsAt < asOf {
            let key = "\(record.fingerprint)\u{0}\(record.startsAt.timeIntervalSince1970)"
            if byKey[key] == nil {
                byKey[key] = AlertSignal(
                    fingerprint: record.fingerprint, startsAt: record.startsAt, endsAt: nil, labels: record.labels,
                    generatorURL: record.generatorURL)
            } else if byKey[key]?.generatorURL == nil {
                byKey[key]?.generatorURL = record.generatorURL
            }
            if let end = record.endsAt, end > (latestEnd[key] ?? .distantPast) { latestEnd[key] = end }
        }
        var result: [AlertSignal] = []
        result.reserveCapacity(byKey.count)
        for (key, var signal) in byKey {
            if let end = latestEnd[key] {
                if end <= signal.startsAt { continue }
                if end < asOf { signal.endsAt = end }
            }
            result.append(signal)
        }
        result.sort { ($0.startsAt, $0.fingerprint) < ($1.startsAt, $1.fingerprint) }
        return result
    }
}
