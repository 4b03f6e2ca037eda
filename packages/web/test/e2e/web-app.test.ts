import { mkdir, readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type TestBrowser } from './support/browser.js'
import { logFixture, type Fixture } from './support/fixture.js'
import { startTestServer, type TestServer } from './support/server.js'

/** Screenshots of every page, for a person to look at (git-ignored). */
const SHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url))

/**
 * The web app end to end: a real server (the built CLI) with data logged through the SDK over
 * HTTP, driven in Debian's Chromium. The steps run in order and share one signed-in browser.
 */
describe('web app in Chromium', () => {
  let server: TestServer
  let browser: TestBrowser
  let fixture: Fixture
  let page: Page
  const errors: string[] = []
  let savedViewId = ''

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true })
    server = await startTestServer()
    fixture = await logFixture(server.url, server.token)
    browser = await launchBrowser()
    page = await browser.context.newPage()
    page.setDefaultTimeout(15_000)
    page.on('pageerror', (error) => errors.push(error.message))
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  const shot = (name: string) => page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true })
  const runsUrl = () => `${server.url}/team/vision`
  const rowOf = (shortId: string) => page.locator(`.grid-row[data-run="${shortId}"]`)
  const visibleRuns = async () =>
    page
      .locator('.grid-row[data-run]')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-run')))

  it('signs in with a password (session cookie) and lists the projects', async () => {
    await page.goto(`${server.url}/`)
    await page.getByLabel('Username').fill(fixture.person.username)
    await page.getByLabel('Password').fill(fixture.person.password)
    await shot('sign-in')
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByRole('heading', { name: 'Projects in team' }).waitFor()
    const row = page.locator('tr', { has: page.getByRole('link', { name: 'vision' }) })
    await expect.poll(() => row.locator('td').nth(3).textContent()).toBe('3')
    await shot('projects')
  })

  it('shows the runs table and adds a column from the field picker', async () => {
    await page.goto(runsUrl())
    await rowOf(fixture.runs.baseline).waitFor()
    expect(await visibleRuns()).toHaveLength(3)
    await page.getByRole('button', { name: '+ Column' }).click()
    await page.getByLabel('Search fields').fill('params/lr')
    await page.locator('.picker-item[data-path="params/lr"]').click()
    await page.locator('.header-cell .label[data-path="params/lr"]').waitFor()
    await expect
      .poll(() => rowOf(fixture.runs.baseline).locator('[data-path="params/lr"]').textContent())
      .toBe('0.01')
    expect(new URL(page.url()).searchParams.getAll('col')).toContain('params/lr')
    await shot('runs-table')
  })

  it('filters with NQL and marks a syntax error where it is', async () => {
    const box = page.getByLabel('NQL filter')
    await box.fill('`params/optimizer`:string = ')
    await page.locator('.query-error').waitFor()
    expect(await page.getByRole('button', { name: 'Apply' }).isDisabled()).toBe(true)
    await shot('runs-query-error')
    await box.fill('`params/optimizer`:string = "adam"')
    await box.press('Enter')
    await expect.poll(visibleRuns).toHaveLength(2)
    expect(await page.getByTestId('run-count').textContent()).toBe('2 runs')
  })

  it('sorts by a column on the server', async () => {
    const header = page.locator('.header-cell .label[data-path="params/lr"]')
    await header.click()
    await expect.poll(async () => (await visibleRuns())[0]).toBe(fixture.runs.baseline)
    await header.click()
    await expect.poll(async () => (await visibleRuns())[0]).toBe(fixture.runs.tuned)
    expect(new URL(page.url()).searchParams.get('dir')).toBe('asc')
  })

  it('saves a view and reopens it from its URL', async () => {
    await page.getByTestId('views-button').click()
    await page.getByRole('menuitem', { name: 'Save as new view…' }).click()
    await page.getByRole('dialog').getByLabel('Name').fill('Adam runs')
    await page.getByRole('button', { name: 'Save view' }).click()
    await expect.poll(() => new URL(page.url()).searchParams.get('view')).toBeTruthy()
    const viewId = new URL(page.url()).searchParams.get('view')!
    savedViewId = viewId
    const fresh = await browser.context.newPage()
    try {
      await fresh.goto(`${runsUrl()}?view=${viewId}`)
      await fresh.locator('.header-cell .label[data-path="params/lr"]').waitFor()
      await expect
        .poll(() => fresh.getByLabel('NQL filter').inputValue())
        .toBe('`params/optimizer`:string = "adam"')
      await expect.poll(() => fresh.locator('.grid-row[data-run]').count()).toBe(2)
      expect(await fresh.getByTestId('views-button').textContent()).toContain('Adam runs')
      await fresh.screenshot({ path: `${SHOTS}saved-view.png` })
    } finally {
      await fresh.close()
    }
  })

  it('groups runs by a field with aggregate rows', async () => {
    await page.getByRole('button', { name: 'Clear' }).click()
    await expect.poll(visibleRuns).toHaveLength(3)
    await page.getByLabel('Group by').selectOption('params/optimizer')
    const adam = page.locator('button[data-group="adam"]')
    await adam.waitFor()
    expect(await page.locator('.group-row').count()).toBe(2)
    expect(await page.locator('.group-row', { has: adam }).locator('.badge').textContent()).toBe(
      '2',
    )
    await adam.click()
    await expect.poll(visibleRuns).toHaveLength(2)
    await shot('runs-grouped')
    await page.getByLabel('Group by').selectOption('')
  })

  it('makes a saved view the project default, opened by the bare project URL', async () => {
    await page.goto(`${runsUrl()}?view=${savedViewId}`)
    await expect.poll(visibleRuns).toHaveLength(2)
    await page.getByTestId('views-button').click()
    await page.getByRole('menuitem', { name: 'Make “Adam runs” the project default' }).click()
    await page.getByText('Default view changed').waitFor()
    await page.getByTestId('views-button').click()
    await page
      .getByRole('menuitem', { name: /Adam runs/ })
      .locator('.badge', { hasText: 'default' })
      .waitFor()
    await page.getByTestId('views-button').click()
    const fresh = await browser.context.newPage()
    try {
      await fresh.goto(runsUrl())
      await expect
        .poll(() => fresh.getByLabel('NQL filter').inputValue())
        .toBe('`params/optimizer`:string = "adam"')
      await expect.poll(() => fresh.locator('.grid-row[data-run]').count()).toBe(2)
      expect(await fresh.getByTestId('views-button').textContent()).toContain('Adam runs')
    } finally {
      await fresh.close()
    }
    // The steps after this one expect every run on the bare project URL.
    await page.goto(`${runsUrl()}?view=${savedViewId}`)
    await page.getByTestId('views-button').click()
    await page.getByRole('menuitem', { name: 'Stop using “Adam runs” as default' }).click()
    await page.getByText('Default view changed').waitFor()
    await page.goto(runsUrl())
    await expect.poll(visibleRuns).toHaveLength(3)
  })

  it('navigates the table with the keyboard', async () => {
    await page.locator('.grid-scroll').focus()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowRight')
    expect(await page.locator('.cell.focused').count()).toBe(1)
    await page.keyboard.press('Home')
    await page.keyboard.press('Enter')
    await page.waitForURL(/\/e\/VISION-\d+/)
    await page.goBack()
  })

  it('pins a column to the left and keeps it in the URL', async () => {
    await page.goto(`${runsUrl()}?col=sys/id&col=sys/name&col=params/lr&col=params/optimizer`)
    await rowOf(fixture.runs.baseline).waitFor()
    await page.getByRole('button', { name: 'Column menu of params/optimizer' }).click()
    await page.getByRole('menuitem', { name: 'Pin to the left' }).click()
    await expect
      .poll(() => new URL(page.url()).searchParams.getAll('pin'))
      .toContain('params/optimizer')
    const header = page.locator('.header-cell', {
      has: page.locator('.label[data-path="params/optimizer"]'),
    })
    expect(await header.getAttribute('class')).toContain('pinned')
    // A pinned cell stays in place when the table scrolls sideways.
    const cell = rowOf(fixture.runs.baseline).locator('[data-path="params/optimizer"]')
    expect(await cell.getAttribute('class')).toContain('pinned')
    await shot('runs-pinned')
  })

  it('reads the sparklines of active runs on screen again with the live updates', async () => {
    const sparklineReads: number[] = []
    const onRequest = (request: { url(): string }) => {
      if (request.url().includes('/search/sparklines')) sparklineReads.push(Date.now())
    }
    page.on('request', onRequest)
    try {
      await page.goto(`${runsUrl()}?col=sys/id&col=sys/state&col=train/loss`)
      await rowOf(fixture.runs.baseline).locator('canvas.sparkline').waitFor()
      const first = sparklineReads.length
      expect(first).toBeGreaterThan(0)
      // The runs are active and the rows stay on screen: the next live update (every 5 s)
      // reads their sparklines again, without any scrolling.
      await expect.poll(() => sparklineReads.length, { timeout: 9_000 }).toBeGreaterThan(first)
    } finally {
      page.off('request', onRequest)
    }
  })

  it('reads the columns that come into view when a wide table scrolls sideways', async () => {
    const params = new URLSearchParams()
    for (const path of [
      'sys/id',
      'sys/name',
      ...Array.from({ length: 40 }, (_, i) => `extra/c${String(i).padStart(2, '0')}`),
      'params/lr',
    ])
      params.append('col', path)
    await page.goto(`${runsUrl()}?${params}`)
    await rowOf(fixture.runs.baseline).waitFor()
    // Rows are read with the columns on screen; the last one is far off to the right.
    const lr = rowOf(fixture.runs.baseline).locator('[data-path="params/lr"]')
    expect(await lr.count()).toBe(0)
    await page.locator('.grid-scroll').evaluate((grid) => (grid.scrollLeft = grid.scrollWidth))
    await expect.poll(() => lr.textContent()).toBe('0.01')
  })

  it("edits a run's name, description and tags", async () => {
    await page.goto(`${server.url}/team/vision/e/${fixture.runs.tuned}`)
    await page.getByLabel('Name', { exact: true }).fill('tuned-lr')
    await page.getByRole('button', { name: 'Save name' }).click()
    await page.getByRole('heading', { name: `${fixture.runs.tuned} tuned-lr` }).waitFor()
    await page.getByLabel('Description (Markdown)').fill('Uses a **lower** learning rate.')
    await page.getByRole('button', { name: 'Save description' }).click()
    await page.locator('.card strong', { hasText: 'lower' }).waitFor()
    await page.getByLabel('New tag').fill('reviewed')
    await page.getByRole('button', { name: 'Add', exact: true }).click()
    await page.getByTestId('tags').getByText('reviewed').waitFor()
    await shot('run-overview')
    await page.reload()
    await expect.poll(() => page.getByLabel('Name', { exact: true }).inputValue()).toBe('tuned-lr')
    const stored = await fetch(
      `${server.url}/api/v1/projects/team/vision/objects/${fixture.runs.tuned}/fields`,
      { headers: { authorization: `Bearer ${server.token}` } },
    ).then((r) => r.json() as Promise<{ fields: { path: string; value: { values?: string[] } }[] }>)
    const tags = stored.fields.find((field) => field.path === 'sys/tags')!.value.values
    expect(tags).toContain('reviewed')
    // Removing a tag works the same way (and keeps the tags the conventions step expects).
    await page.getByRole('button', { name: 'Remove tag reviewed' }).click()
    await expect.poll(() => page.getByTestId('tags').getByText('reviewed').count()).toBe(0)
  })

  it('opens a run and draws a chart with data', async () => {
    await page.goto(`${server.url}/team/vision/e/${fixture.runs.baseline}/charts`)
    const chart = page.locator('[data-chart="train/loss"] .chart-canvas')
    await expect.poll(() => chart.getAttribute('data-points')).toMatch(/^[1-9]\d*$/)
    // The canvas has drawn pixels, not just a blank surface.
    const inked = await chart
      .locator('canvas')
      .first()
      .evaluate((canvas: HTMLCanvasElement) => {
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data
        let painted = 0
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++
        return painted
      })
    expect(inked).toBeGreaterThan(100)
    // Zoom by dragging across the plot: the range is read again and can be reset.
    const over = await page.locator('[data-chart="train/loss"] .u-over').boundingBox()
    await page.mouse.move(over!.x + over!.width * 0.4, over!.y + over!.height / 2)
    await page.mouse.down()
    await page.mouse.move(over!.x + over!.width * 0.6, over!.y + over!.height / 2, { steps: 5 })
    await page.mouse.up()
    await page
      .locator('[data-chart="train/loss"]')
      .getByRole('button', { name: 'Reset zoom' })
      .click()
    await page.getByLabel('Smoothing').fill('0.8')
    await page.getByLabel('Log scale').check()
    await shot('run-charts')
  })

  it('previews a CSV file, JSON and HTML in a sandbox', async () => {
    await page.goto(`${server.url}/team/vision/e/${fixture.runs.baseline}/files`)
    await page.locator('[data-file="data/metrics"] .path').click()
    await page.getByTestId('csv-table').getByRole('cell', { name: '0.7, rounded' }).waitFor()
    await shot('run-file-preview')
    await page.locator('[data-file="report"] .path').click()
    await page.frameLocator('iframe[sandbox=""]').getByRole('heading', { name: 'Report' }).waitFor()
    // Its script did not run: the page's title is untouched.
    expect(await page.title()).toBe('Nereid')
    await page.locator('[data-file="artifacts/samples"] .path').click()
    await page.getByRole('button', { name: /readme\.txt/ }).click()
    await page.getByText('sample files').waitFor()
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download zip' }).click(),
    ])
    expect(download.suggestedFilename()).toBe('samples.zip')
    const zip = await readFile((await download.path())!)
    expect(zip.subarray(0, 2).toString('latin1')).toBe('PK')
    expect(zip.toString('latin1')).toContain('readme.txt')
  })

  it('shows the metadata tree, logs and images of a run', async () => {
    await page.goto(`${server.url}/team/vision/e/${fixture.runs.baseline}/metadata`)
    await page.locator('[data-path="params/optimizer"]').waitFor()
    await shot('run-metadata')
    await page.goto(`${server.url}/team/vision/e/${fixture.runs.baseline}/logs`)
    await page.getByText('epoch 1 done').waitFor()
    await page.goto(`${server.url}/team/vision/e/${fixture.runs.baseline}/images`)
    await expect.poll(() => page.locator('.gallery img').count()).toBe(3)
    await shot('run-images')
  })

  it('shows source code, git state and monitoring charts of a run', async () => {
    await page.goto(`${server.url}/team/vision/e/${fixture.runs.baseline}/source`)
    await page.getByText('3f2a9c1d0b7e4a5f8c6d2e1b0a9f8e7d6c5b4a39').waitFor()
    await page.getByText('Tune the warm-up').waitFor()
    await page.locator('[data-file="source_code/files"] .path').click()
    await page.getByRole('button', { name: /train\.py/ }).click()
    await page.getByText('print("training")').waitFor()
    await shot('run-source')
    await page.goto(`${server.url}/team/vision/e/${fixture.runs.baseline}/monitoring`)
    const cpu = page.locator('[data-chart="monitoring/ab12/cpu"] .chart-canvas')
    await expect.poll(() => cpu.getAttribute('data-points')).toMatch(/^[1-9]\d*$/)
    await shot('run-monitoring')
    await page.goto(`${server.url}/team/vision/e/${fixture.runs.baseline}/logs`)
    await page.getByText('epoch 1 done').waitFor()
    await shot('run-logs')
  })

  it('compares two runs on shared charts and side by side', async () => {
    await page.goto(runsUrl())
    await rowOf(fixture.runs.baseline).getByRole('checkbox').check()
    await rowOf(fixture.runs.tuned).getByRole('checkbox').check()
    await page.getByRole('button', { name: 'Compare' }).click()
    await page.waitForURL(/\/compare\?runs=/)
    const chart = page.locator('[data-chart="train/loss"] .chart-canvas')
    await expect.poll(() => chart.getAttribute('data-lines')).toBe('2')
    await expect.poll(() => chart.getAttribute('data-points')).toMatch(/^[1-9]\d*$/)
    await shot('compare-charts')
    await page.getByRole('tab', { name: 'Side by side' }).click()
    const lr = page
      .getByTestId('compare-table')
      .locator('tr', { has: page.getByRole('cell', { name: 'params/lr', exact: true }) })
    expect(await lr.getAttribute('data-differs')).toBe('true')
    await shot('compare-table')
  })

  it('builds a dashboard with two widgets and shows it again after a reload', async () => {
    await page.goto(`${server.url}/team/vision/dashboards`)
    await page.getByLabel('New dashboard name').fill('Overview')
    await page.getByRole('button', { name: 'Create dashboard' }).click()
    await page.waitForURL(/\/dashboards\/.+\?edit=1/)
    await page.getByRole('button', { name: 'Add widget' }).click()
    await page.getByLabel('Title').fill('Loss of prod runs')
    await page.getByLabel('Series (one per line)').fill('train/loss')
    await page
      .getByLabel('…or the newest runs matching a query')
      .fill('`sys/tags`:stringSet CONTAINS "prod"')
    await page.getByRole('button', { name: 'Save widget' }).click()
    await page.getByRole('button', { name: 'Add widget' }).click()
    await page.getByLabel('Kind').selectOption('markdown')
    await page.getByLabel('Title').fill('Notes')
    await page.getByLabel('Text (Markdown)').fill('# Findings\n\nThe **tuned** run wins.')
    await page.getByRole('button', { name: 'Save widget' }).click()
    await page.getByRole('button', { name: 'Save dashboard' }).click()
    await page.waitForURL((url) => !url.search.includes('edit=1'))
    await page.reload()
    await expect.poll(() => page.locator('.widget').count()).toBe(2)
    await page.getByRole('heading', { name: 'Findings' }).waitFor()
    const chart = page.locator('.widget[data-widget="Loss of prod runs"] .chart-canvas')
    await expect.poll(() => chart.getAttribute('data-lines')).toBe('2')
    await expect.poll(() => chart.getAttribute('data-points')).toMatch(/^[1-9]\d*$/)
    await shot('dashboard')
  })

  it('moves and resizes dashboard widgets, and keeps their places', async () => {
    await page.getByRole('button', { name: 'Edit', exact: true }).click()
    await page.getByRole('button', { name: 'Save dashboard' }).waitFor()
    const notes = page.locator('.widget[data-widget="Notes"]')
    const chart = page.locator('.widget[data-widget="Loss of prod runs"]')
    const before = (await notes.boundingBox())!
    const corner = (await notes.locator('.widget-resize').boundingBox())!
    await page.mouse.move(corner.x + corner.width / 2, corner.y + corner.height / 2)
    await page.mouse.down()
    await page.mouse.move(corner.x + corner.width / 2, corner.y + 240, { steps: 8 })
    await page.mouse.up()
    await expect
      .poll(async () => (await notes.boundingBox())!.height)
      .toBeGreaterThan(before.height + 150)
    // Dropped onto the chart's place, the notes take it and the chart moves out of the way.
    const chartBefore = (await chart.boundingBox())!
    const header = (await notes.locator('.widget-header').boundingBox())!
    await page.mouse.move(header.x + 40, header.y + header.height / 2)
    await page.mouse.down()
    await page.mouse.move(chartBefore.x + 40, header.y + header.height / 2, { steps: 8 })
    await page.mouse.up()
    await expect
      .poll(async () => Math.round((await notes.boundingBox())!.x))
      .toBe(Math.round(chartBefore.x))
    expect((await chart.boundingBox())!.y).toBeGreaterThan((await notes.boundingBox())!.y)
    await page.getByRole('button', { name: 'Save dashboard' }).click()
    await page.getByText('Dashboard saved').waitFor()
    await page.reload()
    await notes.waitFor()
    const saved = (await notes.boundingBox())!
    expect(Math.round(saved.x)).toBe(Math.round(chartBefore.x))
    expect(saved.height).toBeGreaterThan(before.height + 150)
    expect((await chart.boundingBox())!.y).toBeGreaterThan(saved.y)
    await shot('dashboard-arranged')
  })

  it("changes a model version's stage", async () => {
    await page.goto(`${server.url}/team/vision/models`)
    await page.getByRole('link', { name: fixture.model }).click()
    const stage = page.getByLabel(`Stage of ${fixture.version}`)
    await stage.selectOption('staging')
    await page.getByText('Stage changed to staging').waitFor()
    await page.reload()
    await expect
      .poll(() => page.getByLabel(`Stage of ${fixture.version}`).inputValue())
      .toBe('staging')
    await shot('model')
    await page.getByRole('link', { name: fixture.version }).click()
    await page.getByLabel('Stage').waitFor()
    await shot('model-version')
  })

  it('moves a run to the trash and restores it', async () => {
    await page.goto(runsUrl())
    await rowOf(fixture.runs.sgd).getByRole('checkbox').check()
    await page.getByRole('button', { name: 'Move to trash' }).click()
    await expect.poll(visibleRuns).toHaveLength(2)
    await page.getByLabel('Show trashed').check()
    await expect.poll(visibleRuns).toHaveLength(3)
    expect(new URL(page.url()).searchParams.get('trashed')).toBe('1')
    await page.goto(`${server.url}/team/vision/trash`)
    await page.getByLabel(`Select ${fixture.runs.sgd}`).check()
    await shot('trash')
    await page.getByRole('button', { name: /^Restore/ }).click()
    await page.getByText('The trash is empty.').waitFor()
    await page.goto(runsUrl())
    await expect.poll(visibleRuns).toHaveLength(3)
  })

  it('views a notebook checkpoint and the diff of two', async () => {
    await page.goto(`${server.url}/team/vision/notebooks`)
    await page.getByRole('link', { name: 'analysis' }).click()
    await page.getByTestId('notebook-cells').getByText('print(math.tau)').waitFor()
    await page.getByLabel('Compare checkpoint 1').check()
    await page.getByLabel('Compare checkpoint 2').check()
    await page
      .getByTestId('notebook-diff')
      .locator('.diff-line.added', { hasText: 'print(math.tau)' })
      .waitFor()
    await shot('notebook-diff')
  })

  it('creates an API token, shows it once, and revokes it', async () => {
    await page.goto(`${server.url}/-/account`)
    await page.getByLabel('Token name').fill('e2e laptop')
    await page.getByRole('button', { name: 'Create token' }).click()
    const token = (await page.getByTestId('new-token').locator('pre').textContent())!.trim()
    const works = () =>
      fetch(`${server.url}/api/v1/workspaces`, {
        headers: { authorization: `Bearer ${token}` },
      }).then((r) => r.status)
    expect(await works()).toBe(200)
    await shot('account-tokens')
    page.once('dialog', (dialog) => void dialog.accept())
    await page
      .locator('tr[data-token="e2e laptop"]')
      .getByRole('button', { name: 'Revoke' })
      .click()
    await page.locator('tr[data-token="e2e laptop"]', { hasText: 'revoked' }).waitFor()
    expect(await works()).toBe(401)
  })

  it('flags runs that log names outside the project conventions', async () => {
    await page.goto(`${server.url}/team/vision/conventions`)
    await page.getByRole('button', { name: 'Add' }).nth(1).click()
    await page.getByLabel('Tags: name').fill('prod')
    await page.getByLabel('Tags: description').fill('Runs that serve')
    await page.getByRole('button', { name: 'Add' }).nth(1).click()
    await page.getByLabel('Tags: name').nth(1).fill('baseline')
    await page.getByRole('button', { name: 'Save conventions' }).click()
    await page.getByText('Conventions saved').waitFor()
    await shot('conventions')
    await page.goto(runsUrl())
    const flag = rowOf(fixture.runs.sgd).locator('.warn-flag')
    await flag.waitFor()
    expect(await flag.getAttribute('title')).toContain('tmp')
    expect(await rowOf(fixture.runs.tuned).locator('.warn-flag').count()).toBe(0)
  })

  it('shows the remaining pages', async () => {
    for (const [path, name, ready] of [
      ['/team/vision/dashboards', 'dashboards', 'Dashboards'],
      ['/team/vision/models', 'models', 'Models'],
      ['/team/vision/notebooks', 'notebooks', 'Notebooks'],
      ['/team/vision/metadata', 'project-metadata', 'Object sections'],
      ['/team/vision/settings', 'settings', 'Project settings'],
      ['/team/-/settings', 'workspace-settings', 'Settings of team'],
    ] as const) {
      await page.goto(`${server.url}${path}`)
      if (name === 'project-metadata') await page.getByRole('navigation', { name: ready }).waitFor()
      else await page.getByRole('heading', { name: ready }).waitFor()
      await shot(name)
    }
  })

  it('signs in with an API token, the fallback for scripts and kiosks', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByRole('button', { name: 'Sign in with an API token' }).click()
    await page.getByLabel('API token').fill(server.token)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByRole('button', { name: 'Sign out' }).waitFor()
    await page.goto(runsUrl())
    await expect.poll(visibleRuns).toHaveLength(3)
    const dark = await page.evaluate(() => document.documentElement.dataset.theme === 'dark')
    if (dark) await page.getByRole('button', { name: 'Switch to light theme' }).click()
    await page.getByRole('button', { name: 'Switch to dark theme' }).click()
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark')
    await shot('runs-table-dark')
    await page.getByRole('button', { name: 'Switch to light theme' }).click()
    expect(errors).toEqual([])
  })
})
