#!/usr/bin/env bash
# Replays hostile clients, a hostile API server and bad files against the release binary the image ships, on
# loopback only, each attack for at most 60 s, and prints what held (figures, never asserted):
#   scripts/attack.sh
# Builds into $BENCH_SCRATCH_PATH (default .build-static, shared with scripts/bench.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=${BENCH_SCRATCH_PATH:-.build-static}
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"  # the pinned Python packages (scripts/setup.sh)
export SWIFT_BACKTRACE=enable=no
swift build -c release --static-swift-stdlib --scratch-path "$scratch" --product vigilante 2>&1 | tail -n 1
exec python3 scripts/attack/attack.py --binary "$scratch/release/vigilante" "$@"
