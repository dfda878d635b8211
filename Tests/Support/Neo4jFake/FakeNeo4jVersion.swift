/// The server version the fake pretends to be; decides the discovery document and which APIs answer.
public enum FakeNeo4jVersion: String, Sendable, CaseIterable {
    /// 4.4: classic `tx` endpoint only.
    case v4_4 = "4.4.0"
    /// 5.26 LTS: Query API and (deprecated) classic endpoint.
    case v5_26 = "5.26.0"
    /// 2025.x calendar version: Query API and classic endpoint.
    case v2025 = "2025.06.0"

    public var hasQueryAPI: Bool { self != .v4_4 }
}
