import Foundation

/// A failure the simulated GitHub injects into matching requests (a request matches when its path and query
/// contain `pathContains`, or always when nil). The first `skip` matching requests pass; the next `count` are hit.
public struct SimulatedFault: Sendable, Hashable, Codable {
    /// What happens to a request the fault hits.
    public enum Kind: Sendable, Hashable {
        /// Answer with this HTTP status (e.g. 500, 502, 503) and a GitHub error body.
        case status(Int)
        /// 403 (or 429, see `statusCode`) "You have exceeded a secondary rate limit", with `retry-after` when given.
        case secondaryRateLimit(retryAfter: Int?)
        /// Exhaust the primary rate limit: remaining 0 until `resetIn` seconds from now.
        case primaryExhaustion(resetIn: Int)
        /// Answer 200 with a body that is not valid JSON.
        case malformedJSON
        /// Announce a longer `content-length` than is sent, then close the connection.
        case truncatedBody
        /// Wait this many seconds before answering normally.
        case slow(seconds: Double)
        /// Answer 401 Bad credentials.
        case unauthorized
        /// Close the connection without answering.
        case connectionReset
    }

    public var kind: Kind
    /// Substring of the request's path and query the fault applies to; nil for every API request.
    public var pathContains: String?
    /// How many matching requests to let through before the fault starts hitting.
    public var skip: Int
    /// How many matching requests the fault hits.
    public var count: Int
    /// The status for `secondaryRateLimit`/`primaryExhaustion` answers: 403 (default) or 429.
    public var statusCode: Int?

    public init(kind: Kind, pathContains: String? = nil, skip: Int = 0, count: Int = 1, statusCode: Int? = nil) {
        self.kind = kind
        self.pathContains = pathContains
        self.skip = skip
        self.count = count
        self.statusCode = statusCode
    }

    /// Answer with an HTTP status (500, 502, 503, ...).
    public static func status(_ code: Int, pathContains: String? = nil, skip: Int = 0, count: Int = 1) -> SimulatedFault {
        SimulatedFault(kind: .status(code), pathContains: pathContains, skip: skip, count: count)
    }

    /// A secondary rate limit answer (403 unless `statusCode` is 429).
    public static func secondaryRateLimit(
        retryAfter: Int?, pathContains: String? = nil, skip: Int = 0, count: Int = 1, statusCode: Int = 403
    ) -> SimulatedFault {
        SimulatedFault(kind: .secondaryRateLimit(retryAfter: retryAfter), pathContains: pathContains, skip: skip, count: count, statusCode: statusCode)
    }

    /// Exhaust the primary rate limit until `resetIn` seconds from the moment the fault hits.
    public static func primaryExhaustion(resetIn: Int, pathContains: String? = nil, skip: Int = 0, count: Int = 1) -> SimulatedFault {
        SimulatedFault(kind: .primaryExhaustion(resetIn: resetIn), pathContains: pathContains, skip: skip, count: count)
    }

    /// A 200 answer whose body is not valid JSON.
    public static func malformedJSON(pathContains: String? = nil, skip: Int = 0, count: Int = 1) -> SimulatedFault {
        SimulatedFault(kind: .malformedJSON, pathContains: pathContains, skip: skip, count: count)
    }

    /// A body shorter than its `content-length`, then the connection closes.
    public static func truncatedBody(pathContains: String? = nil, skip: Int = 0, count: Int = 1) -> SimulatedFault {
        SimulatedFault(kind: .truncatedBody, pathContains: pathContains, skip: skip, count: count)
    }

    /// A delayed answer.
    public static func slow(seconds: Double, pathContains: String? = nil, skip: Int = 0, count: Int = 1) -> SimulatedFault {
        SimulatedFault(kind: .slow(seconds: seconds), pathContains: pathContains, skip: skip, count: count)
    }

    /// A delayed answer.
    public static func slow(_ seconds: Double, pathContains: String? = nil, skip: Int = 0, count: Int = 1) -> SimulatedFault {
        slow(seconds: seconds, pathContains: pathContains, skip: skip, count: count)
    }

    /// A 401 Bad credentials answer.
    public static func unauthorized(pathContains: String? = nil, skip: Int = 0, count: Int = 1) -> SimulatedFault {
        SimulatedFault(kind: .unauthorized, pathContains: pathContains, skip: skip, count: count)
    }

    /// The connection is closed without an answer.
    public static func connectionReset(pathContains: String? = nil, skip: Int = 0, count: Int = 1) -> SimulatedFault {
        SimulatedFault(kind: .connectionReset, pathContains: pathContains, skip: skip, count: count)
    }

    // JSON form (POST /_simulator/faults):
    // {"kind":"status","status":502,"pathContains":"/commits","skip":0,"count":2}
    // kinds: status(status), secondaryRateLimit(retryAfter?, statusCode?), primaryExhaustion(resetIn), malformedJSON,
    // truncatedBody, slow(seconds), unauthorized, connectionReset.
    private enum CodingKeys: String, CodingKey {
        case kind, status, retryAfter, resetIn, seconds, pathContains, skip, count, statusCode
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try container.decode(String.self, forKey: .kind)
        switch name {
        case "status": kind = .status(try container.decode(Int.self, forKey: .status))
        case "secondaryRateLimit": kind = .secondaryRateLimit(retryAfter: try container.decodeIfPresent(Int.self, forKey: .retryAfter))
        case "primaryExhaustion": kind = .primaryExhaustion(resetIn: try container.decode(Int.self, forKey: .resetIn))
        case "malformedJSON": kind = .malformedJSON
        case "truncatedBody": kind = .truncatedBody
        case "slow": kind = .slow(seconds: try container.decode(Double.self, forKey: .seconds))
        case "unauthorized": kind = .unauthorized
        case "connectionReset": kind = .connectionReset
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: container,
                debugDescription: "unknown fault kind \(name); use status, secondaryRateLimit, primaryExhaustion, malformedJSON, truncatedBody, slow, unauthorized or connectionReset")
        }
        pathContains = try container.decodeIfPresent(String.self, forKey: .pathContains)
        skip = try container.decodeIfPresent(Int.self, forKey: .skip) ?? 0
        count = try container.decodeIfPresent(Int.self, forKey: .count) ?? 1
        statusCode = try container.decodeIfPresent(Int.self, forKey: .statusCode)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch kind {
        case .status(let code):
            try container.encode("status", forKey: .kind)
            try container.encode(code, forKey: .status)
        case .secondaryRateLimit(let retryAfter):
            try container.encode("secondaryRateLimit", forKey: .kind)
            try container.encodeIfPresent(retryAfter, forKey: .retryAfter)
        case .primaryExhaustion(let resetIn):
            try container.encode("primaryExhaustion", forKey: .kind)
            try container.encode(resetIn, forKey: .resetIn)
        case .malformedJSON: try container.encode("malformedJSON", forKey: .kind)
        case .truncatedBody: try container.encode("truncatedBody", forKey: .kind)
        case .slow(let seconds):
            try container.encode("slow", forKey: .kind)
            try container.encode(seconds, forKey: .seconds)
        case .unauthorized: try container.encode("unauthorized", forKey: .kind)
        case .connectionReset: try container.encode("connectionReset", forKey: .kind)
        }
        try container.encodeIfPresent(pathContains, forKey: .pathContains)
        try container.encode(skip, forKey: .skip)
        try container.encode(count, forKey: .count)
        try container.encodeIfPresent(statusCode, forKey: .statusCode)
    }
}
