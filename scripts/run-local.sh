#!/usr/bin/env bash
# Sets up the machine, builds vigilante, and runs it locally against a simulated cluster, then stops
# everything. Options:
#   --keep-running      keep vigilante running until Ctrl-C
#   --kubeconfig PATH   use a real cluster instead of the simulated one (issue #6 wires the simulation)
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_BACKTRACE=enable=no

keep_running=false
kubeconfig=""
while (($#)); do
    case $1 in
        --keep-running) keep_running=true ;;
        --kubeconfig) kubeconfig=${2:?--kubeconfig needs a path}; shift ;;
        -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
        *) echo "run-local: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

say() { printf '%s  %s\n' "$(date +%H:%M:%S)" "$*"; }

bash scripts/setup.sh
say "building vigilante (release)"
swift build -c release --product vigilante 2>&1 | tail -n 1
binary=.build/release/vigilante

work=$(mktemp -d)
pid=""
cleanup() {
    if [ -n "$pid" ]; then
        kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cat >"$work/conf.yaml" <<'YAML'
# Demo durations: a 1-minute healing window, a probe round every 5 seconds.
tls: false
interval: 5s
unsafe_allow_short_intervals: true
webhook:
  port: 0
metrics:
  port: 0
tasks:
  snat:
    healing_duration: 1m
    resync_interval: 30s
YAML

"$binary" version
say "effective configuration:"
"$binary" check-config --config "$work/conf.yaml" | sed 's/^/    /'

args=(run --config "$work/conf.yaml")
[ -n "$kubeconfig" ] && args+=(--kubeconfig "$kubeconfig")
"$binary" "${args[@]}" 2>"$work/vigilante.log" &
pid=$!
for _ in $(seq 1 100); do
    grep -q "waiting for SIGTERM" "$work/vigilante.log" 2>/dev/null && break
    sleep 0.1
done
say "vigilante is running (pid $pid); its log:"
sed 's/^/    /' "$work/vigilante.log"

if $keep_running; then
    say "keeping it running; press Ctrl-C to stop"
    wait "$pid"
else
    say "stopping vigilante with SIGTERM"
    kill -TERM "$pid"
    wait "$pid" && status=0 || status=$?
    pid=""
    say "vigilante exited with status $status"
fi
