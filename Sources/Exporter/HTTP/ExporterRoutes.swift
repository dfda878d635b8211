import Hummingbird

/// The exporter's HTTP endpoints: `/metrics`, `/healthz`, `/readyz` and an index page at `/`.
public enum ExporterRoutes {
    /// A router serving the exporter's endpoints from `holder`. Usable on its own (benchmarks) or through `ExporterServer`.
    /// `HEAD` on every route answers like `GET` (status and headers, `Content-Length` included) without a body.
    public static func router(holder: SnapshotHolder, configuration: ExporterServerConfiguration) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: RequestBodyLimitMiddleware(maxBytes: configuration.maxRequestBodyBytes))
        let basicAuth = configuration.basicAuth
        router.get("/metrics") { request, _ -> Response in
            metrics(request, holder: holder, basicAuth: basicAuth)
        }
        router.get("/healthz") { _, _ -> Response in
            text(.ok, "ok\n")
        }
        router.get("/readyz") { _, _ -> Response in
            holder.isReady
                ? text(.ok, "ready\n")
                : text(.serviceUnavailable, "not ready: no metrics snapshot yet (the first sync and DORA computation have not finished)\n")
        }
        router.get("/") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "text/html; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: indexPage)))
        }
        return router
    }

    static func metrics(_ request: Request, holder: SnapshotHolder, basicAuth: BasicAuthCredentials?) -> Response {
        if let basicAuth, !basicAuth.accepts(authorization: request.headers[.authorization]) {
            var response = text(.unauthorized, "unauthorized: /metrics requires basic auth\n")
            response.headers[.wwwAuthenticate] = "Basic realm=\"devops-twin\", charset=\"UTF-8\""
            return response
        }
        guard let rendered = holder.rendered else {
            return text(.serviceUnavailable, "no metrics snapshot yet: the first sync and DORA computation have not finished\n")
        }
        let format = ContentNegotiation.format(accept: request.headers[.accept])
        let gzip = ContentNegotiation.acceptsGzip(request.headers[.acceptEncoding])
        var headers = HTTPFields()
        headers[.contentType] = format.contentType
        headers[.vary] = "Accept, Accept-Encoding"
        if gzip { headers[.contentEncoding] = "gzip" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: rendered.body(format, gzip: gzip)))
    }

    static func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static let indexPage = """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><title>devops-twin exporter</title></head>
        <body>
        <h1>devops-twin exporter</h1>
        <p>DORA metrics and sync health of the configured GitHub repositories.</p>
        <ul>
        <li><a href="/metrics">/metrics</a>: Prometheus text format 0.0.4, OpenMetrics 1.0 on request</li>
        <li><a href="/healthz">/healthz</a>: liveness</li>
        <li><a href="/readyz">/readyz</a>: readiness (a first snapshot exists)</li>
        </ul>
        </body>
        </html>

        """
}

/// Answers 413 to a request whose body is larger than `maxBytes`: every route is a GET, a body has no use.
struct RequestBodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let maxBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBytes {
            return ExporterRoutes.text(.contentTooLarge, "request body too large: at most \(maxBytes) bytes\n")
        }
        var request = request
        do {
            _ = try await request.collectBody(upTo: maxBytes)
        } catch {
            return ExporterRoutes.text(.contentTooLarge, "request body too large: at most \(maxBytes) bytes\n")
        }
        return try await next(request, context)
    }
}
