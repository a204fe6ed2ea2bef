#!/usr/bin/env bash
# Installs what a fresh Debian bookworm machine with the Swift toolchain lacks to build and test cops-vigilante, at
# the same versions every time. Idempotent: it installs only what is missing or at another version, and runs
# apt-get update at most once.
#
# - Swift packages: Package.resolved (committed) pins every dependency to one commit.
# - Python packages: Tests/requirements.txt pins every package, direct or pulled in, to one version; they go into
#   .venv (the deploy tools into .venv-deploy-tools), never into the system's Python. Scripts put .venv/bin first
#   on PATH. A .pth file in .venv makes the tests' own packages under Tests/ (testkit, fakeapi) importable.
# - Debian packages: the tools whose output the tests judge (shellcheck, promtool, testssl.sh) are pinned to their
#   bookworm release. The libraries and clients that Debian patches for security (OpenSSL, libcurl, curl) take
#   bookworm's current update: a superseded security release leaves the archive, so a pin on it could never install
#   again (this machine's own libssl-dev 3.0.19 is already gone from it).
set -euo pipefail
cd "$(dirname "$0")/.."

# name=version pins the version; a bare name takes bookworm's current one.
apt_packages=(
    libssl-dev                     # OpenSSL headers for the COpenSSL target (security updates)
    libcurl4-openssl-dev           # libcurl headers for the CCurl target (security updates)
    openssl                        # the openssl CLI: test certificates, s_client (security updates)
    curl                           # a real HTTP client in tests (security updates)
    pkg-config=1.8.1-1             # how SwiftPM finds both libraries
    shellcheck=0.9.0-1             # lints scripts/*.sh
    prometheus=2.42.0+ds-5+deb12u1 # promtool checks the /metrics exposition; the e2e tests run the server itself
    testssl.sh=3.0.8+dfsg-1        # the TLS scanner of the end-to-end tests
    python3-venv=3.11.2-1+b1       # the tests' own Python environments
)

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
apt_updated=false
apt_install() {
    if ! $apt_updated; then
        "${sudo_cmd[@]}" apt-get update -qq
        apt_updated=true
    fi
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

missing=()
for entry in "${apt_packages[@]}"; do
    package=${entry%%=*}
    wanted=${entry#"$package"}
    wanted=${wanted#=}
    installed=$(dpkg-query -W -f='${Status} ${Version}' "$package" 2>/dev/null || true)
    case $installed in
        "install ok installed "*)
            [ -z "$wanted" ] || [ "${installed##* }" = "$wanted" ] || missing+=("$entry") ;;
        *) missing+=("$entry") ;;
    esac
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    if ! apt_install "${missing[@]}"; then
        # A pinned version that left the archive (a point release replaced it): say so, and take the current one
        # rather than leave the machine without the tool.
        echo "setup: a pinned version is no longer in the archive; installing bookworm's current versions of" \
            "${missing[*]%%=*} (update the pins in scripts/setup.sh)" >&2
        apt_install "${missing[@]%%=*}"
    fi
fi

# kubectl is not a Debian bookworm package; the end-to-end tests use the one this machine's image provides.
command -v kubectl >/dev/null || echo "setup: kubectl is missing; the end-to-end tests (Tests/e2e) need it" >&2

# A virtual environment with exactly the packages of a requirements file; rebuilt when the file changes.
python_environment() {
    local venv=$1 requirements=$2
    local stamp
    stamp="$venv/.installed-$(sha256sum "$requirements" | cut -c1-16)"
    [ -f "$stamp" ] && return 0
    echo "setup: installing the Python packages of $requirements into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --disable-pip-version-check -q --no-deps -r "$requirements"
    "$venv/bin/pip" check --disable-pip-version-check >/dev/null
    touch "$stamp"
}
python_environment .venv Tests/requirements.txt
# The tests' own packages, testkit (the suites' helpers) and fakeapi (the fake API server), import from Tests/: a
# .pth file in .venv's site-packages names it. Written on every run, so that a clone that moved still finds them.
site_packages=$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
printf '%s\n' "$PWD/Tests" >"$site_packages/cops-vigilante-tests.pth"
# checkov and the CRD models pin versions that would downgrade shared packages: they get their own environment.
python_environment .venv-deploy-tools Tests/deploy/requirements-tools.txt

command -v swift >/dev/null || { echo "setup: swift is not on PATH; install the Swift 6 toolchain first" >&2; exit 1; }
echo "setup: ready ($(swift --version 2>/dev/null | head -n 1); $(.venv/bin/python --version))"
