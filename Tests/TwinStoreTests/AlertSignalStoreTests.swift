import Dora
import Foundation
import Testing

@testable import TwinStore

@Suite struct AlertSignalStoreTests {
    static func record(_ fingerprint: String, _ start: Double, _ end: Double? = nil) -> AlertSignalRecord {
        AlertSignalRecord(
            fingerprint: fingerprint, startsAt: Date(timeIntervalSince1970: start), endsAt: end.map { Date(timeIntervalSince1970: $0) },
            labels: ["alertname": "A", "repository": "acme/shop"], generatorURL: "http://prom")
    }

    @Test func signalsAreUpsertedInAnyOrderAndRepeatsAreOne() throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        #expect(try store.alertRecordStart() == nil)
        // A resolution before its firing, the firing, a repeat, the resolution again with a later end.
        #expect(try store.recordAlertSignals([Self.record("a", 100, 200)], origin: .notification, receivedAt: Date(timeIntervalSince1970: 500), coverageFrom: Date(timeIntervalSince1970: 500)) == 1)
        #expect(try store.recordAlertSignals([Self.record("a", 100), Self.record("b", 150)], origin: .notification, receivedAt: Date(timeIntervalSince1970: 600), coverageFrom: Date(timeIntervalSince1970: 600)) == 1)
        try store.recordAlertSignals([Self.record("a", 100, 250), Self.record("a", 100)], origin: .notification, receivedAt: Date(timeIntervalSince1970: 700), coverageFrom: Date(timeIntervalSince1970: 700))
        let signals = try store.alertSignals()
        #expect(signals.map(\.fingerprint) == ["a", "b"])
        #expect(signals[0].endsAt == Date(timeIntervalSince1970: 250) && signals[1].endsAt == nil)
        #expect(signals[0].labels == ["alertname": "A", "repository": "acme/shop"])
        // The record starts at the earliest: the first notification, or an earlier import.
        #expect(try store.alertRecordStart() == Date(timeIntervalSince1970: 500))
        try store.recordAlertSignals([], origin: .import, receivedAt: Date(timeIntervalSince1970: 800), coverageFrom: Date(timeIntervalSince1970: 10))
        #expect(try store.alertRecordStart() == Date(timeIntervalSince1970: 10))
    }

    @Test func signalsSurviveReopening() throws {
        let temporary = try TemporaryStore()
        try temporary.store.recordAlertSignals([Self.record("a", 100)], origin: .notification, receivedAt: Date(), coverageFrom: Date(timeIntervalSince1970: 50))
        let reopened = try TwinStore(path: temporary.path, logger: .init(label: "test"))
        #expect(try reopened.alertSignals().count == 1)
        #expect(try reopened.alertRecordStart() == Date(timeIntervalSince1970: 50))
    }
}
