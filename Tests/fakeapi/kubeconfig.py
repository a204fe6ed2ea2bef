"""Kubeconfig files pointing at the fake, in every variant a client must support: CA by path or inline data,
token, tokenFile, client certificate by path or inline data, insecure-skip-tls-verify.

Written as YAML by hand (the standard library has no YAML writer); every scalar is a JSON-quoted string, which
YAML reads as the same string.

    python3 -m fakeapi.kubeconfig --server https://127.0.0.1:PORT --ca DIR/ca.crt --token T > kubeconfig
"""

import argparse
import base64
import json
import sys


def _data(path: str) -> str:
    with open(path, "rb") as f:
        return base64.b64encode(f.read()).decode()


def render(server: str, ca_file: str | None = None, ca_inline: bool = False, token: str | None = None, token_file: str | None = None, client_cert: str | None = None, client_key: str | None = None, cert_inline: bool = False, insecure: bool = False, namespace: str | None = None, name: str = "fakeapi") -> str:
    cluster = {"server": server}
    if ca_file and ca_inline:
        cluster["certificate-authority-data"] = _data(ca_file)
    elif ca_file:
        cluster["certificate-authority"] = ca_file
    user: dict = {}
    if token:
        user["token"] = token
    if token_file:
        user["tokenFile"] = token_file
    if client_cert and client_key:
        if cert_inline:
            user["client-certificate-data"] = _data(client_cert)
            user["client-key-data"] = _data(client_key)
        else:
            user["client-certificate"] = client_cert
            user["client-key"] = client_key
    q = json.dumps
    lines = ["apiVersion: v1", "kind: Config", "clusters:", f"- name: {q(name)}", "  cluster:"]
    lines += [f"    {k}: {q(v)}" for k, v in cluster.items()]
    if insecure:
        lines.append("    insecure-skip-tls-verify: true")
    lines += ["users:", f"- name: {q(name)}", "  user:" + ("" if user else " {}")]
    lines += [f"    {k}: {q(v)}" for k, v in user.items()]
    lines += ["contexts:", f"- name: {q(name)}", "  context:", f"    cluster: {q(name)}", f"    user: {q(name)}"]
    if namespace:
        lines.append(f"    namespace: {q(namespace)}")
    lines += [f"current-context: {q(name)}", "preferences: {}"]
    return "\n".join(lines) + "\n"


def write(path: str, server: str, **options) -> str:
    with open(path, "w", encoding="utf-8") as f:
        f.write(render(server, **options))
    return path


def main() -> int:
    p = argparse.ArgumentParser(prog="python3 -m fakeapi.kubeconfig", description="Print a kubeconfig for the fake API server.")
    p.add_argument("--server", required=True)
    p.add_argument("--ca")
    p.add_argument("--ca-inline", action="store_true", help="certificate-authority-data instead of a path")
    p.add_argument("--token")
    p.add_argument("--token-file")
    p.add_argument("--client-cert")
    p.add_argument("--client-key")
    p.add_argument("--cert-inline", action="store_true")
    p.add_argument("--insecure", action="store_true")
    p.add_argument("--namespace")
    a = p.parse_args()
    sys.stdout.write(render(a.server, a.ca, a.ca_inline, a.token, a.token_file, a.client_cert, a.client_key, a.cert_inline, a.insecure, a.namespace))
    return 0


if __name__ == "__main__":
    sys.exit(main())
