import Foundation

/// The process side of `devops-twin-fuzz`: which harness libFuzzer's callback runs, and what a violation does
/// there (trap, so libFuzzer writes the input out as a crash).
public enum FuzzDriver {
    /// Set once in `main`, before libFuzzer starts calling back; read only afterwards.
    nonisolated(unsafe) public static var harness: FuzzHarness?

    /// libFuzzer's callback body: runs the harness on `count` bytes at `bytes`; a violation traps.
    public static func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
        guard let harness else { return 0 }
        let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
        do {
            try harness.run(data)
        } catch {
            FileHandle.standardError.write(Data("devops-twin-fuzz \(harness.name): \(error)\n".utf8))
            fatalError("property violated: \(error.property)")
        }
        return 0
    }

    /// `devops-twin-fuzz --list`, and the usage line.
    public static var usage: String {
        "usage: devops-twin-fuzz HARNESS [libFuzzer flags] [CORPUS...]   (replays FILE|FOLDER... when built without -sanitize=fuzzer)\n"
            + FuzzHarness.all.map { "  \($0.name.padding(toLength: 14, withPad: " ", startingAt: 0)) \($0.summary)" }.joined(separator: "\n")
    }
}
