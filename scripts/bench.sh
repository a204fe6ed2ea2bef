#!/usr/bin/env bash
# Benchmarks of cops-vigilante; figures are printed, never asserted. Builds the release binary the container
# image ships first (Swift runtime linked in, as deploy/Dockerfile does), into $BENCH_SCRATCH_PATH (default
# .build-static, shared with deploy/check-static-build.sh): its memory figures are the ones a pod shows.
#   scripts/bench.sh webhook [--rounds N] [--seconds S] [--modes abc] [--soak SECONDS]
#       wrk POSTing a ~20 KB AdmissionReview over TLS, against nginx-light on the same certificate, then a
#       soak (120 s by default) sampling RSS; prints the memory targets (idle < 32 MiB, loaded < 64 MiB and flat).
#   scripts/bench.sh nodes [--rounds N] [--nodes N] [--chunk-size N]
#       `vigilante nodes` against `kubectl get nodes -o name` listing 5,000 nodes from the fake API server.
#   scripts/bench.sh healing [--windows N] [--linux N] [--window SECONDS] [--interval SECONDS]
#                            [--sandbox-delay-ms MS] [--reference BINARY]
#       a 5,500-node simulated cluster (5,000 Linux, 500 Windows nodes): the Go original's pattern replayed, then
#       vigilante, each healing the 500 Windows nodes as they join and then in steady state; API calls and response
#       bytes per hour by verb for both, the two targets of issue 20, time to first probe pod, memory (an older
#       build too with --reference).
#   scripts/bench.sh failover [--trials N]
#       two replicas with leader election: time for the follower to lead after a kill -9 or a SIGTERM of the
#       leader, N trials each (default 10), median and max.
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-webhook}
shift || true
scratch=${BENCH_SCRATCH_PATH:-.build-static}
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"  # the pinned Python packages (scripts/setup.sh)
build() {
    swift build -c release --static-swift-stdlib --scratch-path "$scratch" --product vigilante 2>&1 | tail -n 1
}
case $what in
    webhook)
        for tool in wrk nginx; do
            command -v "$tool" >/dev/null || { echo "bench: installing wrk and nginx-light"; apt-get install -y -qq wrk nginx-light >/dev/null; break; }
        done
        build
        exec python3 scripts/bench/bench_webhook.py --binary "$scratch/release/vigilante" "$@"
        ;;
    nodes)
        command -v kubectl >/dev/null || { echo "bench: kubectl is needed on PATH" >&2; exit 2; }
        build
        exec python3 scripts/bench/bench_list_nodes.py --binary "$scratch/release/vigilante" "$@"
        ;;
    healing)
        build
        exec python3 scripts/bench/bench_healing.py --binary "$scratch/release/vigilante" "$@"
        ;;
    failover)
        build
        exec python3 scripts/bench/bench_failover.py --binary "$scratch/release/vigilante" "$@"
        ;;
    *) echo "bench: unknown benchmark $what (webhook, nodes, healing, failover)" >&2; exit 2 ;;
esac
