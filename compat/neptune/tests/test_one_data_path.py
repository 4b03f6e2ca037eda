"""One data path: what the TypeScript SDK writes, the neptune client reads, and the reverse."""

import json
import subprocess
import urllib.request

import neptune

from nereid_server import ROOT

SDK_SCRIPT = """
import { initRun } from '@nereid/client'
const run = await initRun({ name: 'from typescript', tags: ['ts'], capture: false, quiet: true })
run.field('params/lr').assign(0.25)
run.field('train/loss').extend([0.9, 0.4])
run.field('note').assign('hello from the SDK')
await run.stop()
console.log(run.id)
"""


def test_a_run_logged_by_the_typescript_sdk_reads_back_in_python(nereid, in_temp_dir):
    result = subprocess.run(
        ["node", "--input-type=module", "-e", SDK_SCRIPT],
        cwd=ROOT,
        env={
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "NEREID_API_TOKEN": nereid.token,
            "NEREID_PROJECT": nereid.project,
            "NEREID_DATA_DIRECTORY": str(in_temp_dir / ".nereid"),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    run_id = result.stdout.strip().splitlines()[-1]

    run = neptune.init_run(with_id=run_id, mode="read-only")
    assert run["sys/name"].fetch() == "from typescript"
    assert run["sys/tags"].fetch() == {"ts"}
    assert run["params/lr"].fetch() == 0.25
    assert run["note"].fetch() == "hello from the SDK"
    assert list(run["train/loss"].fetch_values()["value"]) == [0.9, 0.4]
    run.stop()


def test_a_run_logged_from_python_is_complete_through_the_native_api(nereid):
    run = neptune.init_run(name="from python", capture_hardware_metrics=False, source_files=[])
    run["params/batch"] = 64
    run["train/acc"].extend([0.5, 0.75])
    run_id = run["sys/id"].fetch()
    run.stop()

    workspace, project = nereid.project.split("/")
    request = urllib.request.Request(
        f"{nereid.url}/api/v1/projects/{workspace}/{project}/objects/{run_id}/fields",
        headers={"Authorization": f"Bearer {nereid.token}"},
    )
    fields = {field["path"]: field for field in json.load(urllib.request.urlopen(request))["fields"]}
    assert fields["params/batch"]["type"] == "int"
    assert fields["sys/name"]["value"]["value"] == "from python"
    assert fields["train/acc"]["type"] == "floatSeries"
    assert fields["train/acc"]["value"]["last"] == 0.75
