#!/usr/bin/env bash
# Writes Sources/vigilante/Link/hot-sections.order, the code sections release builds place first (see Package.swift):
# builds the release binary the image ships with a linker map, runs it under valgrind's callgrind twice (a webhook-only
# start, then a cluster's work against the fake API server), and lists one function of every section whose code ran,
# start-up sections first. Run it again after changes that move much code (a dependency, the toolchain); a stale
# list only costs memory, so CI does not.
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_BACKTRACE=enable=no

command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind >/dev/null; }
python3 -c "import cryptography" 2>/dev/null || pip install -q -r Tests/fakeapi/requirements.txt
scratch=${BENCH_SCRATCH_PATH:-.build-static}
map=$(mktemp --suffix=.map)
trap 'rm -f "$map"' EXIT
swift build -c release --static-swift-stdlib --scratch-path "$scratch" --product vigilante \
    -Xlinker -Map="$map" 2>&1 | tail -n 1
python3 scripts/linkorder/hot_sections.py --binary "$scratch/release/vigilante" --map "$map" \
    --out Sources/vigilante/Link/hot-sections.order
rm -f "$scratch/release/vigilante"  # the order file is no input SwiftPM knows of: the next build links again
