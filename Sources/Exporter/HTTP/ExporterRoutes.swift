import Hummingbird

/// The exporter's HTTP endpoints: `/metrics`, `/healthz`, `/readyz` and the status page at `/`.
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
        // Ready means serving: a snapshot of what the store holds is published (the daemon publishes one before
        // its first sync), so Kubernetes routes scrapes here and Prometheus gets numbers; how fresh they are is
        // the sync-health metrics' business, not the probe's.
        router.get("/readyz") { _, _ -> Response in
            holder.isReady
                ? text(.ok, "ready\n")
                : text(.serviceUnavailable, Self.notReady)
        }
        router.get("/") { request, _ -> Response in
            statusPage(request, holder: holder, basicAuth: basicAuth)
        }
        return router
    }

    /// The answer of `/readyz` and `/metrics` while nothing is published.
    static let notReady = "not ready: no metrics snapshot published yet (the store has not been read; the log says why)\n"

    static func metrics(_ request: Request, holder: SnapshotHolder, basicAuth: BasicAuthCredentials?) -> Response {
        if let basicAuth, !basicAuth.accepts(authorization: request.headers[.authorization]) {
            var response = text(.unauthorized, "unauthorized: /metrics requires basic auth\n")
            response.headers[.wwwAuthenticate] = "Basic realm=\"devops-twin\", charset=\"UTF-8\""
            return response
        }
        guard let rendered = holder.rendered else {
            return text(.serviceUnavailable, Self.notReady)
        }
        let format = ContentNegotiation.format(accept: request.headers[.accept])
        let gzip = ContentNegotiation.acceptsGzip(request.headers[.acceptEncoding])
        var headers = HTTPFields()
        headers[.contentType] = format.contentType
        headers[.vary] = "Accept, Accept-Encoding"
        if gzip { headers[.contentEncoding] = "gzip" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: rendered.body(format, gzip: gzip)))
    }

    /// The pre-rendered status page; the plain index before a first snapshot. Guarded like `/metrics`: it shows
    /// the same numbers.
    static func statusPage(_ request: Request, holder: SnapshotHolder, basicAuth: BasicAuthCredentials?) -> Response {
        if let basicAuth, !basicAuth.accepts(authorization: request.headers[.authorization]) {
            var response = text(.unauthorized, "unauthorized: the status page requires basic auth\n")
            response.headers[.wwwAuthenticate] = "Basic realm=\"devops-twin\", charset=\"UTF-8\""
            return response
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        let body = holder.rendered?.statusPage ?? ByteBuffer(string: StatusPageRenderer.indexPage)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }

    static func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
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
