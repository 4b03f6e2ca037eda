from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest

from nereid_server import NereidServer


@pytest.fixture(scope="session")
def nereid(tmp_path_factory):
    """One server for the session; the environment points the neptune client at it."""
    server = NereidServer(tmp_path_factory.mktemp("nereid-data"))
    saved = {key: os.environ.get(key) for key in ENV_KEYS}
    os.environ.update(
        OAUTHLIB_INSECURE_TRANSPORT="1",
        NEPTUNE_API_TOKEN=server.token,
        NEPTUNE_PROJECT=server.project,
    )
    for key in ("NEPTUNE_MODE", "NEPTUNE_CUSTOM_RUN_ID"):
        os.environ.pop(key, None)
    yield server
    server.stop()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


ENV_KEYS = ("OAUTHLIB_INSECURE_TRANSPORT", "NEPTUNE_API_TOKEN", "NEPTUNE_PROJECT", "NEPTUNE_MODE")


@pytest.fixture(autouse=True)
def in_temp_dir(tmp_path, monkeypatch):
    """Each test runs in its own folder, so the client's .neptune queues never mix."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def project(nereid):
    """A fresh project of its own (tables then hold exactly what the test logged)."""
    from neptune import management

    name = f"p{uuid.uuid4().hex[:10]}"
    management.create_project(name=f"{nereid.workspace}/{name}", visibility="priv")
    return f"{nereid.workspace}/{name}"


def run_python(code: str, env: dict | None = None, cwd=None, timeout=120) -> subprocess.CompletedProcess:
    """Runs a script with the venv's Python in a child process, as a user's script would run."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **(env or {})},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"script failed:\n{result.stdout}\n{result.stderr}"
    return result


def neptune_cli(*args: str, cwd=None, timeout=180) -> subprocess.CompletedProcess:
    """The real `neptune` command of the venv."""
    executable = os.path.join(os.path.dirname(sys.executable), "neptune")
    return subprocess.run(
        [executable, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=dict(os.environ)
    )
