"""The webhook benchmark: vigilante against nginx-light on the same certificate, with wrk POSTing a ~20 KB
AdmissionReview over TLS, in three modes, interleaved rounds, medians reported side by side.

  (a) keep-alive, 32 connections   (b) one connection   (c) a new connection per request

Server CPU per request comes from /proc/<pid>/stat (utime + stime of the server process, or of all nginx
processes), divided by the requests wrk completed. Peak RSS is VmHWM. Run through scripts/bench.sh.

Targets (printed as met or missed at the end, never asserted): idle RSS under 32 MiB; RSS under load under 64 MiB
and flat over the soak (its last sample within 10 % of its first); latency printed beside nginx's of the same run."""
import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
TICKS = os.sysconf("SC_CLK_TCK")
MODES = {"a": ("keep-alive, 32 connections", 32, False), "b": ("one connection", 1, False),
         "c": ("new connection per request", 8, True)}


def cpu_seconds(pids):
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / TICKS


def status_kib(pid, key):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def make_certificates(directory):
    run = lambda *a: subprocess.run(a, check=True, capture_output=True)
    run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", f"{directory}/ca.key")
    run("openssl", "req", "-x509", "-new", "-key", f"{directory}/ca.key", "-subj", "/CN=bench-ca", "-days", "2",
        "-out", f"{directory}/ca.crt")
    run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", f"{directory}/tls.key")
    run("openssl", "req", "-new", "-key", f"{directory}/tls.key", "-subj", "/CN=localhost", "-out", f"{directory}/tls.csr")
    Path(f"{directory}/ext").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    run("openssl", "x509", "-req", "-in", f"{directory}/tls.csr", "-CA", f"{directory}/ca.crt", "-CAkey", f"{directory}/ca.key",
        "-CAcreateserial", "-days", "1", "-extfile", f"{directory}/ext", "-out", f"{directory}/tls.crt")


def start_vigilante(binary, directory):
    config = Path(directory, "conf.yaml")
    # The webhook alone: no cluster behind it (the healing task is measured by bench_healing.py).
    config.write_text("tls: true\nwebhook:\n  port: 0\nmetrics:\n  port: 0\ntasks:\n  snat:\n    enabled: false\n")
    process = subprocess.Popen([binary, "run", "--config", str(config), "--cert-file", f"{directory}/tls.crt",
                                "--key-file", f"{directory}/tls.key", "--log-format", "json", "--log-level", "warning"],
                               stderr=subprocess.PIPE, text=True)
    # At warning level no "Listening" line: find the port from /proc instead.
    deadline = time.time() + 20
    while time.time() < deadline:
        ports = listening_ports(process.pid)
        if len(ports) >= 2:
            break
        time.sleep(0.1)
    else:
        raise SystemExit("vigilante did not start listening")
    return process, [process.pid], webhook_port(ports, directory)


def evict_from_page_cache(path):
    """Drops the binary's cached pages, so that it starts cold, as in a new pod. A file the linker has just written,
    or one read whole, is cached in large pieces, and the kernel maps cached file around each page a process touches
    (64 KiB, or a whole large folio): the same binary then shows up to 4 MiB more resident."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def listening_ports(pid):
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return sorted(ports)


def webhook_port(ports, directory):
    import ssl
    import socket
    for port in ports:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as raw:
                context = ssl.create_default_context(cafile=f"{directory}/ca.crt")
                with context.wrap_socket(raw, server_hostname="localhost"):
                    return port
        except (ssl.SSLError, OSError):
            continue
    raise SystemExit("no TLS port found")


def start_nginx(directory, body_answer):
    Path(directory, "answer.json").write_text(body_answer)
    Path(directory, "logs").mkdir(exist_ok=True)
    config = Path(directory, "nginx.conf")
    config.write_text(f"""
