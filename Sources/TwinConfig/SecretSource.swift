/// Where a secret was read from: a file or an environment variable. Kept with the secret so the effective
/// configuration can name it (a path or a variable name, never the value) and load again.
public enum SecretSource: Sendable, Hashable {
    case file(String)
    case environment(String)
}
