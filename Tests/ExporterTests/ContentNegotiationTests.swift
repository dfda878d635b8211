import Testing

@testable import Exporter

@Suite("Content negotiation and basic auth")
struct ContentNegotiationTests {
    static let prometheusAccept =
        "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1"

    @Test(
        "the Accept header picks the format",
        arguments: [
            (nil, ExpositionFormat.prometheusText), ("*/*", .prometheusText), ("text/plain", .prometheusText),
            ("application/openmetrics-text", .openMetrics), ("Application/OpenMetrics-Text; version=1.0.0", .openMetrics),
            (prometheusAccept, .openMetrics), ("text/plain;version=0.0.4;q=0.9,application/openmetrics-text;q=0.5", .prometheusText),
            ("application/openmetrics-text;q=0", .prometheusText), ("application/json", .prometheusText),
        ] as [(String?, ExpositionFormat)])
    func format(accept: String?, expected: ExpositionFormat) {
        #expect(ContentNegotiation.format(accept: accept) == expected)
    }

    @Test(
        "Accept-Encoding decides gzip",
        arguments: [
            (nil, false), ("gzip", true), ("deflate, gzip;q=1.0, *;q=0.5", true), ("identity", false), ("gzip;q=0", false),
            ("*", true), ("*;q=0", false), ("br, x-gzip", true), ("gzip;q=0, *", false),
        ] as [(String?, Bool)])
    func gzip(acceptEncoding: String?, expected: Bool) {
        #expect(ContentNegotiation.acceptsGzip(acceptEncoding) == expected)
    }

    @Test(
        "basic auth accepts exactly the configured credentials",
        arguments: [
            ("Basic cHJvbTpzM2NyM3Q=", true),  // prom:s3cr3t
            ("basic cHJvbTpzM2NyM3Q=", true), ("Basic cHJvbTpzM2NyM3Qh", false),  // prom:s3cr3t!
            ("Basic cHJvbTpzM2NyM3", false), ("Bearer cHJvbTpzM2NyM3Q=", false), ("Basic", false), ("", false),
            ("Basic OnByb206czNjcjN0", false),  // :prom:s3cr3t
        ])
    func basicAuth(header: String, expected: Bool) {
        let credentials = BasicAuthCredentials(user: "prom", password: "s3cr3t")
        #expect(credentials.accepts(authorization: header) == expected)
        #expect(!"\(credentials)".contains("s3cr3t"))
    }

    @Test("the constant-time comparison agrees with ==")
    func constantTimeEqual() {
        let cases: [([UInt8], [UInt8])] = [([], []), ([1], []), ([], [1]), ([1, 2], [1, 2]), ([1, 2], [1, 3]), ([1, 2, 3], [1, 2])]
        for (a, b) in cases {
            #expect(BasicAuthCredentials.constantTimeEqual(a, b) == (a == b))
        }
    }

    @Test("invalid server settings are rejected with what to change")
    func validation() {
        let invalid: [ExporterServerConfiguration] = [
            .init(port: 70_000), .init(host: ""), .init(basicAuth: .init(user: "", password: "x")),
            .init(basicAuth: .init(user: "a:b", password: "x")), .init(basicAuth: .init(user: "a", password: "")),
        ]
        for configuration in invalid {
            #expect(throws: ExporterError.self) { try configuration.validate() }
        }
        #expect(throws: Never.self) { try ExporterServerConfiguration(port: 0).validate() }
    }
}
