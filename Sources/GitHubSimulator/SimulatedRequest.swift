import Foundation

/// One request the simulated GitHub received, as recorded in its request log.
public struct SimulatedRequest: Sendable, Hashable, Codable {
    public var method: String
    /// Path and query as sent, e.g. "/repos/o/r/commits?per_page=100".
    public var pathAndQuery: String
    /// The status answered; nil when the connection was closed without an answer.
    public var status: Int?
    /// True when the request carried `If-None-Match`.
    public var conditional: Bool
    /// True when the answer used up one request of the primary rate limit.
    public var countedAgainstLimit: Bool
    /// The fault that hit the request, if any (e.g. "status", "connectionReset").
    public var fault: String?
    /// When the request arrived (the simulator's clock).
    public var receivedAt: Date

    public init(
        method: String, pathAndQuery: String, status: Int?, conditional: Bool, countedAgainstLimit: Bool,
        fault: String? = nil, receivedAt: Date
    ) {
        self.method = method
        self.pathAndQuery = pathAndQuery
        self.status = status
        self.conditional = conditional
        self.countedAgainstLimit = countedAgainstLimit
        self.fault = fault
        self.receivedAt = receivedAt
    }
}
