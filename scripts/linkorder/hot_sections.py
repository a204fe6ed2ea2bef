"""Profiles the release binary and writes the list of code sections that release builds place first (the
--symbol-ordering-file of Package.swift), so that the code vigilante runs sits on few pages.

The binary runs twice under valgrind's callgrind, which names every function that executes. First it starts and
stops with the webhook alone (TLS on, healing off): the code every vigilante process runs and keeps resident while
it waits. Then it does what it does in a cluster: starts with TLS and healing on against the fake API server of the
tests, answers AdmissionReviews (a node joining, then ~20 KB status updates on one keep-alive connection), serves
/metrics and the health endpoints, heals the node for a couple of probe rounds, and stops on SIGTERM. The linker's
map of the same binary tells which input section each of those functions is in; the list names one function per
section, since the Swift runtime and Foundation come as archives whose objects keep all their code in one section.
The start-up sections come first, then the rest, each part sorted by name (which groups a module's code): a process
that only waits touches the first part alone, instead of start-up code scattered among request and healing code.

Run through scripts/gen-link-order.sh."""
import argparse
import http.client
import json
import re
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO / "Tests" / "integration"))
sys.path.insert(0, str(REPO / "scripts" / "bench"))
from admission_body import review as status_update_review  # noqa: E402
from fake_cluster import FakeCluster, admission_review, healing_config, windows_node  # noqa: E402
from integration_support import Issued, Vigilante, make_ca, make_leaf  # noqa: E402

NODE = "akswin000003"  # the node of the ~20 KB review
HEADER = """\
# The code sections a release build of vigilante places first, one function of each (see Package.swift).
# Written by scripts/gen-link-order.sh from what ran at start, per admission request, per scrape and while healing.
"""
STARTUP_HEADER = "# Start-up and waiting (every process runs these):\n"
WORK_HEADER = "# Admission requests, scrapes and healing:\n"


class ProfiledVigilante(Vigilante):
    """The integration tests' `vigilante run` process, under valgrind's callgrind."""

    def __init__(self, binary: Path, work: Path, **options):
        super().__init__(binary, work, **options)
        self.callgrind_out = work / "callgrind.out"

    def command(self) -> list[str]:
        return ["valgrind", "--tool=callgrind", f"--callgrind-out-file={self.callgrind_out}", "--demangle=no",
                "--compress-strings=no", "--compress-pos=no", *super().command()]


def exercise(cluster: FakeCluster, vigilante: Vigilante, ca: Issued) -> None:
    context = ssl.create_default_context(cafile=str(ca.cert_file))
    plain = lambda: http.client.HTTPConnection("127.0.0.1", vigilante.metrics_port, timeout=60)  # noqa: E731
    tls = lambda: http.client.HTTPSConnection("localhost", vigilante.webhook_port, timeout=60,  # noqa: E731
                                              context=context)
    webhook = tls()

    def post(review: dict) -> None:
        webhook.request("POST", "/validate?timeout=10s", body=json.dumps(review),
                        headers={"Content-Type": "application/json"})
        response = webhook.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"the webhook answered {response.status}")

    joining = windows_node(NODE, ready=False)
    cluster.admin("POST", "nodes", joining)
    post(admission_review("CREATE", joining))
    cluster.admin("POST", f"nodes/{NODE}/ready", {"ready": True})
    for _ in range(20):
        post(status_update_review())
    webhook.close()
    for connect, path in ((plain, "/metrics"), (plain, "/healthz"), (plain, "/readyz"), (tls, "/healthz"),
                          (tls, "/readyz")):
        connection = connect()
        connection.request("GET", path)
        connection.getresponse().read()
        connection.close()
    # Two probe rounds: the second deletes the first round's pod and creates another.
    rounds, deadline = set(), time.monotonic() + 300
    while len(rounds) < 2:
        if time.monotonic() > deadline:
            raise SystemExit(f"{len(rounds)} probe rounds in 300 s")
        rounds |= {pod["metadata"]["uid"] for pod in cluster.probe_pods()}
        time.sleep(0.5)


def profiled_run(vigilante: ProfiledVigilante, binary: Path, work: Callable[[], None]) -> set[str]:
    """Starts `vigilante`, runs `work`, stops it with SIGTERM, and returns the functions of `binary` that ran."""
    try:
        vigilante.start(timeout=180)
        work()
        if vigilante.stop(timeout=300) != 0:
            raise SystemExit(f"vigilante did not stop cleanly; its log:\n{vigilante.log_text()}")
    finally:
        vigilante.kill()
    return executed_functions(vigilante.callgrind_out, binary)


