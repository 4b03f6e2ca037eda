import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type TestBrowser } from './support/browser.js'
import { startTestServer, type TestServer } from './support/server.js'

const PERSON = { username: 'olga', password: 'a long enough password' }

/** Deleting a project from its settings page, in Chromium against a real server. */
describe('project deletion in the web app', () => {
  let server: TestServer
  let browser: TestBrowser
  let page: Page
  const errors: string[] = []

  async function api(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  }

  beforeAll(async () => {
    server = await startTestServer()
    for (const [method, path, body] of [
      ['POST', '/users', { ...PERSON, displayName: 'Olga' }],
      ['PUT', `/workspaces/team/members/${PERSON.username}`, { role: 'admin' }],
      ['POST', '/workspaces/team/projects', { name: 'scratch', key: 'SCR' }],
      ['POST', '/projects/team/scratch/objects', { kind: 'run' }],
    ] as const) {
      const response = await api(method, path, body)
      if (!response.ok) throw new Error(`${method} ${path} failed: ${await response.text()}`)
    }
    browser = await launchBrowser()
    page = await browser.context.newPage()
    page.setDefaultTimeout(15_000)
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(`${server.url}/`)
    await page.getByLabel('Username').fill(PERSON.username)
    await page.getByLabel('Password').fill(PERSON.password)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByRole('heading', { name: 'Projects in team' }).waitFor()
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('deletes only once the project name is typed, then shows the projects list', async () => {
    await page.goto(`${server.url}/team/scratch/settings`)
    await page.getByRole('button', { name: 'Delete project' }).click()
    const confirm = page.getByRole('button', { name: 'Delete this project' })
    expect(await confirm.isDisabled()).toBe(true)
    await page.getByLabel('Type scratch to confirm').fill('scratc')
    expect(await confirm.isDisabled()).toBe(true)
    await page.getByLabel('Type scratch to confirm').fill('scratch')
    expect(await confirm.isDisabled()).toBe(false)
    await confirm.click()

    await page.getByRole('heading', { name: 'Projects in team' }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/team')
    await expect.poll(() => page.getByRole('link', { name: 'scratch' }).count()).toBe(0)
    expect(await page.getByRole('link', { name: 'vision' }).count()).toBeGreaterThan(0)
    expect((await api('GET', '/projects/team/scratch')).status).toBe(404)
    expect(errors).toEqual([])
  })

  it('leaves the project alone when the confirmation is cancelled', async () => {
    await page.goto(`${server.url}/team/vision/settings`)
    await page.getByRole('button', { name: 'Delete project' }).click()
    await page.getByLabel('Type vision to confirm').fill('vision')
    await page.getByRole('button', { name: 'Cancel' }).click()
    await page.getByRole('button', { name: 'Delete project' }).waitFor()
    expect((await api('GET', '/projects/team/vision')).status).toBe(200)
  })
})
