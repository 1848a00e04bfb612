# polygrader's container image (docs/install.md, "Container").
#   docker build -t polygrader .
#   docker run --privileged --cgroupns=private -v /srv/xqueue-watcher:/etc/polygrader:ro \
#              -v /edx/data:/edx/data:ro polygrader
# The jail creates namespaces, mounts and cgroups: the container must be privileged (docs/install.md says why).

# ---- build: the Swift toolchain, the C libraries' headers -------------------------------------------------
# Developed and tested with Swift 6.3 (swift-tools-version 6.0); --build-arg SWIFT_IMAGE=... picks another image.
ARG SWIFT_IMAGE=swift:6.3-bookworm
FROM ${SWIFT_IMAGE} AS build
RUN export DEBIAN_FRONTEND=noninteractive \
 && apt-get update \
 && apt-get install -y --no-install-recommends pkg-config libseccomp-dev libarchive-dev libxml2-dev zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Manifest first: the dependency fetch stays cached while only sources change.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
COPY sandboxes ./sandboxes
COPY languages ./languages
COPY support ./support
COPY examples ./examples
COPY deploy ./deploy
COPY docs ./docs
COPY README.md ./
# --static-swift-stdlib: the runtime image needs no Swift runtime, only the C libraries below.
RUN swift build -c release --static-swift-stdlib --product polyjail \
 && swift build -c release --static-swift-stdlib --product polygrader \
 && deploy/install.sh --destdir /out --build-dir .build/release /usr/local

# ---- runtime: Debian slim with the built-in languages' toolchains -------------------------------------------
FROM debian:bookworm-slim AS runtime
# libseccomp2, libarchive13, libxml2: what the binaries link; gcc/g++/libc6-dev and check (C, C++ and the Check
# framework), python3 and python3-pytest (Python and its unit suites), openjdk-17-jdk-headless and junit5
# (Java and JUnit 5); ca-certificates for https XQueues; tini reaps and forwards signals as pid 1.
RUN export DEBIAN_FRONTEND=noninteractive \
 && apt-get update \
 && apt-get install -y --no-install-recommends \
      libseccomp2 libarchive13 libxml2 ca-certificates tini \
      gcc g++ libc6-dev check python3 python3-pytest openjdk-17-jdk-headless junit5 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/usr/local/ /usr/local/
# Self-test results (docs/watcher.md) and scratch space: volumes when the root filesystem is read-only.
ENV POLYGRADER_CACHE_DIR=/var/cache/polygrader
RUN mkdir -p /etc/polygrader /var/cache/polygrader /run/polyjail \
 && polygrader languages --help >/dev/null
VOLUME ["/var/cache/polygrader"]
EXPOSE 9464
# tini as pid 1, then the cgroup v2 delegation step (a no-op on v1 and hybrid hosts), then polygrader itself.
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/libexec/polygrader/polygrader-cgroup-delegate", "/usr/local/bin/polygrader"]
CMD ["-d", "/etc/polygrader"]
