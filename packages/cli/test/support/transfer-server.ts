import { execFile, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { expect } from 'vitest'
import { CLI, runCli, startServerProcess, type ServerProcess } from './server-process.js'
import { transferPython } from '../fixtures/python-venv.js'

/**
 * What the import and export tests share: a real server in a child process with an
 * administrator's token, the built CLI run against it, and reads through the native API and
 * through the real `neptune` client.
 */

export interface Server {
  process: ServerProcess
  token: string
  dir: string
  get<T = Record<string, unknown>>(path: string): Promise<T>
  send<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>
  cli(args: string[]): Promise<{ stdout: string; stderr: string }>
  stop(): Promise<void>
}

export type Field = { path: string; type: string; value: Record<string, unknown> }
export type Summary = {
  objects: number
  alreadyDone: number
  fields: number
  points: number
  files: number
  bytes: number
  skipped: { where: string; reason: string }[]
}

export async function startServer(workspace: string, project?: string): Promise<Server> {
  const dir = await mkdtemp(join(tmpdir(), 'nereid-transfer-'))
  const process = await startServerProcess(dir)
  const { stdout } = await runCli([
    'admin',
    'bootstrap',
    '--workspace',
    workspace,
    ...(project ? ['--project', project] : []),
    '--data',
    dir,
    '--public-url',
    process.url,
  ])
  const token = stdout.trim()
  const send = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${process.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await response.text()
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`)
    return JSON.parse(text) as T
  }
  return {
    process,
    token,
    dir,
    get: (path) => send('GET', path),
    send,
    cli: (args) => runCli([...args, '--url', process.url, '--token', token, '--json']),
    async stop() {
      process.child.kill('SIGTERM')
      await process.exited
      await rm(dir, { recursive: true, force: true })
    },
  }
}

export const fieldsOf = async (server: Server, project: string, object: string) =>
  (await server.get<{ fields: Field[] }>(`/api/v1/projects/${project}/objects/${object}/fields`))
    .fields
export const valueOf = (fields: Field[], path: string) => fields.find((f) => f.path === path)?.value
export const sha256 = (bytes: ArrayBuffer | Uint8Array) =>
  createHash('sha256')
    .update(bytes instanceof Uint8Array ? bytes : Buffer.from(bytes))
    .digest('hex')

export async function download(server: Server, project: string, object: string, query: string) {
  const response = await fetch(
    `${server.process.url}/api/v1/projects/${project}/objects/${object}/files?${query}`,
    { headers: { authorization: `Bearer ${server.token}` } },
  )
  expect(response.status).toBe(200)
  return response.arrayBuffer()
}

/** Finds one object by an NQL query; fails the test unless exactly one matches. */
export async function findOne(server: Server, project: string, query: string): Promise<string> {
  const found = await server.send<{ rows: { object: { shortId: string } }[] }>(
    'POST',
    `/api/v1/projects/${project}/search`,
    { query },
  )
  expect(found.rows).toHaveLength(1)
  return found.rows[0]!.object.shortId
}

/** What the real `neptune` client read from a run opened with `with_id`, read-only. */
export interface NeptuneRead {
  atoms: Record<string, unknown>
  series: Record<string, { steps: unknown[]; values: unknown[]; timestamps: number[] }>
  /** sha256 of each downloaded file. */
  files: Record<string, string>
  /** The names in the zip each file set downloads as. */
  fileSets: Record<string, string[]>
}

// Non-finite floats come back as the strings "nan", "inf", "-inf"; sets as sorted lists;
// datetimes as ISO strings.
const READ_WITH_NEPTUNE = `
import hashlib, json, math, os, sys, tempfile, zipfile
import neptune

spec = json.loads(sys.argv[1])

def clean(v):
    if isinstance(v, float) and not math.isfinite(v):
        return str(v)
    if isinstance(v, (set, frozenset)):
        return sorted(v)
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v

init = neptune.init_model_version if spec.get("kind") == "modelVersion" else neptune.init_run
run = init(with_id=spec["id"], project=spec["project"], mode="read-only")
out = {"atoms": {}, "series": {}, "files": {}, "fileSets": {}}
for path in spec.get("atoms", []):
    out["atoms"][path] = clean(run[path].fetch())
for path in spec.get("series", []):
    frame = run[path].fetch_values(include_timestamp=True, progress_bar=False)
    out["series"][path] = {
        "steps": [clean(float(s)) for s in frame["step"].tolist()],
        "values": [clean(v) for v in frame["value"].tolist()],
        "timestamps": [int(t.timestamp() * 1000) for t in frame["timestamp"]],
    }
for path in spec.get("files", []):
    folder = tempfile.mkdtemp()
    run[path].download(destination=folder, progress_bar=False)
    names = os.listdir(folder)
    with open(os.path.join(folder, names[0]), "rb") as f:
        out["files"][path] = hashlib.sha256(f.read()).hexdigest()
for path in spec.get("fileSets", []):
    folder = tempfile.mkdtemp()
    run[path].download(destination=folder, progress_bar=False)
    names = os.listdir(folder)
    with zipfile.ZipFile(os.path.join(folder, names[0])) as z:
        out["fileSets"][path] = sorted(n for n in z.namelist() if not n.endswith("/"))
run.stop()
print("NEPTUNE-READ " + json.dumps(out))
`

/** Opens an object with the real neptune 1.x client, read-only, and reads what `spec` names. */
export async function readWithNeptune(
  server: Server,
  spec: {
    project: string
    id: string
    kind?: 'run' | 'modelVersion'
    atoms?: string[]
    series?: string[]
    files?: string[]
    fileSets?: string[]
  },
): Promise<NeptuneRead> {
  const work = await mkdtemp(join(tmpdir(), 'nereid-neptune-read-'))
  try {
    const { stdout } = await promisify(execFile)(
      transferPython(),
      ['-c', READ_WITH_NEPTUNE, JSON.stringify(spec)],
      {
        cwd: work,
        env: {
          ...process.env,
          NEPTUNE_API_TOKEN: server.token,
          OAUTHLIB_INSECURE_TRANSPORT: '1',
          NEPTUNE_MODE: '',
        },
        timeout: 120_000,
        maxBuffer: 64 * 1024 * 1024,
      },
    )
    const line = stdout.split('\n').find((l) => l.startsWith('NEPTUNE-READ '))
    if (!line) throw new Error(`the neptune client printed no result:\n${stdout}`)
    return JSON.parse(line.slice('NEPTUNE-READ '.length)) as NeptuneRead
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

/**
 * Starts the built CLI against `server` in a child process and kills it (SIGKILL, no chance to
 * clean up) as soon as `midway()` says the server holds part of what it sends: an import or
 * export interrupted the hard way. Resolves with whether it was killed before it finished.
 */
export async function killMidway(
  server: Server,
  args: string[],
  midway: () => Promise<boolean>,
): Promise<{ killed: boolean; output: string }> {
  const child = spawn(
    process.execPath,
    [CLI, ...args, '--url', server.process.url, '--token', server.token],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  let exited = false
  const done = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true
      resolve()
    }),
  )
  let killed = false
  while (!exited) {
    if (await midway()) {
      killed = child.kill('SIGKILL')
      break
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  await done
  return { killed: killed && !/objects written/.test(output), output }
}
