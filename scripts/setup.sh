#!/usr/bin/env bash
# Installs what a fresh Debian bookworm machine with the Swift toolchain lacks to build and test
# cops-vigilante. Idempotent: it only installs what is missing, and runs apt-get update at most once.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(
    libssl-dev            # OpenSSL headers for the COpenSSL target
    libcurl4-openssl-dev  # libcurl headers for the CCurl target
    pkg-config            # how SwiftPM finds both
    openssl               # the openssl CLI: test certificates
    curl                  # a real HTTP client in tests
    shellcheck            # lints scripts/*.sh
    prometheus            # promtool checks the /metrics exposition; the e2e tests run the server itself
    testssl.sh            # the TLS scanner of the end-to-end tests
    python3-venv          # the deploy tools' own environment
)

missing=()
for package in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# kubectl is not a Debian bookworm package; the end-to-end tests use the one this machine's image provides.
command -v kubectl >/dev/null || echo "setup: kubectl is missing; the end-to-end tests (Tests/e2e) need it" >&2

# Python packages the test suites use, each suite listing its own.
mapfile -t requirements < <(find Tests -name requirements.txt -not -path '*/.build*' | sort)
if ((${#requirements[@]})); then
    args=()
    for file in "${requirements[@]}"; do args+=(-r "$file"); done
    if python3 -m pip install --disable-pip-version-check --dry-run "${args[@]}" 2>/dev/null | grep -q "Would install"; then
        echo "setup: installing Python packages from ${requirements[*]}"
        python3 -m pip install --disable-pip-version-check -q "${args[@]}"
    fi
fi

# checkov and the CRD models pin versions that would downgrade shared packages: they get their own environment.
tools_venv=.venv-deploy-tools
tools_requirements=Tests/deploy/requirements-tools.txt
if [ -f "$tools_requirements" ]; then
    stamp="$tools_venv/.installed-$(sha256sum "$tools_requirements" | cut -c1-16)"
    if [ ! -f "$stamp" ]; then
        echo "setup: installing the deploy test tools into $tools_venv"
        python3 -m venv "$tools_venv"
        "$tools_venv/bin/pip" install --disable-pip-version-check -q -r "$tools_requirements"
        touch "$stamp"
    fi
fi

command -v swift >/dev/null || { echo "setup: swift is not on PATH; install the Swift 6 toolchain first" >&2; exit 1; }
echo "setup: ready ($(swift --version 2>/dev/null | head -n 1))"
