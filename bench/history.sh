#!/bin/sh
# Time azengage's IaC history walk against `git log` on a generated repository (see benches/history.rs).
# Usage: bench/history.sh [COMMITS]   (default 30000; AZENGAGE_BENCH_RUNS sets the runs per tool, default 3)
# The build is optimised like a release build, without LTO, at low priority, so it stays cheap on a shared machine.
set -eu
cd "$(dirname "$0")/.."
export AZENGAGE_BENCH_COMMITS="${1:-${AZENGAGE_BENCH_COMMITS:-30000}}"
export CARGO_PROFILE_BENCH_LTO=false
export CARGO_PROFILE_BENCH_CODEGEN_UNITS=16
exec nice -n 10 cargo bench --bench history
