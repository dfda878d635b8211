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
    /// True when the answer used up one request of the credential's primary rate limit.
    public var countedAgainstLimit: Bool
    /// The fault that hit the request, if any (e.g. "status", "connectionReset").
    public var fault: String?
    /// When the request arrived (the simulator's clock).
    public var receivedAt: Date
    /// Who asked, as a non-secret label: "anonymous", "token#1", "installation:42", "app:7"
    /// (``SimulatedCredential/label``); a rejected credential is logged as "anonymous".
    public var credential: String?
    /// The error message answered (4xx/5xx), e.g. why a JWT was rejected.
    public var message: String?

    public init(
        method: String, pathAndQuery: String, status: Int?, conditional: Bool, countedAgainstLimit: Bool,
        fault: String? = nil, receivedAt: Date, credential: String? = nil, message: String? = nil
    ) {
        self.method = method
        self.pathAndQuery = pathAndQuery
        self.status = status
        self.conditional = conditional
        self.countedAgainstLimit = countedAgainstLimit
        self.fault = fault
        self.receivedAt = receivedAt
        self.credential = credential
        self.message = message
    }
}
