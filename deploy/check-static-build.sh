#!/usr/bin/env bash
# Proves the container image's build command without Docker: builds the release binary with the Swift runtime
# linked in (as deploy/Dockerfile does) and fails if ldd still lists a Swift runtime library, which the slim
# runtime image does not have. Slow (a full release build): CI runs it, the pytest suite only lints it.
#
# Usage: deploy/check-static-build.sh            (from anywhere; builds into <repo>/.build-static)
#        SCRATCH_PATH=/tmp/b deploy/check-static-build.sh
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scratch_path="${SCRATCH_PATH:-${repo_root}/.build-static}"
build=(swift build -c release --static-swift-stdlib --product vigilante
    --package-path "${repo_root}" --scratch-path "${scratch_path}")

SECONDS=0
"${build[@]}"
binary="$("${build[@]}" --show-bin-path)/vigilante"
echo "built ${binary} in ${SECONDS} s"

libraries="$(ldd "${binary}")"
echo "${libraries}"

# The libraries a Swift toolchain ships: the runtime, Foundation and its parts, Dispatch, and Foundation's ICU.
swift_runtime='libswift|libFoundation|lib_Foundation|libFoundationEssentials|libFoundationNetworking|libFoundationXML|libdispatch|libBlocksRuntime|libicu|lib_FoundationICU|libXCTest|libTesting'
if grep -E "${swift_runtime}" <<<"${libraries}"; then
    echo "FAIL: the binary links Swift runtime libraries (above) that the runtime image does not have" >&2
    exit 1
fi
if grep -q 'not found' <<<"${libraries}"; then
    echo "FAIL: ldd cannot find a library the binary needs" >&2
    exit 1
fi

# Package.swift links release builds with lld: packed relative relocations (DT_RELR), libstdc++ from its archive, no
# exported symbols.
if ! readelf -d "${binary}" | grep -q '(RELR)'; then
    echo "FAIL: no packed relative relocations (DT_RELR): Package.swift's release linker settings were not applied" >&2
    exit 1
fi
if grep 'libstdc++' <<<"${libraries}"; then
    echo "FAIL: libstdc++ is linked dynamically: Package.swift's Link/libstdc++.so linker script was not used" >&2
    exit 1
fi
# With -export-dynamic (the Swift driver's default) the binary exports thousands of symbols; without it, next to none.
exported="$(nm -D --defined-only "${binary}" | wc -l)"
if ((exported > 100)); then
    echo "FAIL: the binary exports ${exported} symbols: Package.swift's --no-export-dynamic was not applied" >&2
    exit 1
fi

# The image's only extra libraries are libssl3 and libcurl4; the rest must be in debian:bookworm-slim already.
"${binary}" version
echo "OK: no Swift runtime library is linked dynamically"
