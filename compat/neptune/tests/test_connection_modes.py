"""Every connection mode of the client against a real Nereid server."""

import os
import re

import neptune
import pytest

from conftest import neptune_cli, run_python

QUIET = dict(capture_hardware_metrics=False, capture_stdout=False, capture_stderr=False, source_files=[])


def test_async_mode_sends_in_the_background_and_reads_back(nereid):
    run = neptune.init_run(name="async", **QUIET)
    run["params/lr"] = 0.01
    for value in (0.5, 0.25, 0.125):
        run["train/loss"].append(value)
    run_id = run["sys/id"].fetch()
    run.stop()

    again = neptune.init_run(with_id=run_id, mode="read-only")
    assert again["params/lr"].fetch() == 0.01
    assert list(again["train/loss"].fetch_values()["value"]) == [0.5, 0.25, 0.125]
    again.stop()


def test_sync_mode_applies_each_call_before_returning(nereid):
    run = neptune.init_run(mode="sync", **QUIET)
    run["score"] = 3
    reader = neptune.init_run(with_id=run["sys/id"].fetch(), mode="read-only")
    assert reader["score"].fetch() == 3
    reader.stop()
    run.stop()


def test_read_only_mode_reads_and_leaves_the_run_unchanged(nereid):
    run = neptune.init_run(**QUIET)
    run["kept"] = "yes"
    run_id = run["sys/id"].fetch()
    run.stop()

    reader = neptune.init_run(with_id=run_id, mode="read-only")
    assert reader["kept"].fetch() == "yes"
    reader["dropped"] = 1
    reader.stop()

    check = neptune.init_run(with_id=run_id, mode="read-only")
    assert not check.exists("dropped")
    check.stop()


def test_debug_mode_sends_nothing(nereid, project):
    run = neptune.init_run(project=project, mode="debug", **QUIET)
    run["x"] = 1
    run.stop()
    table = neptune.init_project(project=project, mode="read-only").fetch_runs_table().to_pandas()
    assert len(table) == 0


def test_offline_run_is_uploaded_by_neptune_sync(nereid, project, in_temp_dir):
    run_python(
        "import neptune\n"
        f"run = neptune.init_run(project={project!r}, mode='offline', name='offline run',"
        " capture_hardware_metrics=False, source_files=[])\n"
        "run['note'] = 'written offline'\n"
        "for i in range(3): run['metric'].append(i * 1.5)\n"
        "run['blob'].upload(neptune.types.File.from_content(b'offline bytes', extension='bin'))\n"
        "run.stop()\n",
        cwd=in_temp_dir,
    )
    result = neptune_cli("sync", "-p", project, cwd=in_temp_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    match = re.search(rf"{re.escape(project)}/([\w-]+)", result.stdout)
    assert match, result.stdout

    run = neptune.init_run(project=project, with_id=match.group(1), mode="read-only")
    assert run["note"].fetch() == "written offline"
    assert run["sys/name"].fetch() == "offline run"
    assert list(run["metric"].fetch_values()["value"]) == [0.0, 1.5, 3.0]
    run["blob"].download("blob.bin")
    with open("blob.bin", "rb") as file:
        assert file.read() == b"offline bytes"
    run.stop()
    assert not os.path.exists(os.path.join(in_temp_dir, ".neptune", "offline")) or not os.listdir(
        os.path.join(in_temp_dir, ".neptune", "offline")
    )
