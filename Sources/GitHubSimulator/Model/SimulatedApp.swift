import Foundation

/// A GitHub App registered with the simulated GitHub: it authenticates with RS256 JSON Web Tokens signed by the
/// private key whose public half is `publicKeyPEM`, and exchanges them for installation tokens.
public struct SimulatedApp: Sendable, Hashable {
    /// The App ID (the JWT's `iss`).
    public var id: Int
    /// The app's URL name, e.g. "devops-twin".
    public var slug: String
    /// The client ID, also accepted as the JWT's `iss` (GitHub recommends it over the App ID).
    public var clientID: String
    /// The public key (PEM, `PUBLIC KEY` or `RSA PUBLIC KEY`) that verifies the app's JWTs.
    public var publicKeyPEM: String
    public var installations: [SimulatedInstallation]

    /// - Parameters:
    ///   - clientID: defaults to "Iv23" followed by the App ID, the shape of GitHub's client IDs.
    public init(id: Int, slug: String, publicKeyPEM: String, installations: [SimulatedInstallation] = [], clientID: String? = nil) {
        self.id = id
        self.slug = slug
        self.clientID = clientID ?? "Iv23li\(String(id, radix: 16))"
        self.publicKeyPEM = publicKeyPEM
        self.installations = installations
    }

    /// Checks that `pem` is an RSA key the simulator can verify JWTs with (a public key, or a private key whose
    /// public half is used), so a bad key file is reported at start-up rather than as 401s later.
    /// - Parameter source: where the key came from (a file name), for the error message; never the key itself.
    public static func validatePublicKey(_ pem: String, source: String) throws {
        do {
            _ = try AppJWTVerifier.publicKey(pem: pem)
        } catch {
            throw GitHubSimulatorError(kind: .appKeyInvalid, detail: source)
        }
    }
}

/// One installation of a ``SimulatedApp`` on an organisation: which of the organisation's repositories its
/// installation tokens can read.
public struct SimulatedInstallation: Sendable, Hashable {
    /// The installation ID (`/app/installations/{id}/access_tokens`).
    public var id: Int
    /// The organisation (the login of the repositories' owner) the app is installed on.
    public var account: String
    /// The repositories it was granted ("name" within the organisation, or "owner/name"); nil for all of the
    /// organisation's repositories, including ones added later (GitHub's `repository_selection: all`).
    public var repositories: [String]?

    public init(id: Int, account: String, repositories: [String]? = nil) {
        self.id = id
        self.account = account
        self.repositories = repositories
    }

    /// `all` or `selected`, as GitHub reports it.
    public var repositorySelection: String { repositories == nil ? "all" : "selected" }
}

/// Who made a request, as the simulator tells budgets and log entries apart. Its ``label`` is not secret.
public enum SimulatedCredential: Sendable, Hashable, CustomStringConvertible {
    /// No token (only when the simulator requires none).
    case anonymous
    /// The n-th accepted personal access token, from 1 (`requiredToken` first, then `acceptedTokens`).
    case token(Int)
    /// An installation token of this installation.
    case installation(Int)
    /// A GitHub App authenticated by its JWT.
    case app(Int)

    /// "anonymous", "token#1", "installation:42", "app:7".
    public var label: String {
        switch self {
        case .anonymous: return "anonymous"
        case .token(let n): return "token#\(n)"
        case .installation(let id): return "installation:\(id)"
        case .app(let id): return "app:\(id)"
        }
    }

    public var description: String { label }
}
