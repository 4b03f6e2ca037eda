"""`init_run` options and what the client captures by default."""

import subprocess
import sys
import textwrap

import neptune

from conftest import run_python

QUIET = dict(capture_hardware_metrics=False, capture_stdout=False, capture_stderr=False, source_files=[])


def test_name_description_and_tags_are_stored(nereid):
    run = neptune.init_run(name="baseline", description="first try", tags=["cnn", "small"], **QUIET)
    run_id = run["sys/id"].fetch()
    run.stop()
    run = neptune.init_run(with_id=run_id, mode="read-only")
    assert run["sys/name"].fetch() == "baseline"
    assert run["sys/description"].fetch() == "first try"
    assert run["sys/tags"].fetch() == {"cnn", "small"}
    run.stop()


def test_with_id_resumes_and_keeps_earlier_fields(nereid):
    run = neptune.init_run(name="kept name", **QUIET)
    run["loss"].append(1.0)
    run_id = run["sys/id"].fetch()
    run.stop()
    resumed = neptune.init_run(with_id=run_id, **QUIET)
    resumed["loss"].append(0.5)
    resumed.stop()
    run = neptune.init_run(with_id=run_id, mode="read-only")
    assert list(run["loss"].fetch_values()["value"]) == [1.0, 0.5]
    assert run["sys/name"].fetch() == "kept name"
    run.stop()


def test_two_processes_with_one_custom_run_id_write_one_run(nereid, project):
    script = textwrap.dedent(
        f"""
        import sys, neptune
        run = neptune.init_run(project={project!r}, custom_run_id="shared-job-1",
                               capture_hardware_metrics=False, source_files=[])
        run["workers/" + sys.argv[1]] = int(sys.argv[1])
        run.stop()
        """
    )
    workers = [subprocess.Popen([sys.executable, "-c", script, str(i)]) for i in (1, 2)]
    assert [worker.wait(timeout=120) for worker in workers] == [0, 0]
    table = neptune.init_project(project=project, mode="read-only").fetch_runs_table().to_pandas()
    assert len(table) == 1
    assert table["sys/custom_run_id"][0] == "shared-job-1"
    assert table["workers/1"][0] == 1 and table["workers/2"][0] == 2


def test_default_captures_monitoring_stdout_source_and_git(nereid, in_temp_dir):
    subprocess.run(["git", "init", "-q"], cwd=in_temp_dir, check=True)
    (in_temp_dir / "train.py").write_text(
        textwrap.dedent(
            """
            import sys
            import neptune
            run = neptune.init_run()
            print("hello from training")
            print("a warning from training", file=sys.stderr)
            run["done"] = True
            print(run["sys/id"].fetch())
            run.stop()
            """
        )
    )
    env = dict(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@localhost", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@localhost")
    subprocess.run(["git", "add", "train.py"], cwd=in_temp_dir, check=True)
    subprocess.run(["git", "commit", "-q", "-m", "init"], cwd=in_temp_dir, check=True, env={**env, "PATH": "/usr/bin:/bin"})
    result = subprocess.run([sys.executable, "train.py"], cwd=in_temp_dir, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    run_id = [line for line in result.stdout.splitlines() if "-" in line and " " not in line][-1]

    run = neptune.init_run(with_id=run_id, mode="read-only")
    structure = run.get_structure()
    monitoring = next(iter(structure["monitoring"].values()))
    assert {"hostname", "pid", "tid", "stdout", "stderr", "cpu", "memory"} <= set(monitoring)
    namespace = "monitoring/" + next(iter(structure["monitoring"]))
    assert "hello from training" in "".join(run[f"{namespace}/stdout"].fetch_values()["value"])
    assert "a warning from training" in "".join(run[f"{namespace}/stderr"].fetch_values()["value"])
    assert run["source_code/entrypoint"].fetch() == "train.py"
    assert run.exists("source_code/files") and run.exists("source_code/git")
    assert run["sys/failed"].fetch() is False
    assert run["sys/hostname"].fetch()
    run.stop()
