import Foundation

/// The DORA engine: `spec/dora.md`, exactly. Pure: inputs in, results out; no I/O, no clock.
public enum DoraEngine {
    /// Computes every metric for each window at `asOf`.
    public static func report(
        for data: RepositoryData, definitions: DoraDefinitions, windows: [DoraWindow], asOf: Date
    ) throws(DoraError) -> RepositoryReport {
        fatalError("not implemented yet")
    }

    /// The derived deployment facts (first-deployed commits with lead times, attributions) at `asOf`.
    public static func timeline(
        for data: RepositoryData, definitions: DoraDefinitions, asOf: Date
    ) throws(DoraError) -> DeploymentTimeline {
        fatalError("not implemented yet")
    }
}
