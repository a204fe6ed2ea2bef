#!/usr/bin/env bash
# Fuzzes the AdmissionReview decoder (and the answer encoder) with libFuzzer and AddressSanitizer.
#   scripts/fuzz-admission-review.sh [seconds]     (default 60)
# Builds the Kubernetes models as their own module and the webhook's decoder with Fuzz/AdmissionReviewFuzz into
# .build-fuzz/admission-review/, seeds the corpus with the AdmissionReviews of Tests/Fixtures, and exits non-zero on a crash
# (the input is saved there as crash-*; replay it with: .build-fuzz/admission-review/fuzz <file>).
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/fuzz-common.sh
source scripts/fuzz-common.sh "$@"

out=.build-fuzz/admission-review
corpus=$out/corpus
mkdir -p "$corpus"

echo "==> compiling the Kubernetes models and the decoder with -sanitize=fuzzer,address"
swiftc "${fuzz_swift_flags[@]}" -module-name Kubernetes -wmo -emit-module -emit-module-path "$out/Kubernetes.swiftmodule" \
    -c Sources/Kubernetes/Models/*.swift Sources/Kubernetes/JSON/*.swift -o "$out/Kubernetes.o"
swiftc "${fuzz_swift_flags[@]}" -module-name AdmissionReviewFuzz -I "$out" \
    Sources/Webhook/AdmissionReview.swift Sources/Webhook/AdmissionResponse.swift Fuzz/AdmissionReviewFuzz/main.swift \
    "$out/Kubernetes.o" -o "$out/fuzz"

# Seeds: real reviews (other kinds) and Kubernetes' own test data, so the fuzzer starts from real shapes.
cp Tests/Fixtures/k8s-testdata/admission.k8s.io.*.json Tests/Fixtures/real/admissionreview-*.json "$corpus/"
printf '%s' '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","kind":{"group":"","version":"v1","kind":"Node"},"operation":"UPDATE","subResource":"status","object":{"metadata":{"name":"n","labels":{"kubernetes.io/os":"windows"}},"status":{"conditions":[{"type":"Ready","status":"True"}]}}}}' >"$corpus/seed-node"
# The hostile shapes of issue 16: duplicate keys (a repeated request, object, or uid; null after a value), and a uid
# with invalid UTF-8 and a lone surrogate.
printf '%s' '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"a","uid":null,"kind":{"group":"","version":"v1","kind":"Node"},"operation":"CREATE","object":{"metadata":{"name":"a"}},"object":{"metadata":{"name":"b"}}},"request":{"uid":"b","kind":{"group":"","version":"v1","kind":"Node"},"operation":"DELETE","oldObject":{"metadata":{"name":"c"}}},"request":null}' >"$corpus/seed-duplicates"
printf '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"a\377\376\\ud800b","kind":{"group":"","version":"v1","kind":"Pod"},"operation":"CREATE"}}' >"$corpus/seed-bad-uid"

run_fuzzer "$out" "$corpus" -max_len=65536
