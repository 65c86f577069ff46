# syntax=docker/dockerfile:1
# The azengage action's image: one static binary (musl, rustls: no OpenSSL, no libc at run time) on `scratch`,
# with a writable /tmp. It builds natively for the platform it runs on (linux/amd64 or linux/arm64; the
# release workflow builds each on a runner of that architecture), so no cross toolchain and no emulator are
# needed, and the same file builds on a developer's machine with `docker build .`.

FROM rust:1-bookworm AS build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# musl-tools as the base image's Debian release has it: a pinned package revision breaks the build on the
# next Debian point release.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends musl-tools \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY data ./data
COPY docs ./docs
COPY benches ./benches
# x86_64-unknown-linux-musl or aarch64-unknown-linux-musl; C code (ring) is compiled with musl-gcc.
RUN target="$(uname -m)-unknown-linux-musl" \
    && rustup target add "$target" \
    && export "CC_${target//-/_}=musl-gcc" \
    && cargo build --release --locked --target "$target" \
    && cp "target/$target/release/azengage" /azengage \
    && mkdir -m 1777 /image-tmp

FROM scratch
COPY --from=build /azengage /azengage
# A writable /tmp for the PR diff's scratch copies (azengage falls back to RUNNER_TEMP, then the workspace's
# .git, when it is missing or read-only).
COPY --from=build /image-tmp /tmp
# Exec form, no shell: sh/dash drop variables whose names hold a hyphen, such as INPUT_GITHUB-TOKEN.
ENTRYPOINT ["/azengage", "action"]
