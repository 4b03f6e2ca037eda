"""Reading back: tables with NQL, models and versions, the project object, run state."""

import time
from datetime import datetime

import neptune
import pytest

QUIET = dict(capture_hardware_metrics=False, capture_stdout=False, capture_stderr=False, source_files=[])


def make_runs(project):
    ids = []
    for i, (accuracy, tag) in enumerate([(0.5, "a"), (0.9, "b"), (0.7, "b")]):
        run = neptune.init_run(project=project, name=f"run {i}", tags=[tag], **QUIET)
        run["accuracy"] = accuracy
        run["label"] = f"label-{i}"
        run["loss"].extend([1.0, 0.5 - i / 10])
        ids.append(run["sys/id"].fetch())
        run.stop()
    return ids


def test_runs_table_filters_sorts_pages_and_picks_columns(nereid, project):
    ids = make_runs(project)
    proj = neptune.init_project(project=project, mode="read-only")

    everything = proj.fetch_runs_table().to_pandas()
    assert list(everything["sys/id"]) == ids[::-1]  # newest first
    assert isinstance(everything["sys/creation_time"][0], datetime)

    table = proj.fetch_runs_table(
        query="(accuracy: float > 0.6) AND (`sys/tags`:stringSet CONTAINS \"b\")",
        columns=["accuracy", "loss"],
        sort_by="accuracy",
        ascending=True,
    ).to_pandas()
    assert list(table["sys/id"]) == [ids[2], ids[1]]
    assert set(table.columns) == {"sys/id", "accuracy", "loss"}
    assert list(table["loss"]) == [pytest.approx(0.3), pytest.approx(0.4)]

    assert len(proj.fetch_runs_table(limit=1).to_pandas()) == 1
    assert list(proj.fetch_runs_table(tag="a").to_pandas()["sys/id"]) == [ids[0]]
    by_label = proj.fetch_runs_table(sort_by="label", ascending=False, columns=["label"]).to_pandas()
    assert list(by_label["label"]) == ["label-2", "label-1", "label-0"]
    proj.stop()


def test_models_versions_and_stages(nereid, project):
    model = neptune.init_model(project=project, key="CLS", name="classifier")
    model_id = model["sys/id"].fetch()
    model.stop()
    versions = []
    for i in range(2):
        version = neptune.init_model_version(project=project, model=model_id)
        version["score"] = i
        versions.append(version["sys/id"].fetch())
        if i == 1:
            version.change_stage("staging")
        version.stop()
    assert versions == [f"{model_id}-1", f"{model_id}-2"]

    proj = neptune.init_project(project=project, mode="read-only")
    models = proj.fetch_models_table().to_pandas()
    assert list(models["sys/id"]) == [model_id]
    proj.stop()

    model = neptune.init_model(project=project, with_id=model_id, mode="read-only")
    table = model.fetch_model_versions_table(columns=["sys/stage", "score"]).to_pandas()
    assert dict(zip(table["sys/id"], table["sys/stage"])) == {versions[0]: "none", versions[1]: "staging"}
    model.stop()

    version = neptune.init_model_version(project=project, with_id=versions[1], mode="read-only")
    assert version["sys/model_id"].fetch() == model_id
    assert version["sys/stage"].fetch() == "staging"
    version.stop()


def test_project_object_reads_and_writes(nereid, project):
    proj = neptune.init_project(project=project)
    proj["dataset/version"] = "v2"
    proj["general/notes"].append("first note")
    proj.stop()
    proj = neptune.init_project(project=project, mode="read-only")
    assert proj["dataset/version"].fetch() == "v2"
    assert set(proj.get_structure()["sys"]) == {
        "creation_time", "id", "modification_time", "monitoring_time", "name", "ping_time",
        "running_time", "size", "state", "tags", "visibility", "group_tags",
    }
    proj.stop()


