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
