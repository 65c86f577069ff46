# syntax=docker/dockerfile:1
# Build a static azengage binary (musl, rustls: no OpenSSL, no libc at run time) and ship it alone.

FROM rust:1-bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends musl-tools=1.2.3-1 \
    && rm -rf /var/lib/apt/lists/* \
    && rustup target add x86_64-unknown-linux-musl
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY data ./data
COPY docs ./docs
COPY benches ./benches
RUN cargo build --release --locked --target x86_64-unknown-linux-musl \
    && cp target/x86_64-unknown-linux-musl/release/azengage /azengage

FROM scratch
COPY --from=build /azengage /azengage
# Exec form, no shell: sh/dash drop variables whose names hold a hyphen, such as INPUT_GITHUB-TOKEN.
ENTRYPOINT ["/azengage", "action"]
