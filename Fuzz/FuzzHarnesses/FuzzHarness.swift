import Foundation

/// One fuzz target: a name (`scripts/fuzz NAME`) and a check of one input. The check returns normally when
/// every property held, throws a ``HarnessViolation`` when one did not, and traps only where the code under
/// test traps. libFuzzer runs it through `devops-twin-fuzz`; the tests replay the committed corpus through it.
public struct FuzzHarness: Sendable {
    /// The harness's name: its corpus folder (`Fuzz/Corpus/NAME`) and the first argument of `devops-twin-fuzz`.
    public let name: String
    /// What it feeds and what it checks, for `devops-twin-fuzz --list`.
    public let summary: String
    let check: @Sendable (Data) throws(HarnessViolation) -> Void

    public init(name: String, summary: String, check: @escaping @Sendable (Data) throws(HarnessViolation) -> Void) {
        self.name = name
        self.summary = summary
        self.check = check
    }

    /// Checks one input.
    public func run(_ input: Data) throws(HarnessViolation) {
        try check(input)
    }

    /// Every harness, in the order `scripts/fuzz` runs them.
    public static let all: [FuzzHarness] = [
        ConfigLoaderHarness.harness,
        GitHubModelsHarness.harness,
        LinkHeaderHarness.harness,
        WebhookDeliveryHarness.harness,
        LabelValueHarness.harness,
    ]

    /// The harness called `name`.
    public static func named(_ name: String) -> FuzzHarness? {
        all.first { $0.name == name }
    }
}
