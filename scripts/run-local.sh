#!/usr/bin/env bash
# Sets up the machine, builds vigilante, and shows it healing a Windows node of a simulated AKS cluster:
# the fake Kubernetes API server of the tests, seeded with Linux nodes, a healed Windows node and a tainted GPU
# Windows node; a new Windows node joins (CREATE callback while NotReady, then a nodes/status UPDATE when it turns
# Ready); probe pods come every 3 s for a 20 s window, each with its evidence (the sandbox's IP), then the node is
# marked healed and the GPU node, whose probe pods never ran, is not. Everything is stopped at the end (also on Ctrl-C).
#   --keep-running      keep the cluster and vigilante running at the end, until Ctrl-C
#   --plots DIR         a real Prometheus scrapes the run; the Grafana dashboard's panels are drawn to PNGs in DIR
#   --replicas N        N replicas (2 to 5) with leader election instead: the leader heals a node whose callback
#                       went to a follower, is killed with -9 mid-window, and a follower takes over and finishes
#   --kubeconfig PATH   run vigilante against a real cluster instead (until Ctrl-C), with certs/ for the webhook
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_BACKTRACE=enable=no

keep_running=()
plots=()
kubeconfig=""
replicas=""
while (($#)); do
    case $1 in
        --keep-running) keep_running=(--keep-running) ;;
        --plots) plots=(--plots "${2:?--plots needs a directory}"); shift ;;
        --kubeconfig) kubeconfig=${2:?--kubeconfig needs a path}; shift ;;
        --replicas) replicas=${2:?--replicas needs a number}; shift
            [[ $replicas =~ ^[2-5]$ ]] || { echo "run-local: --replicas takes 2 to 5" >&2; exit 2; } ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "run-local: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

say() { printf '%s  %s\n' "$(date +%H:%M:%S)" "$*"; }

bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"  # the pinned Python packages (scripts/setup.sh)
say "building vigilante (release)"
swift build -c release --product vigilante 2>&1 | tail -n 1
binary=.build/release/vigilante
bash scripts/gen-certs.sh certs
"$binary" version

if [ -n "$kubeconfig" ]; then
    say "running against the cluster of $kubeconfig until Ctrl-C (webhook https://localhost:8443/validate)"
    exec "$binary" run --kubeconfig "$kubeconfig" --cert-file certs/tls.crt --key-file certs/tls.key
fi
if [ -n "$replicas" ]; then
    exec python3 scripts/demo/replicas_demo.py --binary "$binary" --certs certs --replicas "$replicas"
fi
exec python3 scripts/demo/local_demo.py --binary "$binary" --certs certs "${keep_running[@]}" "${plots[@]}"
