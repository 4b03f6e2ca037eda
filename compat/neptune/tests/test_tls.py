"""HTTPS: `nereid server --tls-cert --tls-key` with a self-signed certificate."""

import os
import subprocess
import sys

import pytest

from nereid_server import NereidServer


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    cert, key = str(folder / "cert.pem"), str(folder / "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert],
        check=True, capture_output=True,
    )
    data = folder / "data"
    data.mkdir()
    server = NereidServer(data, tls=(cert, key))
    yield server
    server.stop()


def test_the_client_logs_over_https_with_a_self_signed_certificate(tls_server, in_temp_dir):
    env = {
        "NEPTUNE_API_TOKEN": tls_server.token,
        "NEPTUNE_PROJECT": tls_server.project,
        "NEPTUNE_ALLOW_SELF_SIGNED_CERTIFICATE": "1",
    }
    environment = {k: v for k, v in os.environ.items() if k != "OAUTHLIB_INSECURE_TRANSPORT"}
    result = subprocess.run(
        [sys.executable, "-c",
         "import neptune\n"
         "run = neptune.init_run(capture_hardware_metrics=False, source_files=[])\n"
         "run['secure'] = True\n"
         "run_id = run['sys/id'].fetch()\n"
         "run.stop()\n"
         "print(neptune.init_run(with_id=run_id, mode='read-only')['secure'].fetch())\n"],
        env={**environment, **env},
        cwd=in_temp_dir, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "True" in result.stdout.splitlines()


def test_the_server_tells_python_users_what_to_set(nereid, tls_server):
    assert "OAUTHLIB_INSECURE_TRANSPORT=1" in nereid.log_path.read_text()
    assert "NEPTUNE_ALLOW_SELF_SIGNED_CERTIFICATE=1" in tls_server.log_path.read_text()
