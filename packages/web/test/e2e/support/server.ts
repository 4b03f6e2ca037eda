import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const CLI = fileURLToPath(new URL('../../../../cli/dist/cli.js', import.meta.url))
const WEB_BUILD = fileURLToPath(new URL('../../../dist/index.html', import.meta.url))

export interface TestServer {
  url: string
  /** An administrator's API token (from `nereid admin bootstrap`). */
  token: string
  dataDir: string
  output(): string
  stop(): Promise<void>
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/**
 * A real `nereid server` (the built CLI) on a free port of 127.0.0.1 with a fresh data folder,
 * workspace "team" and project "team/vision" made by `nereid admin bootstrap`.
 */
export async function startTestServer(): Promise<TestServer> {
  const { existsSync } = await import('node:fs')
  if (!existsSync(CLI)) throw new Error(`the CLI is not built (${CLI}): run "npm run build" first`)
  if (!existsSync(WEB_BUILD))
    throw new Error(`the web app is not built (${WEB_BUILD}): run "npm run build" first`)
  const dataDir = await mkdtemp(join(tmpdir(), 'nereid-web-e2e-'))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const { stdout } = await promisify(execFile)(process.execPath, [
    CLI,
    'admin',
    'bootstrap',
    '--workspace',
    'team',
    '--project',
    'vision',
    '--data',
    dataDir,
    '--public-url',
    url,
  ])
  const token = stdout.trim()
  const child: ChildProcess = spawn(
    process.execPath,
    [
      CLI,
      'server',
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--data',
      dataDir,
      '--public-url',
      url,
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const deadline = Date.now() + 30_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited during start:\n${output}`)
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`the server did not answer within 30 s:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return {
    url,
    token,
    dataDir,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
        await exited
        clearTimeout(timer)
      }
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}
