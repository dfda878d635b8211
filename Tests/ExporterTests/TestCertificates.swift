import Foundation
import Testing

/// Self-signed certificates made by the real `openssl` at test time, in a fresh temporary directory.
/// Fails (never skips) when `openssl` is missing.
struct TestCertificates {
    struct Pair {
        var certFile: String
        var keyFile: String
    }

    let directory: URL
    /// The server's certificate for `127.0.0.1` (subjectAltName IP:127.0.0.1) and its key.
    let server: Pair
    /// A client certificate, used as its own CA (clientCAFile) for mutual TLS.
    let client: Pair
    /// Another client certificate no server trusts.
    let stranger: Pair

    static let missing = "openssl not found on PATH: install the Debian package `openssl` (apt-get install -y openssl)"

    static func opensslPath() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return (path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"])
            .map { $0 + "/openssl" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    init() throws {
        let openssl = try #require(Self.opensslPath(), Comment(rawValue: Self.missing))
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("exporter-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        server = try Self.make(openssl, in: directory, name: "server", subject: "/CN=127.0.0.1", extensions: ["subjectAltName=IP:127.0.0.1"])
        client = try Self.make(openssl, in: directory, name: "client", subject: "/CN=prometheus", extensions: [])
        stranger = try Self.make(openssl, in: directory, name: "stranger", subject: "/CN=stranger", extensions: [])
    }

    /// Writes `text` to a file in the directory and returns its path.
    func file(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    private static func make(_ openssl: String, in directory: URL, name: String, subject: String, extensions: [String]) throws -> Pair {
        let pair = Pair(certFile: directory.appendingPathComponent("\(name).pem").path, keyFile: directory.appendingPathComponent("\(name)-key.pem").path)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: openssl)
        process.arguments =
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", subject, "-keyout", pair.keyFile, "-out", pair.certFile,
            ] + extensions.flatMap { ["-addext", $0] }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "openssl req failed for \(name): \(text)")
        return pair
    }
}
