import { describe, expect, it } from 'vitest'
import { matchRoute, paths } from './routes.js'

describe('routes', () => {
  it('opens the links the Neptune client prints', () => {
    expect(matchRoute('/team/vision/e/VISION-12')).toEqual({
      page: 'run',
      workspace: 'team',
      project: 'vision',
      object: 'VISION-12',
      tab: null,
    })
    expect(matchRoute('/team/vision/e/VISION-12/metadata')).toMatchObject({ tab: 'metadata' })
    expect(matchRoute('/team/vision/m/VISION-MOD/v/VISION-MOD-3')).toMatchObject({
      page: 'model-version',
      model: 'VISION-MOD',
      version: 'VISION-MOD-3',
    })
    expect(matchRoute('/team/vision/')).toEqual({
      page: 'runs',
      workspace: 'team',
      project: 'vision',
    })
  })

  it('round-trips every page path, names with odd characters included', () => {
    const cases = [
      paths.project('team', 'my.project_1'),
      paths.run('team', 'vision', 'VISION-1', 'charts'),
      paths.dashboard('team', 'vision', 'd-1'),
      paths.model('team', 'vision', 'VISION-MOD'),
      paths.notebook('team', 'vision', 'nb 1'),
      paths.workspaceSettings('team'),
      paths.trash('team', 'vision'),
      paths.settings('team', 'vision'),
      paths.conventions('team', 'vision'),
      paths.projectMetadata('team', 'vision'),
      paths.models('team', 'vision'),
      paths.dashboards('team', 'vision'),
      paths.notebooks('team', 'vision'),
    ]
    for (const path of cases) expect(matchRoute(path).page, path).not.toBe('not-found')
    expect(matchRoute(paths.notebook('team', 'vision', 'nb 1'))).toMatchObject({ notebook: 'nb 1' })
  })

  it('keeps app pages apart from workspaces', () => {
    expect(matchRoute('/-/sign-in').page).toBe('sign-in')
    expect(matchRoute('/-/account').page).toBe('account')
    expect(matchRoute('/invite').page).toBe('invite')
    expect(matchRoute('/-/invite').page).toBe('invite')
    expect(matchRoute('/team').page).toBe('projects')
    expect(matchRoute('/team/-/settings').page).toBe('workspace-settings')
    expect(matchRoute('/team/vision/nope').page).toBe('not-found')
    expect(matchRoute('/-/nope').page).toBe('not-found')
  })
})
