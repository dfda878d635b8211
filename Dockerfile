# syntax=docker/dockerfile:1
# devops-twin: build with the official Swift image, run on a slim Ubuntu of the same release (same glibc).
#   docker build -t devops-twin .
#   docker run -v ./config.json:/etc/devops-twin/config.json:ro -v devops-twin-data:/var/lib/devops-twin \
#              -e GITHUB_TOKEN -p 9866:9866 devops-twin
ARG SWIFT_IMAGE=swift:6.3-noble
ARG RUNTIME_IMAGE=ubuntu:noble

# ---------------------------------------------------------------------------------------------------- build
FROM ${SWIFT_IMAGE} AS build
# GRDB links the system SQLite (its Package.swift names the apt package libsqlite3-dev).
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends libsqlite3-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Resolve dependencies first so this layer is cached while only sources change. Package.swift pins every
# direct dependency to an exact version; no Package.resolved is copied, so the image resolves from GitHub itself.
COPY Package.swift ./
RUN swift package resolve
# Every target path named in Package.swift must exist, test, benchmark and fuzz targets included.
COPY Sources ./Sources
COPY Tests ./Tests
COPY Benchmarks ./Benchmarks
COPY Fuzz ./Fuzz
RUN swift build -c release --product devops-twin --static-swift-stdlib \
    && mkdir -p /staging \
    && cp "$(swift build -c release --show-bin-path)/devops-twin" /staging/ \
    && find -L "$(swift build -c release --show-bin-path)" -maxdepth 1 -name '*.resources' -exec cp -R {} /staging/ \;

# -------------------------------------------------------------------------------------------------- runtime
FROM ${RUNTIME_IMAGE}
# With --static-swift-stdlib the Swift runtime and Foundation are inside the binary. Still needed:
#   libsqlite3-0    the system SQLite GRDB links against
#   ca-certificates TLS to api.github.com / GitHub Enterprise (swift-nio-ssl reads the system trust store)
#   tzdata          time zones for Foundation's calendar code
#   curl            the HEALTHCHECK below (also provides libcurl, which FoundationNetworking would need)
#   libstdc++6, zlib1g, glibc come with the base image.
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends libsqlite3-0 ca-certificates tzdata curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /var/lib/devops-twin --shell /usr/sbin/nologin devops-twin \
    && mkdir -p /etc/devops-twin /var/lib/devops-twin \
    && chown devops-twin:devops-twin /var/lib/devops-twin

COPY --from=build /staging/ /usr/local/bin/

# In the container the exporter listens on all interfaces (the config default is 127.0.0.1) and the store
# lives on the data volume; both override config.json (see docs/deployment.md).
ENV DEVOPS_TWIN_LISTEN_ADDRESS=0.0.0.0:9866 \
    DEVOPS_TWIN_STORE_PATH=/var/lib/devops-twin/devops-twin.sqlite

USER devops-twin:devops-twin
WORKDIR /var/lib/devops-twin
VOLUME ["/etc/devops-twin", "/var/lib/devops-twin"]
EXPOSE 9866

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD curl --fail --silent --show-error --max-time 4 http://127.0.0.1:9866/healthz || exit 1

# SIGTERM (docker stop) triggers devops-twin's graceful shutdown.
STOPSIGNAL SIGTERM
ENTRYPOINT ["devops-twin"]
CMD ["run", "--config", "/etc/devops-twin/config.json"]
