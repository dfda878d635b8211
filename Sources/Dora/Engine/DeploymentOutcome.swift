/// What a GitHub Deployment is at `asOf`, from its statuses known then (spec v1.2): succeeded at its first
/// `success` status whatever follows (`inactive` after it only marks it superseded); else a failed attempt
/// at its first `failure` or `error`; else (only `queued`, `in_progress`, `pending`, or nothing) not yet
/// anything.
enum DeploymentOutcome: Equatable {
    case succeeded(at: Double)
    case failed(at: Double)
    case pending

    static func of(_ deployment: DeploymentRecord, asOf: Double) -> DeploymentOutcome {
        var firstSuccess: (time: Double, id: Int64)?
        var firstFailure: (time: Double, id: Int64)?
        func consider(_ state: String, _ time: Double, _ id: Int64) {
            guard time < asOf else { return }
            switch state {
            case "success":
                if firstSuccess.map({ (time, id) < $0 }) ?? true { firstSuccess = (time, id) }
            case "failure", "error":
                if firstFailure.map({ (time, id) < $0 }) ?? true { firstFailure = (time, id) }
            default:
                break
            }
        }
        if deployment.statuses.isEmpty {
            // Only the latest state is known (a store not yet re-synced since it kept every status).
            if let state = deployment.latestState, let at = deployment.latestStateAt {
                consider(state, at.timeIntervalSince1970, 0)
            }
        } else {
            for status in deployment.statuses {
                consider(status.state, status.createdAt.timeIntervalSince1970, status.id)
            }
        }
        if let firstSuccess { return .succeeded(at: firstSuccess.time) }
        if let firstFailure { return .failed(at: firstFailure.time) }
        return .pending
    }
}
