"""Command line: `python3 -m fakeapi [flags]` (run from Tests/, or with PYTHONPATH=Tests). See README.md."""

import argparse
import os
import signal
import sys
import threading

from fakeapi import nodegen, seeding
from fakeapi.app import App, Settings
from fakeapi.nodes import NODE
from fakeapi.server import FakeApiServer, tls_context


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python3 -m fakeapi", description="A fake Kubernetes API server for tests.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=0, help="port; 0 (default) picks a free one, see --port-file")
    p.add_argument("--port-file", help="write '<port>\\nready\\n' here (atomically) once the server accepts requests")
    p.add_argument("--http", action="store_true", help="plain HTTP instead of HTTPS")
    p.add_argument("--cert", help="server certificate (PEM, may include the chain); required unless --http")
    p.add_argument("--key", help="server private key (PEM)")
    p.add_argument("--client-ca", help="accept client certificates signed by this CA (user = CN, groups = O)")
    p.add_argument("--token", action="append", default=[], help="accept this bearer token (repeatable)")
    p.add_argument("--token-file", help="accept the tokens in this file, one a line, re-read on every request")
    p.add_argument("--admin-token", help="require header X-Admin-Token with this value on /_admin/ calls")
    p.add_argument("--seed", action="append", default=[], help="JSON file of objects to load at start (a List, an array or one object; Node when kind is absent); repeatable")
    p.add_argument("--generate-linux", type=int, default=0, metavar="N", help="seed N generated AKS Linux nodes")
    p.add_argument("--generate-windows", type=int, default=0, metavar="N", help="seed N generated AKS Windows nodes")
    p.add_argument("--generate-seed", type=int, default=0, help="random seed of the generator (default 0)")
    p.add_argument("--grace-scale", type=float, default=1.0, help="real seconds per second of a pod's grace period (0.01: a 30 s grace ends after 0.3 s)")
    p.add_argument("--sandbox-delay-ms", type=int, default=0, metavar="MS", help="how long a kubelet takes to create a bound pod's sandbox (its IP); 0 (default): at once, the pod answers Running when created. Per node: POST /_admin/nodes/<name>/kubelet")
    p.add_argument("--kube-version", default="v1.32.4", help="gitVersion reported by /version (default v1.32.4)")
    p.add_argument("--log-capacity", type=int, default=100_000, help="request log entries kept (default 100000)")
    p.add_argument("--verbose", action="store_true", help="log every request and connection error to stderr")
    return p


def _write_port_file(path: str, port: int) -> None:
    """Write then rename, so a reader never sees a half-written file: its presence means ready."""
    temporary = f"{path}.tmp{os.getpid()}"
    with open(temporary, "w", encoding="utf-8") as f:
        f.write(f"{port}\nready\n")
    os.replace(temporary, path)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not args.http and not (args.cert and args.key):
        parser().error("--cert and --key are required unless --http is given")
    if args.sandbox_delay_ms < 0:
        parser().error("--sandbox-delay-ms must be >= 0")
    if args.http and args.client_ca:
        parser().error("--client-ca needs TLS; drop --http")
    settings = Settings(
        grace_scale=args.grace_scale,
        kube_version=args.kube_version,
        tokens=args.token,
        token_file=args.token_file,
        client_ca=bool(args.client_ca),
        admin_token=args.admin_token,
        log_capacity=args.log_capacity,
        sandbox_delay_ms=args.sandbox_delay_ms,
    )
    app = App(settings)
    for path in args.seed:
        seeding.seed_file(app.cluster, path)
    if args.generate_linux or args.generate_windows:
        seeding.seed(app.cluster, nodegen.generate(args.generate_linux, args.generate_windows, args.generate_seed), NODE)
    context = None if args.http else tls_context(args.cert, args.key, args.client_ca)
    server = FakeApiServer((args.host, args.port), app, context, args.verbose)

    def stop(_signum, _frame) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    scheme = "http" if args.http else "https"
    sys.stderr.write(f"fakeapi: serving {scheme}://{app.address} ({app.store.count(NODE.storage)} nodes)\n")
    if args.port_file:
        _write_port_file(args.port_file, server.port)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
    return 0
