import Foundation

/// An error of the simulated GitHub (loading a history file, starting the server, reading an app's key).
public struct GitHubSimulatorError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable {
        case historyUnreadable
        case historyInvalid
        case serverStartFailed
        case appKeyInvalid
    }

    public var kind: Kind
    /// Details: which file or address, and what was wrong with it.
    public var detail: String

    public init(kind: Kind, detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public var description: String {
        switch kind {
        case .historyUnreadable:
            return "cannot read the history file (\(detail)): check the path exists and is readable"
        case .historyInvalid:
            return "the history file is not in the git-history/1 format (\(detail)): the format is described in Tests/Fixtures/README.md of the devops-twin repository"
        case .serverStartFailed:
            return "the simulated GitHub server did not start (\(detail)): check the host and port are free"
        case .appKeyInvalid:
            return "the GitHub App key is not an RSA key in PEM form (\(detail)): give the app's public key (openssl rsa -in app.pem -pubout) or the private key GitHub issued, at least 2048 bits"
        }
    }
}
