"""A real Nereid server for the compatibility tests: the built CLI on a free port of 127.0.0.1."""

from __future__ import annotations

import os
import pathlib
import socket
import subprocess
import time
import urllib.error
import urllib.request
import ssl

ROOT = pathlib.Path(__file__).resolve().parents[3]
CLI = ROOT / "packages" / "cli" / "dist" / "cli.js"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NereidServer:
    """Starts `nereid server` with its own data folder; `stop()` ends it and waits."""

    def __init__(self, data_dir: pathlib.Path, tls: tuple[str, str] | None = None, inactive_after_ms: int = 11_000):
        if not CLI.exists():
            raise RuntimeError(f"{CLI} is missing: run `npx tsc -b` in the repository first")
        self.data_dir = data_dir
        self.port = free_port()
        scheme = "https" if tls else "http"
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        self.workspace = "compat"
        self.project = f"{self.workspace}/main"
        self.token = subprocess.run(
            ["node", str(CLI), "admin", "bootstrap", "--workspace", self.workspace, "--project", "main",
             "--data", str(data_dir), "--public-url", self.url],
            check=True, capture_output=True, text=True, timeout=60,
        ).stdout.strip()
        args = ["node", str(CLI), "server", "--port", str(self.port), "--data", str(data_dir),
                "--public-url", self.url, "--log-level", "warn", "--inactive-after", str(inactive_after_ms)]
        if tls:
            args += ["--tls-cert", tls[0], "--tls-key", tls[1]]
        self.log_path = data_dir / "server.log"
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(args, stdout=self._log, stderr=subprocess.STDOUT)
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        context = ssl._create_unverified_context()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nereid server exited: {self.log_path.read_text()}")
            try:
                urllib.request.urlopen(f"{self.url}/api/v1/health", timeout=2, context=context)
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.1)
        raise RuntimeError(f"nereid server did not start in 30 s: {self.log_path.read_text()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
