import Foundation

/// Runs the files of a corpus through a harness without libFuzzer: what `devops-twin-fuzz` does in a normal
/// build, and what the tests do with the committed seed corpus and crash regressions.
public enum CorpusReplay {
    /// A file that broke a property.
    public struct Finding: Sendable, CustomStringConvertible {
        public var file: String
        public var violation: HarnessViolation
        public var description: String { "\(file): \(violation)" }
    }

    /// The regular files at `paths` (folders searched recursively, hidden files skipped), sorted.
    public static func files(at paths: [String]) -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let folder = URL(fileURLWithPath: path)
            let found = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
            while let url = found?.nextObject() as? URL {
                if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true { files.append(url.path) }
            }
        }
        return files.sorted()
    }

    /// Runs every file through `harness`; the findings, empty when every property held.
    public static func replay(_ harness: FuzzHarness, files: [String]) -> [Finding] {
        var findings: [Finding] = []
        for file in files {
            let data = FileManager.default.contents(atPath: file) ?? Data()
            do {
                try harness.run(data)
            } catch {
                findings.append(Finding(file: file, violation: error))
            }
        }
        return findings
    }
}
