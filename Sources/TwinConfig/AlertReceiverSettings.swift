import Dora
import Foundation

/// The Alertmanager/Grafana alert receiver (`webhooks.alertmanager`): `POST /webhooks/alertmanager` on the
/// webhook listener, with the authentication Alertmanager's `http_config` offers.
public struct AlertReceiverSettings: Sendable {
    public enum Authentication: Sendable {
        /// `Authorization: Bearer <token>`; the token from `DEVOPS_TWIN_ALERTMANAGER_TOKEN` or `bearerTokenFile`.
        case bearer(Secret)
        /// `Authorization: Basic …`; the password from `DEVOPS_TWIN_ALERTMANAGER_PASSWORD` or `basicAuth.passwordFile`.
        case basic(user: String, password: Secret)
    }

    public var authentication: Authentication

    public init(authentication: Authentication) {
        self.authentication = authentication
    }
}

extension AlertReceiverSettings {
    /// `webhooks.alertmanager` for `check-config`, secrets redacted.
    var effectiveJSON: JSONValue {
        switch authentication {
        case .bearer: .object(["_bearerToken": .string("<redacted>")])
        case .basic(let user, _): .object(["basicAuth": .object(["user": .string(user), "_password": .string("<redacted>")])])
        }
    }
}

extension RepositorySettings {
    /// `incidents` for `check-config`: the rules, and for alerts what they match and how they merge.
    var incidentsJSON: [String: JSONValue] {
        var object: [String: JSONValue] = [
            "rules": .array(definitions.incidentRules.map { .string($0.joined(separator: "&")) }),
            "attributionWindow": .string(DurationText.format(definitions.attributionWindow)),
            "source": .string(definitions.incidentSource.rawValue),
        ]
        if definitions.incidentSource.readsAlerts {
            let alerts = definitions.alerts
            object["alerts"] = .object([
                "matchers": .string(AlertMatcher.selectorText(alerts.matchers)),
                "repositoryLabel": .string(alerts.repositoryLabel),
                "mergeGap": .string(DurationText.format(alerts.mergeGap)),
                "evaluationInterval": .string(DurationText.format(alerts.evaluationInterval)),
                "_takes": .string(alertsSummary),
            ])
        }
        return object
    }

    /// One sentence: which alerts this repository takes.
    public var alertsSummary: String {
        let alerts = definitions.alerts
        var who = "alerts labelled \(alerts.repositoryLabel)=\"\(name)\""
        if !alerts.services.isEmpty {
            who += ", or without that label and with service in [\(alerts.services.joined(separator: ", "))]"
        }
        return "\(who), that match \(AlertMatcher.selectorText(alerts.matchers))"
    }
}
