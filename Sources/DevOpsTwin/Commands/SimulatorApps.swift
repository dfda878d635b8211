import ArgumentParser
import Foundation
import GitHubSimulator

/// The `--app` and `--installation` flags of `devops-twin simulator`, turned into ``SimulatedApp`` values.
enum SimulatorApps {
    /// Parses `ID:PEM_FILE` apps and `APP_ID:ORG[:K/N]` installations. Installation IDs are `APP_ID * 1000 + n`
    /// (n counting the app's installations from 1, in flag order), so they are predictable in scripts.
    /// `K/N` gives the K-th (1…N) of N equal consecutive parts of the organisation's repositories, in the order
    /// they were generated, as a `selected` installation.
    static func parse(apps: [String], installations: [String], repositories: [SimulatedRepository]) throws -> [SimulatedApp] {
        var parsed: [SimulatedApp] = []
        for flag in apps {
            guard let colon = flag.firstIndex(of: ":"), let id = Int(flag[..<colon]), id > 0 else {
                throw ValidationError("--app \(flag) is not ID:PEM_FILE (a positive App ID, a colon, the key file)")
            }
            guard !parsed.contains(where: { $0.id == id }) else { throw ValidationError("--app \(id) is given twice") }
            let path = String(flag[flag.index(after: colon)...])
            guard let pem = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ValidationError("--app \(id): cannot read the key file \(path): check the path exists and is readable")
            }
            do {
                try SimulatedApp.validatePublicKey(pem, source: path)
            } catch {
                throw ValidationError("--app \(id): \(error)")
            }
            parsed.append(SimulatedApp(id: id, slug: "devops-twin-app-\(id)", publicKeyPEM: pem))
        }
        for flag in installations {
            let parts = flag.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2 || parts.count == 3, let appID = Int(parts[0]), !parts[1].isEmpty else {
                throw ValidationError("--installation \(flag) is not APP_ID:ORG or APP_ID:ORG:K/N (e.g. 7:acme or 7:acme:1/2)")
            }
            guard let appIndex = parsed.firstIndex(where: { $0.id == appID }) else {
                throw ValidationError("--installation \(flag): no --app \(appID) is registered; add --app \(appID):KEY_FILE")
            }
            let org = parts[1]
            var selected: [String]?
            if parts.count == 3 {
                let fraction = parts[2].split(separator: "/").map { Int($0) }
                guard fraction.count == 2, let k = fraction[0], let n = fraction[1], n > 0, (1...n).contains(k) else {
                    throw ValidationError("--installation \(flag): K/N must have 1 ≤ K ≤ N (e.g. 1/2 for the first half)")
                }
                let owned = repositories.filter { $0.owner.lowercased() == org.lowercased() }.map(\.name)
                let start = (k - 1) * owned.count / n
                let end = k * owned.count / n
                selected = Array(owned[start..<end])
            }
            let ordinal = parsed[appIndex].installations.count + 1
            parsed[appIndex].installations.append(SimulatedInstallation(id: appID * 1000 + ordinal, account: org, repositories: selected))
        }
        return parsed
    }
}