worker_processes 2;
pid {directory}/nginx.pid;
error_log {directory}/logs/error.log crit;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {directory}/body; proxy_temp_path {directory}/proxy;
  fastcgi_temp_path {directory}/fcgi; uwsgi_temp_path {directory}/uwsgi; scgi_temp_path {directory}/scgi;
  client_max_body_size 8m; client_body_buffer_size 64k; keepalive_requests 1000000;
  server {{
    listen 127.0.0.1:0 ssl;
    listen 127.0.0.1:{{PORT}} ssl;
    ssl_certificate {directory}/tls.crt; ssl_certificate_key {directory}/tls.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    location = /validate {{
      # The mirror forces nginx to read the whole request body before it answers, as the webhook must.
      mirror /drain; mirror_request_body on;
      default_type application/json;
      return 200 '{body_answer}';
    }}
    location = /drain {{ internal; return 204; }}
  }}
}}
""")
    import socket
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    text = config.read_text().replace("    listen 127.0.0.1:0 ssl;\n", "").replace("{PORT}", str(port))
    config.write_text(text)
    process = subprocess.Popen(["nginx", "-c", str(config), "-p", directory, "-g", "daemon off;"],
                               stderr=subprocess.DEVNULL)
    deadline = time.time() + 10
    while time.time() < deadline:
        children = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
        if len(children) >= 2:
            time.sleep(0.3)
            return process, [process.pid] + [int(c) for c in children], port
        time.sleep(0.1)
    raise SystemExit("nginx did not start")


def run_wrk(port, mode, seconds, body_file):
    _, connections, close = MODES[mode]
    env = dict(os.environ, BENCH_BODY=body_file, BENCH_CLOSE="1" if close else "0")
    threads = 1 if connections == 1 else 2
    result = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "5s",
                             "-s", str(HERE / "post.lua"), f"https://127.0.0.1:{port}/validate"],
                            env=env, capture_output=True, text=True)
    line = [l for l in result.stdout.splitlines() if l.startswith("{")]
    if not line:
        raise SystemExit(f"wrk failed: {result.stdout}\n{result.stderr}")
    return json.loads(line[-1])


IDLE_RSS_TARGET_MIB = 32
LOADED_RSS_TARGET_MIB = 64


def print_targets(idle_mib, loaded_mib, soak_samples):
    verdict = lambda met: "met" if met else "MISSED"
    print("\ntargets:")
    print(f"  idle RSS {idle_mib:.1f} MiB < {IDLE_RSS_TARGET_MIB} MiB: {verdict(idle_mib < IDLE_RSS_TARGET_MIB)}")
    print(f"  RSS under load {loaded_mib:.1f} MiB < {LOADED_RSS_TARGET_MIB} MiB: "
          f"{verdict(loaded_mib < LOADED_RSS_TARGET_MIB)}")
    if soak_samples:
        first, last = soak_samples[0], soak_samples[-1]
        print(f"  flat under load: {first:.1f} -> {last:.1f} MiB over the soak: {verdict(last <= first * 1.1)}")
    else:
        print("  flat under load: not measured (--soak 0)")
    print("  latency: see p50/p99 beside nginx's above")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--modes", default="abc")
    parser.add_argument("--soak", type=int, default=120,
                        help="then run (a) against vigilante this long, sampling RSS (0: no soak)")
    args = parser.parse_args()

    directory = tempfile.mkdtemp(prefix="vigilante-bench-")
    make_certificates(directory)
    body_file = f"{directory}/body.json"
    subprocess.run([sys.executable, str(HERE / "admission_body.py"), body_file], check=True, capture_output=True)
    answer = '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"705ab4f5-6393-11e8-b7cc-42010a800002","allowed":true}}'

    evict_from_page_cache(args.binary)
    vigilante, vigilante_pids, vigilante_port = start_vigilante(args.binary, directory)
    nginx, nginx_pids, nginx_port = start_nginx(directory, answer)
    idle_rss = status_kib(vigilante.pid, "VmRSS")
    servers = {"vigilante": (vigilante_pids, vigilante_port), "nginx": (nginx_pids, nginx_port)}
    results = {(s, m): [] for s in servers for m in args.modes}
    print(f"body {os.path.getsize(body_file)} bytes; vigilante idle RSS {idle_rss / 1024:.1f} MiB (started cold); "
          f"{args.rounds} interleaved rounds of {args.seconds}s", flush=True)
    try:
        for round_number in range(args.rounds):
            for mode in args.modes:
                for name, (pids, port) in servers.items():
                    before = cpu_seconds(pids)
                    outcome = run_wrk(port, mode, args.seconds, body_file)
                    outcome["cpu_us_per_request"] = (cpu_seconds(pids) - before) * 1e6 / max(outcome["requests"], 1)
                    outcome["rps"] = outcome["requests"] / outcome["seconds"]
                    results[(name, mode)].append(outcome)
            print(f"round {round_number + 1}/{args.rounds} done", flush=True)
        peak_rss = status_kib(vigilante.pid, "VmHWM")

        print()
        print(f"{'mode':32} {'server':10} {'req/s':>9} {'p50 µs':>8} {'p99 µs':>8} {'CPU µs/req':>11} {'errors':>7}")
        for mode in args.modes:
            for name in servers:
                runs = results[(name, mode)]
                median = lambda key: statistics.median(r[key] for r in runs)
                errors = sum(r["errors"] + r["non2xx"] for r in runs)
                print(f"({mode}) {MODES[mode][0]:28} {name:10} {median('rps'):9.0f} {median('p50'):8.0f} "
                      f"{median('p99'):8.0f} {median('cpu_us_per_request'):11.1f} {errors:7d}")
            ours = statistics.median(r["cpu_us_per_request"] for r in results[("vigilante", mode)])
            theirs = statistics.median(r["cpu_us_per_request"] for r in results[("nginx", mode)])
            rps_ratio = (statistics.median(r["rps"] for r in results[("vigilante", mode)])
                         / statistics.median(r["rps"] for r in results[("nginx", mode)]))
            print(f"    vigilante/nginx: CPU per request x{ours / theirs:.2f}, throughput x{rps_ratio:.2f}")
        print(f"\nvigilante RSS: idle {idle_rss / 1024:.1f} MiB, peak under load {peak_rss / 1024:.1f} MiB")

        samples = []
        if args.soak:
            print(f"\nsoak: (a) against vigilante for {args.soak}s, RSS every 30s")
            env = dict(os.environ, BENCH_BODY=body_file, BENCH_CLOSE="0")
            wrk = subprocess.Popen(["wrk", "-t", "2", "-c", "32", "-d", f"{args.soak}s", "-s", str(HERE / "post.lua"),
                                    f"https://127.0.0.1:{vigilante_port}/validate"], env=env, stdout=subprocess.PIPE, text=True)
            while wrk.poll() is None:
                time.sleep(min(30, args.soak))
                samples.append(status_kib(vigilante.pid, "VmRSS") / 1024)
                print(f"  {len(samples) * 30:4d}s RSS {samples[-1]:.1f} MiB", flush=True)
            print(f"  RSS first {samples[0]:.1f} MiB, last {samples[-1]:.1f} MiB, max {max(samples):.1f} MiB")
        # VmHWM is only brought up to date at some points of the kernel's accounting: a later sample can be higher.
        print_targets(idle_rss / 1024, max([status_kib(vigilante.pid, "VmHWM") / 1024] + samples), samples)
    finally:
        vigilante.send_signal(signal.SIGTERM)
        nginx.send_signal(signal.SIGQUIT)
        vigilante.wait(timeout=30)
        nginx.wait(timeout=30)


if __name__ == "__main__":
    main()
