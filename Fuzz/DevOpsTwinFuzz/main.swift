import Foundation
import FuzzHarnesses

// `devops-twin-fuzz HARNESS ...`. Built with `-sanitize=fuzzer,address -DDEVOPS_TWIN_FUZZ` (scripts/fuzz) it hands
// the remaining arguments to libFuzzer; in a normal build it replays the files and folders it is given, so the
// target builds and links like any other executable.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    FuzzDriver.testOneInput(bytes, count)
}

let arguments = CommandLine.arguments
guard arguments.count >= 2, let harness = FuzzHarness.named(arguments[1]) else {
    print(FuzzDriver.usage)
    exit(arguments.count >= 2 && arguments[1] == "--list" ? 0 : 2)
}
FuzzDriver.harness = harness

#if DEVOPS_TWIN_FUZZ
// SwiftPM renames this file's `main`, so libFuzzer's own `main` is not the entry point: start its driver here.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

// libFuzzer sees the program name and everything after the harness name.
var fuzzerArguments: [UnsafeMutablePointer<CChar>?] = [CommandLine.unsafeArgv[0]]
fuzzerArguments += (2..<Int(CommandLine.argc)).map { CommandLine.unsafeArgv[$0] }
fuzzerArguments.append(nil)
var fuzzerArgumentCount = CInt(fuzzerArguments.count - 1)
let status = fuzzerArguments.withUnsafeMutableBufferPointer { buffer in
    var vector: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = buffer.baseAddress
    return runFuzzerDriver(&fuzzerArgumentCount, &vector, fuzzOneInput)
}
exit(status)
#else
let paths = arguments.dropFirst(2).filter { !$0.hasPrefix("-") }
let files = CorpusReplay.files(at: Array(paths))
let findings = CorpusReplay.replay(harness, files: files)
for finding in findings {
    print(finding)
}
print("\(harness.name): replayed \(files.count) inputs, \(findings.count) property violations (not a fuzzing build: see scripts/fuzz)")
exit(findings.isEmpty ? 0 : 1)
#endif
