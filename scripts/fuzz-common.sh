#!/usr/bin/env bash
# Sourced by scripts/fuzz-*.sh, not run: reads their [seconds] argument (default 60), holds the compiler flags
# (the language mode and upcoming features of Package.swift, so the fuzzed code is the code that ships), and runs
# a built fuzzer with its verdict.

seconds=${1:-60}
if ! [[ $seconds =~ ^[0-9]+$ ]]; then
    echo "usage: $0 [seconds]" >&2
    exit 2
fi

# shellcheck disable=SC2034  # used by the scripts that source this one
fuzz_swift_flags=("-sanitize=fuzzer,address" -parse-as-library -O -g -swift-version 6
    -enable-upcoming-feature ExistentialAny
    -enable-upcoming-feature InternalImportsByDefault
    -enable-upcoming-feature MemberImportVisibility)

# run_fuzzer OUT CORPUS [libFuzzer options...]: runs OUT/fuzz on CORPUS for $seconds and prints its last lines.
# A crash input is saved as OUT/crash-* and the script exits with the fuzzer's status.
run_fuzzer() {
    local out=$1 corpus=$2
    shift 2
    echo "==> fuzzing for ${seconds}s"
    SWIFT_BACKTRACE=enable=no "$out/fuzz" -max_total_time="$seconds" -artifact_prefix="$out/" "$@" "$corpus" 2>&1 |
        tail -n 8
    local status=${PIPESTATUS[0]}
    if ((status != 0)); then
        echo "FAILED: the fuzzer found a crash (exit $status); see $out/crash-*" >&2
        exit "$status"
    fi
    echo "OK: no crash in ${seconds}s"
}
