#!/usr/bin/env bash
# Development certificates, as cert-manager would issue them for the webhook: a CA, and an ECDSA P-256 serving
# certificate for localhost and 127.0.0.1 signed by it. Written to certs/ (or the directory given); the keys
# are git-ignored and never committed. Existing files are kept unless --force. The serving certificate lives 90 days,
# cert-manager's default duration; the CA a year.
#   scripts/gen-certs.sh [--force] [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."

force=false
if [ "${1:-}" = "--force" ]; then force=true; shift; fi
dir=${1:-certs}
mkdir -p "$dir"

if ! $force && [ -s "$dir/tls.crt" ] && [ -s "$dir/tls.key" ] && [ -s "$dir/ca.crt" ] &&
    openssl x509 -checkend 3600 -noout -in "$dir/tls.crt" >/dev/null 2>&1; then
    echo "gen-certs: $dir already holds a valid certificate (use --force to replace it)"
    exit 0
fi

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out "$dir/ca.key" 2>/dev/null
openssl req -x509 -new -key "$dir/ca.key" -subj "/CN=cops-vigilante development CA" -days 365 -out "$dir/ca.crt"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out "$dir/tls.key" 2>/dev/null
openssl req -new -key "$dir/tls.key" -subj "/CN=localhost" -out "$dir/tls.csr"
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nextendedKeyUsage=serverAuth\n' >"$dir/tls.ext"
openssl x509 -req -in "$dir/tls.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 90 \
    -extfile "$dir/tls.ext" -out "$dir/tls.crt" 2>/dev/null
rm -f "$dir/tls.csr" "$dir/tls.ext" "$dir/ca.srl"
chmod 600 "$dir/ca.key" "$dir/tls.key"
echo "gen-certs: wrote $dir/ca.crt, $dir/tls.crt and $dir/tls.key (ECDSA P-256, localhost and 127.0.0.1)"