def profile_startup(binary: Path, work: Path, ca: Issued) -> set[str]:
    """The functions a webhook-only process runs from start to its first wait, and on SIGTERM."""
    vigilante = ProfiledVigilante(binary, work / "startup", config={"tasks": {"snat": {"enabled": False}}},
                                  cert=make_leaf(work, "startup-server", ca))
    # Two seconds: the certificate reloader's first check and the loops' first waits.
    return profiled_run(vigilante, binary, lambda: time.sleep(2))


def profile_cluster_work(binary: Path, work: Path, ca: Issued) -> set[str]:
    """The functions a process with healing on runs in a cluster: requests, scrapes, probe rounds."""
    cluster = FakeCluster(work / "cluster", linux=3)
    vigilante = ProfiledVigilante(binary, work / "run", config=healing_config(window="60s", interval="3s"),
                                  cert=make_leaf(work, "server", ca),
                                  extra_args=["--kubeconfig", str(cluster.kubeconfig)])
    try:
        return profiled_run(vigilante, binary, lambda: exercise(cluster, vigilante, ca))
    finally:
        cluster.stop()


def executed_functions(callgrind_out: Path, binary: Path) -> set[str]:
    functions, current_object = set(), None
    for line in callgrind_out.read_text(errors="replace").splitlines():
        if line.startswith("ob="):
            current_object = line[3:]
        elif line.startswith("fn=") and current_object == str(binary):
            functions.add(line[3:])
    return functions


def text_sections(link_map: Path) -> list[list[str]]:
    """The symbols of each input section of .text, in the map's order."""
    entry = re.compile(r"^\s*[0-9a-f]+\s+[0-9a-f]+\s+[0-9a-f]+\s+\d+ (\s*)(\S.*)$")
    sections, in_text = [], False
    for line in link_map.read_text(errors="replace").splitlines():
        match = entry.match(line)
        if not match:
            continue
        depth, name = len(match.group(1)), match.group(2)
        if depth == 0:
            in_text = name == ".text"
        elif in_text and depth == 8:
            sections.append([])
        elif in_text and depth == 16 and sections:
            sections[-1].append(name)
    return sections


def pick_names(sections: list[list[str]], executed: set[str]) -> tuple[dict[int, str], int]:
    """One executed function per section that ran (by index), and the number of sections left out because each
    function of theirs that ran has a name other sections define too (local helpers such as `objectdestroyTm`): the
    linker would move every section defining a listed name, and callgrind does not tell which of them ran."""
    defined = Counter(name for symbols in sections for name in symbols)
    chosen, ambiguous = {}, 0
    for index, symbols in enumerate(sections):
        hot = [name for name in symbols if name in executed]
        unique = [name for name in hot if defined[name] == 1]
        if unique:
            chosen[index] = min(unique)
        elif hot:
            ambiguous += 1
    return chosen, ambiguous


def ordered_list(link_map: Path, startup: set[str], work: set[str]) -> tuple[list[str], list[str], int]:
    """The names of the sections start-up ran, sorted; then those of the sections only the work ran, sorted; and
    the ambiguous count of both together."""
    sections = text_sections(link_map)
    first, _ = pick_names(sections, startup)
    every, ambiguous = pick_names(sections, startup | work)
    rest = [name for index, name in every.items() if index not in first]
    return sorted(first.values()), sorted(rest), ambiguous


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True, help="the release binary, linked with -Map")
    parser.add_argument("--map", required=True, help="the linker's map of that binary")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="vigilante-link-order-"))
    # valgrind cannot read the DWARF of a Swift release binary; the symbol table is all it needs.
    profiled = work / "vigilante"
    subprocess.run(["objcopy", "--strip-debug", args.binary, str(profiled)], check=True)
    ca = make_ca(work, "ca")
    startup = profile_startup(profiled, work, ca)
    cluster_work = profile_cluster_work(profiled, work, ca)
    if not startup or not cluster_work:
        raise SystemExit(f"callgrind named no function of {profiled}; its output stays in {work}")
    shutil.rmtree(work)
    first, rest, ambiguous = ordered_list(Path(args.map), startup, cluster_work)
    Path(args.out).write_text(HEADER + STARTUP_HEADER + "".join(f"{name}\n" for name in first)
                              + WORK_HEADER + "".join(f"{name}\n" for name in rest))
    print(f"{len(startup | cluster_work)} functions of vigilante ran, {len(startup)} of them at start; "
          f"{len(first)} start-up sections and {len(rest)} more listed, {ambiguous} left in place "
          f"(only functions with shared names ran there); wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
