#!/usr/bin/env bash
# Sets up the machine, builds, and runs every test suite of cops-vigilante. Exits non-zero if any fails.
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_BACKTRACE=enable=no  # a crashed test must not leave the backtracer holding a pipe open

bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"  # the pinned Python packages (scripts/setup.sh)

failures=()
step() {
    local name=$1
    shift
    echo
    echo "==> $name"
    if "$@"; then echo "==> $name: ok"; else echo "==> $name: FAILED"; failures+=("$name"); fi
}

step "format (swift format lint --strict)" swift format lint --strict -r Sources Tests Plugins Package.swift
step "shellcheck" shellcheck scripts/*.sh .ci/run
step "build" swift build --build-tests
step "swift tests" swift test --skip-build --parallel

# The fake API server's own tests, the chart's (checked against the debug binary's answers), and the healing
# benchmark's measuring parts.
for suite in Tests/fakeapi Tests/deploy Tests/bench; do
    step "python tests ($suite)" env VIGILANTE_BIN="$PWD/.build/debug/vigilante" python3 -m pytest -q "$suite"
done

# Every Swift test once more under AddressSanitizer (Swift Testing only: XCTest's own empty run leaks a few bytes).
# Leak detection is off: Foundation's FileManager.contents(atPath:) leaks its read buffer (4 KiB a call), which
# would fail every run and make the binary the CLI tests start exit 1; memory errors still fail the step.
step "swift tests under AddressSanitizer" env ASAN_OPTIONS=detect_leaks=0 \
    swift test --sanitize=address --disable-xctest --scratch-path .build-asan

# The fuzz targets still build and run (the 60 s runs of the README are done by hand).
step "fuzz smoke (HTTP parser, 15 s)" bash scripts/fuzz-http-parser.sh 15
step "fuzz smoke (AdmissionReview decoder, 15 s)" bash scripts/fuzz-admission-review.sh 15

# The container image's build command (static Swift runtime), proven without Docker.
step "static release build (deploy/check-static-build.sh)" bash deploy/check-static-build.sh

# The binary the image ships, black box: every scenario against the fake API server with real clients
# (Tests/integration), then the real peers of an operator's cluster: Prometheus, kubectl, testssl.sh and openssl
# s_client (Tests/e2e).
for suite in Tests/integration Tests/e2e; do
    step "python tests ($suite, release binary)" \
        env VIGILANTE_BIN="$PWD/.build-static/release/vigilante" python3 -m pytest -q "$suite"
done

echo
if ((${#failures[@]})); then
    echo "FAILED: ${failures[*]}"
    exit 1
fi
echo "all test suites passed"
