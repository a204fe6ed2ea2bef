"""shellcheck passes on every shell script of scripts/ and deploy/."""

from __future__ import annotations

import re

import pytest

from chart_support import DEPLOY_DIR, REPO_ROOT, run, tool

SCRIPTS = sorted([*REPO_ROOT.glob("scripts/*.sh"), *DEPLOY_DIR.glob("*.sh")])


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: str(path.relative_to(REPO_ROOT)))
def test_shellcheck_passes(script) -> None:
    shellcheck = tool("shellcheck", "SHELLCHECK", "apt-get install -y shellcheck")
    result = run([shellcheck, "--external-sources", "--format", "gcc", str(script)], cwd=REPO_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_static_build_check_builds_like_the_dockerfile_and_knows_the_swift_libraries() -> None:
    script = DEPLOY_DIR / "check-static-build.sh"
    assert script.stat().st_mode & 0o111
    text = script.read_text()
    assert "swift build -c release --static-swift-stdlib" in " ".join(text.split())
    # The pattern it greps ldd's output with: every Swift runtime library, none of the image's own libraries.
    (pattern,) = re.findall(r"^swift_runtime='([^']+)'", text, re.MULTILINE)
    for swift_library in ("libswiftCore.so", "libswift_Concurrency.so", "libFoundation.so",
                          "libFoundationEssentials.so", "libFoundationNetworking.so", "libdispatch.so",
                          "libBlocksRuntime.so", "lib_FoundationICU.so"):
        assert re.search(pattern, swift_library), swift_library
    for system_library in ("libssl.so.3", "libcrypto.so.3", "libcurl.so.4", "libc.so.6", "libstdc++.so.6",
                           "libz.so.1", "libm.so.6", "libgcc_s.so.1"):
        assert not re.search(pattern, system_library), system_library
