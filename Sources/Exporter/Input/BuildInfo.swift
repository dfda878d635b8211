/// Version and revision of the running binary, exported as `devops_twin_build_info`.
public struct BuildInfo: Sendable, Hashable {
    public var version: String
    public var revision: String

    public init(version: String, revision: String) {
        self.version = version
        self.revision = revision
    }
}
