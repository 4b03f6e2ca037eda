"""Every kind of field the client writes, read back through the server."""

from datetime import datetime, timezone

import neptune
import pytest
from neptune.exceptions import MetadataInconsistency
from neptune.utils import stringify_unsupported

QUIET = dict(capture_hardware_metrics=False, capture_stdout=False, capture_stderr=False, source_files=[])


def reopen(run):
    run_id = run["sys/id"].fetch()
    run.stop()
    return neptune.init_run(with_id=run_id, mode="read-only")


def test_atoms_keep_their_types_and_values(nereid):
    run = neptune.init_run(**QUIET)
    moment = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=timezone.utc)
    run["a/float"] = 0.1 + 0.2
    run["a/int"] = 42
    run["a/bool"] = False
    run["a/string"] = "żółw"
    run["a/datetime"] = moment
    run = reopen(run)
    assert run["a/float"].fetch() == 0.1 + 0.2
    assert run["a/int"].fetch() == 42 and isinstance(run["a/int"].fetch(), int)
    assert run["a/bool"].fetch() is False
    assert run["a/string"].fetch() == "żółw"
    assert run["a/datetime"].fetch() == moment.replace(microsecond=123000)
    run.stop()


def test_dicts_become_namespaces_and_unsupported_values_strings(nereid):
    run = neptune.init_run(**QUIET)
    run["params"] = {"optimizer": {"name": "adam", "lr": 1e-3}, "layers": 3}
    run["extra"] = stringify_unsupported({"shape": (3, 4), "classes": ["a", "b"]})
    run = reopen(run)
    assert run["params"].fetch() == {"optimizer": {"name": "adam", "lr": 1e-3}, "layers": 3}
    assert run["extra/shape"].fetch() == "(3, 4)"
    assert run["extra/classes"].fetch() == "['a', 'b']"
    run.stop()


def test_series_with_and_without_steps_and_timestamps(nereid):
    run = neptune.init_run(**QUIET)
    run["auto"].extend([1.0, 2.0, 3.0])
    run["stepped"].append(10.0, step=5)
    run["stepped"].append(20.0, step=7.5, timestamp=1_700_000_000.25)
    run["text"].append("first")
    run["text"].append("second", step=3)
    run = reopen(run)
    auto = run["auto"].fetch_values()
    assert list(auto["step"]) == [0.0, 1.0, 2.0]
    stepped = run["stepped"].fetch_values()
    assert list(stepped["step"]) == [5.0, 7.5]
    assert stepped["timestamp"].iloc[1] == datetime.fromtimestamp(1_700_000_000.25)
    assert run["stepped"].fetch_last() == 20.0
    text = run["text"].fetch_values()
    assert list(text["value"]) == ["first", "second"] and list(text["step"]) == [0.0, 3.0]
    assert run["text"].fetch_last() == "second"
    run.stop()


def test_a_step_lower_than_the_last_is_refused_in_sync_mode(nereid):
    run = neptune.init_run(mode="sync", **QUIET)
    run["loss"].append(1.0, step=2)
    with pytest.raises(MetadataInconsistency, match="step"):
        run["loss"].append(2.0, step=1)
    run.stop()


def test_delete_and_pop_remove_fields(nereid):
    run = neptune.init_run(**QUIET)
    run["gone"] = 1
    run["ns/a"] = 1
    run["ns/b"] = 2
    run["stays"] = 3
    run.wait()
    del run["gone"]
    run.pop("ns")
    run = reopen(run)
    assert not run.exists("gone")
    assert not run.exists("ns/a") and not run.exists("ns/b")
    assert run["stays"].fetch() == 3
    run.stop()


def test_tags_and_group_tags_are_string_sets(nereid):
    run = neptune.init_run(tags=["a", "b"], **QUIET)
    run["sys/tags"].add("c")
    run["sys/tags"].remove("a")
    run["sys/group_tags"].add(["g1", "g2"])
    run = reopen(run)
    assert run["sys/tags"].fetch() == {"b", "c"}
    assert run["sys/group_tags"].fetch() == {"g1", "g2"}
    run.stop()
