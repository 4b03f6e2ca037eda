"""`neptune.management`: projects, trash, workspace status."""

import uuid

import neptune
import pytest
from neptune import management
from neptune.management.exceptions import ProjectNotFound

QUIET = dict(capture_hardware_metrics=False, capture_stdout=False, capture_stderr=False, source_files=[])


def test_create_and_list_projects(nereid):
    name = f"{nereid.workspace}/m{uuid.uuid4().hex[:8]}"
    assert management.create_project(name=name, visibility="workspace") == name
    assert name in management.get_project_list()
    run = neptune.init_run(project=name, **QUIET)
    assert run["sys/id"].fetch().count("-") == 1
    run.stop()


def test_trash_delete_and_clear_trash(nereid, project):
    ids = []
    for _ in range(3):
        run = neptune.init_run(project=project, **QUIET)
        ids.append(run["sys/id"].fetch())
        run.stop()
    model = neptune.init_model(project=project, key="MOD")
    model_id = model["sys/id"].fetch()
    model.stop()
    version = neptune.init_model_version(project=project, model=model_id)
    version.stop()

    management.trash_objects(project=project, ids=[ids[0], ids[1], model_id])
    proj = neptune.init_project(project=project, mode="read-only")
    assert list(proj.fetch_runs_table().to_pandas()["sys/id"]) == [ids[2]]
    assert set(proj.fetch_runs_table(trashed=True).to_pandas()["sys/id"]) == {ids[0], ids[1]}
    assert len(proj.fetch_models_table().to_pandas()) == 0

    management.delete_objects_from_trash(project=project, ids=[ids[0]])
    assert set(proj.fetch_runs_table(trashed=None).to_pandas()["sys/id"]) == {ids[1], ids[2]}

    management.clear_trash(project=project)
    assert list(proj.fetch_runs_table(trashed=None).to_pandas()["sys/id"]) == [ids[2]]
    assert len(proj.fetch_models_table(trashed=None).to_pandas()) == 0
    proj.stop()


def test_delete_project_removes_it_with_its_runs(nereid, tmp_path):
    from neptune.exceptions import ProjectNotFound as ContainerProjectNotFound

    name = f"{nereid.workspace}/d{uuid.uuid4().hex[:8]}"
    management.create_project(name=name)
    weights = tmp_path / "weights.bin"
    weights.write_bytes(b"\x00" * 1024)
    run = neptune.init_run(project=name, **QUIET)
    run["params/lr"] = 0.1
    for loss in (3.0, 2.0, 1.0):
        run["train/loss"].append(loss)
    run["model"].upload(str(weights))
    run.stop()

    management.delete_project(project=name)

    assert name not in management.get_project_list()
    with pytest.raises(ContainerProjectNotFound):
        neptune.init_project(project=name, mode="read-only")
    # Deleting it again (a retried call) names the project that is not there.
    with pytest.raises(ProjectNotFound, match=name):
        management.delete_project(project=name)


def test_trash_in_an_unknown_project_is_project_not_found(nereid):
    with pytest.raises(ProjectNotFound):
        management.trash_objects(project=f"{nereid.workspace}/no-such-project", ids=["X-1"])


def test_workspace_status_reports_storage_used(nereid):
    status = management.get_workspace_status(workspace=nereid.workspace)
    assert status["storageBytesUsed"] > 0
    assert status["storageBytesAvailable"] >= 0 and status["storageBytesLimit"] >= 0


def native(nereid, method, path, body=None):
    """A call of Nereid's native API as the administrator (to set up people and accounts)."""
    import json
    import urllib.request

    request = urllib.request.Request(
        f"{nereid.url}/api/v1{path}",
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers={"Authorization": f"Bearer {nereid.token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def test_project_members_and_service_accounts(nereid, project):
    suffix = uuid.uuid4().hex[:6]
    person, account = f"person-{suffix}", f"robot-{suffix}"
    native(nereid, "POST", "/users", {"username": person})
    native(nereid, "PUT", f"/workspaces/{nereid.workspace}/members/{person}", {"role": "member"})
    native(nereid, "POST", f"/workspaces/{nereid.workspace}/service-accounts", {"name": account, "displayName": account})

    assert management.get_workspace_member_list(workspace=nereid.workspace)[person] == "member"
    assert account in management.get_workspace_service_account_list(workspace=nereid.workspace)

    management.add_project_member(project=project, username=person, role="contributor")
    management.add_project_service_account(project=project, service_account_name=account, role="viewer")
    assert management.get_project_member_list(project=project)[person] == "contributor"
    assert management.get_project_service_account_list(project=project) == {account: "viewer"}

    with pytest.raises(management.exceptions.UserAlreadyHasAccess):
        management.add_project_member(project=project, username=person, role="viewer")

    management.remove_project_member(project=project, username=person)
    management.remove_project_service_account(project=project, service_account_name=account)
    assert person not in management.get_project_member_list(project=project)
    assert management.get_project_service_account_list(project=project) == {}


def test_inviting_an_existing_member_is_a_conflict(nereid):
    from neptune.management.exceptions import UserAlreadyInvited, WorkspaceOrUserNotFound

    with pytest.raises(UserAlreadyInvited):
        management.invite_to_workspace(username="admin", workspace=nereid.workspace)
    with pytest.raises(WorkspaceOrUserNotFound):
        management.invite_to_workspace(username="nobody-here", workspace=nereid.workspace)
