import Foundation
import Testing

@testable import TwinConfig

/// `exporter.exclude`: families and windows left out of /metrics, refused at load when unknown.
@Suite struct ExporterExcludeConfigTests {
    static func load(_ exclude: String, known: Set<String>? = ["devops_twin_ci_runs", "devops_twin_dora_level"]) throws -> TwinConfiguration {
        var loader = ConfigLoader(environment: [:], now: Date(timeIntervalSince1970: 1_750_000_000))
        loader.knownMetricFamilies = known
        return try loader.load(data: Data(#"{"exporter": {"exclude": \#(exclude)}, "repositories": [{"name": "o/r"}]}"#.utf8)).configuration
    }

    @Test func knownFamiliesAndConfiguredWindowsAreKept() throws {
        let exporter = try Self.load(#"{"families": ["devops_twin_ci_runs"], "windows": ["7d", "all"]}"#).exporter
        #expect(exporter.excludeFamilies == ["devops_twin_ci_runs"])
        #expect(exporter.excludeWindows == ["7d", "all"])
    }

    @Test func anUnknownFamilyIsRefusedWithItsKeyAndTheClosestName() {
        do {
            _ = try Self.load(#"{"families": ["devops_twin_ci_run"]}"#)
            Issue.record("accepted an unknown family")
        } catch let error as ConfigError {
            #expect(error.key == "exporter.exclude.families[0]")
            #expect(error.message.contains("devops_twin_ci_run"))
            #expect(error.message.contains("devops_twin_ci_runs"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func aNameThatIsNoMetricFamilyIsRefusedEvenWithoutTheCatalogue() {
        #expect(throws: ConfigError.self) { _ = try Self.load(#"{"families": ["ci_runs"]}"#, known: nil) }
        #expect((try? Self.load(#"{"families": ["devops_twin_anything"]}"#, known: nil)) != nil)
    }

    @Test func aWindowThatIsNotConfiguredIsRefused() {
        do {
            _ = try Self.load(#"{"windows": ["14d"]}"#)
            Issue.record("accepted an unknown window")
        } catch let error as ConfigError {
            #expect(error.key == "exporter.exclude.windows[0]")
            #expect(error.message.contains("dora.windows"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
