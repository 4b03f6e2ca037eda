"""Errors the client shows clearly."""

import base64
import json
import os
import subprocess
import sys
import urllib.request

import neptune
import pytest
from neptune.common.exceptions import Unauthorized
from neptune.exceptions import (
    MetadataInconsistency,
    NeptuneInvalidApiTokenException,
    NeptuneLimitExceedException,
    ProjectNotFound,
)

QUIET = dict(capture_hardware_metrics=False, capture_stdout=False, capture_stderr=False, source_files=[])


def test_a_token_the_server_never_issued_is_an_invalid_api_token(nereid):
    forged = base64.b64encode(
        json.dumps({"api_address": nereid.url, "api_url": nereid.url, "api_key": "forged"}).encode()
    ).decode()
    with pytest.raises(NeptuneInvalidApiTokenException):
        neptune.init_run(api_token=forged, **QUIET)


def test_a_revoked_token_is_an_invalid_api_token(nereid):
    def call(method, path, body=None):
        request = urllib.request.Request(
            f"{nereid.url}/api/v1{path}",
            data=None if body is None else json.dumps(body).encode(),
            method=method,
            headers={"Authorization": f"Bearer {nereid.token}"},
        )
        if body is not None:
            request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request) as response:
            return json.load(response)

    minted = call("POST", "/tokens", {"name": "soon revoked"})
    run = neptune.init_run(api_token=minted["token"], mode="sync", **QUIET)
    run["works"] = True
    run.stop()
    call("DELETE", f"/tokens/{minted['record']['id']}")
    # This process still holds a session of the token: it is refused at once.
    with pytest.raises(Unauthorized):
        neptune.init_run(api_token=minted["token"], **QUIET)
    # A new process cannot even exchange it.
    result = subprocess.run(
        [sys.executable, "-c", "import neptune; neptune.init_run(source_files=[])"],
        env={**os.environ, "NEPTUNE_API_TOKEN": minted["token"]},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "NeptuneInvalidApiTokenException" in result.stdout + result.stderr


def test_an_unknown_project_lists_the_projects_the_token_can_see(nereid, capsys):
    with pytest.raises(ProjectNotFound) as raised:
        neptune.init_run(project=f"{nereid.workspace}/missing", **QUIET)
    assert nereid.project in str(raised.value)


def test_a_field_type_conflict_known_to_the_client_is_refused_before_sending(nereid):
    run = neptune.init_run(**QUIET)
    run["value"] = 1.5
    run.wait()
    other = neptune.init_run(with_id=run["sys/id"].fetch(), mode="sync", **QUIET)
    # The second handle learns the field's type from the server, so the client itself refuses.
    with pytest.raises((ValueError, TypeError, MetadataInconsistency)):
        other["value"] = "text"
    other.stop()
    run.stop()


def test_a_field_type_conflict_found_by_the_server_is_metadata_inconsistency(nereid):
    first = neptune.init_run(mode="sync", **QUIET)
    run_id = first["sys/id"].fetch()
    # Both handles open before the field exists, so only the server can see the conflict.
    second = neptune.init_run(with_id=run_id, mode="sync", **QUIET)
    late = neptune.init_run(with_id=run_id, mode="async", **QUIET)
    first["value"] = 1.5
    with pytest.raises(MetadataInconsistency, match="value"):
        second["value"] = "text"
    # In async mode the refused operation is reported and the rest of the batch is stored.
    late["value"] = "also text"
    late["after"] = 7
    late.stop()
    second.stop()
    first.stop()

    reader = neptune.init_run(with_id=run_id, mode="read-only")
    assert reader["value"].fetch() == 1.5
    assert reader["after"].fetch() == 7
    reader.stop()


def test_a_project_over_its_storage_limit_gets_the_limit_error(nereid, project):
    workspace, name = project.split("/")
    request = urllib.request.Request(
        f"{nereid.url}/api/v1/projects/{workspace}/{name}",
        data=json.dumps({"storageLimitBytes": 1}).encode(),
        method="PATCH",
        headers={"Authorization": f"Bearer {nereid.token}", "Content-Type": "application/json"},
    )
    urllib.request.urlopen(request).read()
    with pytest.raises(NeptuneLimitExceedException, match="storage"):
        run = neptune.init_run(project=project, mode="sync", **QUIET)
        run["big"] = "x" * 1000
