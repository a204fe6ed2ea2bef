"""One `vigilante run` process, with its JSON log read by a thread: the listeners' ports come from its `Listening`
lines."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Callable, Iterable

from testkit.config import BASE_CONFIG, merge, to_yaml
from testkit.pki import Issued

# Every start is bounded by this.
START_TIMEOUT = 30.0


class Vigilante:
    """One `vigilante run` process, with its stderr log read by a thread (JSON lines)."""

    def __init__(self, binary: Path, workdir: Path, *, config: dict | None = None, cert: Issued | None = None,
                 cert_file: Path | None = None, key_file: Path | None = None, tls: bool | None = True,
                 extra_args: Iterable[str] = (), preexec_fn: Callable[[], None] | None = None):
        self.binary = binary
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.config = merge(BASE_CONFIG, config or {})
        self.cert_file = cert_file or (cert.cert_file if cert else None)
        self.key_file = key_file or (cert.key_file if cert else None)
        self.tls = tls
        self.extra_args = list(extra_args)
        self.preexec_fn = preexec_fn
        self.process: subprocess.Popen | None = None
        self.lines: list[str] = []
        self.records: list[dict] = []
        self._cond = threading.Condition()
        self._reader: threading.Thread | None = None
        self._reading = threading.Event()
        self._reading.set()
        self.webhook_port: int | None = None
        self.metrics_port: int | None = None
        self.metrics_scheme: str | None = None
        self.webhook_scheme: str | None = None

    # -- life cycle

    def command(self) -> list[str]:
        conf = self.workdir / "conf.yaml"
        conf.write_text(to_yaml(self.config) + "\n")
        args = [str(self.binary), "run", "--config", str(conf), "--webhook-port", "0", "--metrics-port", "0",
                "--log-format", "json"]
        if self.cert_file is not None:
            args += ["--cert-file", str(self.cert_file)]
        if self.key_file is not None:
            args += ["--key-file", str(self.key_file)]
        if self.tls is not None:  # None: neither flag, the configuration decides
            args.append("--tls" if self.tls else "--no-tls")
        return args + self.extra_args

    def spawn(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KUBERNETES_") and k != "KUBECONFIG"}
        env["SWIFT_BACKTRACE"] = "enable=no"
        env["HOME"] = str(self.workdir)  # no ~/.kube/config of the machine
        self.process = subprocess.Popen(self.command(), cwd=self.workdir, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                                        preexec_fn=self.preexec_fn)
        self._reader = threading.Thread(target=self._read_stderr, name="vigilante-stderr", daemon=True)
        self._reader.start()

    def start(self, timeout: float = START_TIMEOUT) -> "Vigilante":
        self.spawn()
        record = None
        deadline = time.monotonic() + timeout
        while self.webhook_port is None or self.metrics_port is None:
            record = self.wait_for_log(lambda r: r.get("message") == "Listening",
                                       timeout=max(0.0, deadline - time.monotonic()), after=record)
            if record is None:
                self.kill()
                raise AssertionError(f"vigilante did not announce both listeners within {timeout} s "
                                     f"(exit status {self.process.poll()}); its log:\n{self.log_text()}")
            meta = record.get("metadata", {})
            if meta.get("listener") == "webhook":
                self.webhook_port, self.webhook_scheme = int(meta["port"]), meta.get("scheme")
            elif meta.get("listener") == "metrics":
                self.metrics_port, self.metrics_scheme = int(meta["port"]), meta.get("scheme")
        return self

    def _read_stderr(self) -> None:
        assert self.process is not None and self.process.stderr is not None
        log = open(self.workdir / "vigilante.log", "w", encoding="utf-8")
        for raw in self.process.stderr:
            self._reading.wait()
            line = raw.decode("utf-8", "replace").rstrip("\n")
            log.write(line + "\n")
            log.flush()
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    record = {"message": line}
            except ValueError:
                record = {"message": line, "unparsed": True}
            with self._cond:
                self.lines.append(line)
                self.records.append(record)
                self._cond.notify_all()
        log.close()
        with self._cond:
            self._cond.notify_all()

    def wait_for_log(self, predicate: Callable[[dict], bool], timeout: float,
                     after: dict | None = None) -> dict | None:
        """The first log record (after the record `after`, by identity) matching predicate, waiting up to timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            start = 0
            if after is not None:
                start = next(i for i, r in enumerate(self.records) if r is after) + 1
            while True:
                for record in self.records[start:]:
                    if predicate(record):
                        return record
                start = len(self.records)
                remaining = deadline - time.monotonic()
                if remaining <= 0 or (self.process.poll() is not None and not self._reader.is_alive()):
                    return None
                self._cond.wait(min(remaining, 0.2))

    def pause_log_reading(self) -> None:
        """Stops reading the process's stderr (after the line in hand), as a stalled log collector would: the
        pipe fills and every further write to it blocks."""
        self._reading.clear()

    def resume_log_reading(self) -> None:
        self._reading.set()

    def log_text(self) -> str:
        with self._cond:
            return "\n".join(self.lines[-200:])

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def assert_alive(self) -> None:
        assert self.alive(), f"vigilante exited with status {self.process.poll()}; its log:\n{self.log_text()}"

    def signal(self, signum: int) -> None:
        assert self.process is not None
        self.process.send_signal(signum)

    def wait(self, timeout: float) -> int | None:
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self, timeout: float = 15.0) -> int | None:
        """SIGTERM, then the exit status (None if it did not exit in time; it is then killed)."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        status = self.wait(timeout)
        if status is None:
            self.kill()
        if self._reader is not None:
            self._reader.join(timeout=5)
        return status

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def cpu_seconds(self) -> float:
        """utime + stime of the process, from /proc."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
