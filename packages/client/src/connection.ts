import { join } from 'node:path'
import { NereidError, decodeApiToken, isNereidError, parseProjectPath } from '@nereid/core'
import { closestNames } from './closest-names.js'
import type { ClientEnv } from './env.js'
import { HttpTransport } from './transport/http-transport.js'
import { NativeApi, type ProjectWire } from './transport/native-api.js'

/**
 * Settings taken from options first, then the environment: `NEREID_*` variables, and the
 * `NEPTUNE_*` ones Neptune users already have set.
 */
export function setting(
  env: ClientEnv,
  option: string | undefined,
  ...names: string[]
): string | undefined {
  if (option !== undefined && option !== '') return option
  for (const name of names) {
    const value = env.variables[name]
    if (value !== undefined && value !== '') return value
  }
  return undefined
}

export function resolveProject(env: ClientEnv, project: string | undefined): string | undefined {
  return setting(env, project, 'NEREID_PROJECT', 'NEPTUNE_PROJECT')
}

export function resolveDataDirectory(env: ClientEnv, dataDirectory: string | undefined): string {
  const directory = setting(env, dataDirectory, 'NEREID_DATA_DIRECTORY')
  return directory ?? join(env.cwd(), '.nereid')
}

export function requireProject(env: ClientEnv, project: string | undefined): string {
  const qualified = resolveProject(env, project)
  if (qualified === undefined) {
    throw new NereidError(
      'VALIDATION_FAILED',
      'no project given: pass { project: "workspace/project" } or set NEREID_PROJECT',
      { field: 'project' },
    )
  }
  parseProjectPath(qualified)
  return qualified
}

/** An API client for the server the token was made for. */
export function openTransport(env: ClientEnv, apiToken: string | undefined): HttpTransport {
  const token = setting(env, apiToken, 'NEREID_API_TOKEN', 'NEPTUNE_API_TOKEN')
  if (token === undefined) {
    throw new NereidError(
      'AUTH_REQUIRED',
      'no API token given: pass { apiToken } or set NEREID_API_TOKEN (the token Nereid printed at its first start, or one made with `nereid admin bootstrap`)',
    )
  }
  const { apiUrl } = decodeApiToken(token)
  return new HttpTransport(apiUrl, token, env)
}

/**
 * Opens a project, turning the usual first-run mistakes into errors that say what to do: a
 * token the server refuses names the server; an unknown project lists the closest names.
 */
export async function connectProject(
  http: HttpTransport,
  qualifiedProject: string,
): Promise<{ api: NativeApi; project: ProjectWire }> {
  const api = new NativeApi(http, qualifiedProject)
  try {
    return { api, project: await api.getProject() }
  } catch (error) {
    throw await explain(error, api)
  }
}

async function explain(error: unknown, api: NativeApi): Promise<unknown> {
  if (!isNereidError(error)) return error
  const server = api.http.apiUrl
  if (error.code === 'TOKEN_INVALID' || error.code === 'AUTH_REQUIRED') {
    return new NereidError(
      error.code,
      `the Nereid server at ${server} refused the API token (${error.message}); check that the token was made by this server and not revoked`,
      { url: server },
    )
  }
  if (error.code !== 'PROJECT_NOT_FOUND') return error
  const wanted = api.qualifiedProject
  let suggestions: string[] = []
  let workspaceMissing = false
  try {
    const { projects } = await api.listProjects()
    suggestions = closestNames(
      api.project,
      projects.map((project) => project.name),
    ).map((name) => `${api.workspace}/${name}`)
  } catch (listError) {
    if (isNereidError(listError) && listError.code === 'WORKSPACE_NOT_FOUND') {
      workspaceMissing = true
      try {
        const { workspaces } = await api.listWorkspaces()
        suggestions = closestNames(
          api.workspace,
          workspaces.map((workspace) => workspace.name),
        ).map((name) => `${name}/${api.project}`)
      } catch {
        // No suggestions then.
      }
    }
  }
  const hint =
    suggestions.length > 0
      ? `; did you mean ${suggestions.map((name) => `"${name}"`).join(' or ')}?`
      : workspaceMissing
        ? `; the workspace "${api.workspace}" does not exist or you are not a member`
        : ''
  return new NereidError('PROJECT_NOT_FOUND', `project "${wanted}" not found on ${server}${hint}`, {
    project: wanted,
    suggestions,
    url: server,
  })
}
