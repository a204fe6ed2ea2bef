#!/usr/bin/env bash
# Fuzzes the HTTP/1.1 request parser with libFuzzer and AddressSanitizer.
#   scripts/fuzz-http-parser.sh [seconds]     (default 60)
# Compiles Sources/HTTPServer/HTTP/*.swift with Fuzz/HTTPParserFuzz/main.swift into .build-fuzz/, seeds a corpus
# there, and runs for the given time. Exits non-zero when the fuzzer finds a crash (the input is saved in
# .build-fuzz/http-parser/ as crash-*; replay it with: .build-fuzz/http-parser/fuzz <file>).
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/fuzz-common.sh
source scripts/fuzz-common.sh "$@"

out=.build-fuzz/http-parser
corpus=$out/corpus
mkdir -p "$corpus"

echo "==> compiling the parser with -sanitize=fuzzer,address"
swiftc "${fuzz_swift_flags[@]}" \
    -module-name HTTPParserFuzz \
    Sources/HTTPServer/HTTP/*.swift Fuzz/HTTPParserFuzz/main.swift \
    -o "$out/fuzz"

# Seeds: one of each framing, so the fuzzer starts inside the interesting states instead of finding "HTTP/1.1".
seed() { printf '%b' "$2" >"$corpus/seed-$1"; }
seed get 'GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n'
seed length 'POST /validate?timeout=10s HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n{"a"}'
seed chunked 'POST /validate HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nabcd\r\n0\r\nTrailer: x\r\n\r\n'
seed pipelined 'GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n\r\nOPTIONS * HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx'
seed absolute 'GET http://example.com:8080/p?q HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n'

dict=$out/http.dict
cat >"$dict" <<'DICT'
"\x0d\x0a"
"\x0d\x0a\x0d\x0a"
"HTTP/1.1"
"HTTP/1.0"
"Host: "
"Content-Length: "
"Transfer-Encoding: "
"chunked"
"Connection: "
"close"
"keep-alive"
"Expect: "
"100-continue"
";"
","
DICT

run_fuzzer "$out" "$corpus" -dict="$dict" -print_final_stats=1
