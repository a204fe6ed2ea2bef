#!/usr/bin/env bash
# Benchmarks of cops-vigilante; figures are printed, never asserted. Builds a release binary first.
#   scripts/bench.sh webhook [--rounds N] [--seconds S] [--modes abc] [--soak SECONDS]
#       wrk POSTing a ~20 KB AdmissionReview over TLS, against nginx-light on the same certificate.
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-webhook}
shift || true
for tool in wrk nginx; do
    command -v "$tool" >/dev/null || { echo "bench: installing wrk and nginx-light"; apt-get install -y -qq wrk nginx-light >/dev/null; break; }
done
swift build -c release --product vigilante 2>&1 | tail -n 1
case $what in
    webhook) exec python3 scripts/bench/bench_webhook.py --binary .build/release/vigilante "$@" ;;
    *) echo "bench: unknown benchmark $what (webhook)" >&2; exit 2 ;;
esac