def test_sys_fields_and_state_turning_inactive_after_stop(nereid, project):
    # The client pings every 10 s; the test server calls a run inactive 11 s after its last ping.
    run = neptune.init_run(project=project, **QUIET)
    run_id = run["sys/id"].fetch()
    assert run["sys/owner"].fetch() == "admin"
    assert isinstance(run["sys/creation_time"].fetch(), datetime)
    proj = neptune.init_project(project=project, mode="read-only")
    running = proj.fetch_runs_table(state="active").to_pandas()
    assert list(running["sys/id"]) == [run_id]
    run.stop()
    deadline = time.monotonic() + 45
    while time.monotonic() < deadline:
        idle = proj.fetch_runs_table(query="(sys/state: experimentState = idle)").to_pandas()
        if not idle.empty and list(idle["sys/id"]) == [run_id]:
            break
        time.sleep(0.5)
    assert list(proj.fetch_runs_table(state="inactive").to_pandas()["sys/id"]) == [run_id]
    proj.stop()


RUN_SYS = {
    "creation_time", "description", "failed", "hostname", "id", "modification_time", "monitoring_time",
    "name", "owner", "ping_time", "running_time", "size", "state", "tags", "group_tags", "trashed",
}


def test_sys_fields_of_runs_models_and_versions_are_what_the_client_expects(nereid, project):
    run = neptune.init_run(project=project, custom_run_id="sys-check", capture_hardware_metrics=False,
                           source_files=[])
    run.wait()
    model = neptune.init_model(project=project, key="SYS")
    version = neptune.init_model_version(project=project, model=model["sys/id"].fetch())
    version.wait()

    # A namespace's fetch() returns its atoms only (the client's rule), so keys come from the structure.
    assert RUN_SYS | {"custom_run_id"} <= set(run.get_structure()["sys"])
    assert run["sys/tags"].fetch() == set() and run["sys/group_tags"].fetch() == set()
    run_sys = run["sys"].fetch()
    assert run_sys["custom_run_id"] == "sys-check"
    assert run_sys["state"] == "running"
    assert run_sys["failed"] is False and run_sys["trashed"] is False
    assert all(isinstance(run_sys[key], datetime) for key in ("creation_time", "modification_time", "ping_time"))
    assert isinstance(run_sys["running_time"], float) and isinstance(run_sys["monitoring_time"], int)
    assert isinstance(run_sys["size"], float) and run_sys["size"] > 0

    model_sys = model["sys"].fetch()
    assert {"id", "name", "owner", "creation_time", "modification_time", "state", "trashed"} <= set(model_sys)
    assert model_sys["id"].endswith("-SYS")
    version_sys = version["sys"].fetch()
    assert version_sys["model_id"] == model_sys["id"] and version_sys["stage"] == "none"
    assert version_sys["id"] == f"{model_sys['id']}-1"
    for container in (version, model, run):
        container.stop()


def test_tables_page_past_the_offset_limit_with_searching_after(nereid, project, monkeypatch):
    # Beyond 10,000 rows the client stops using offsets and asks for the rows after the last one
    # it has, through an NQL condition on the sort column. Lowered limits take the same path here.
    # The 1.x client always asks for `>` there, which is right for ascending sorts only (see
    # docs/neptune.md), so those are what this checks.
    from neptune.api import searching_entries

    ids = make_runs(project)
    monkeypatch.setitem(searching_entries.iter_over_pages.__kwdefaults__, "max_offset", 2)
    monkeypatch.setenv("NEPTUNE_FETCH_TABLE_STEP_SIZE", "1")
    proj = neptune.init_project(project=project, mode="read-only")
    by_time = proj.fetch_runs_table(sort_by="sys/creation_time", ascending=True).to_pandas()
    assert list(by_time["sys/id"]) == ids
    by_accuracy = proj.fetch_runs_table(sort_by="accuracy", ascending=True, columns=["accuracy"]).to_pandas()
    assert list(by_accuracy["accuracy"]) == [0.5, 0.7, 0.9]
    by_label = proj.fetch_runs_table(sort_by="label", ascending=True, columns=["label"]).to_pandas()
    assert list(by_label["label"]) == ["label-0", "label-1", "label-2"]
    proj.stop()
