/**
 * The app's pages and their URLs. Run, model and version pages use the paths the Neptune client
 * prints (`/{workspace}/{project}/e/{RUN}`, `…/m/{MODEL}`, `…/m/{MODEL}/v/{VERSION}`), so links
 * from existing scripts' output open here. `-` never names a workspace or project, so it marks
 * pages that are not a project's.
 */
export type Route =
  | { page: 'sign-in' }
  /** An invitation link; the token is in the URL fragment. */
  | { page: 'invite' }
  | { page: 'account' }
  | { page: 'home' }
  | { page: 'projects'; workspace: string }
  | { page: 'workspace-settings'; workspace: string }
  | { page: 'runs'; workspace: string; project: string }
  | { page: 'run'; workspace: string; project: string; object: string; tab: string | null }
  | { page: 'compare'; workspace: string; project: string }
  | { page: 'dashboards'; workspace: string; project: string }
  | { page: 'dashboard'; workspace: string; project: string; dashboard: string }
  | { page: 'models'; workspace: string; project: string }
  | { page: 'model'; workspace: string; project: string; model: string }
  | {
      page: 'model-version'
      workspace: string
      project: string
      model: string
      version: string
      tab: string | null
    }
  | { page: 'project-metadata'; workspace: string; project: string; tab: string | null }
  | { page: 'notebooks'; workspace: string; project: string }
  | { page: 'notebook'; workspace: string; project: string; notebook: string }
  | { page: 'trash'; workspace: string; project: string }
  | { page: 'conventions'; workspace: string; project: string }
  | { page: 'settings'; workspace: string; project: string }
  | { page: 'not-found'; path: string }

export type PageName = Route['page']

/** The route a path names. */
export function matchRoute(pathname: string): Route {
  const parts = pathname
    .split('/')
    .filter(Boolean)
    .map((part) => {
      try {
        return decodeURIComponent(part)
      } catch {
        return part
      }
    })
  const [a, b, c, d, e, f, g] = parts
  if (parts.length === 0) return { page: 'home' }
  // The accounts API hands out /invite#TOKEN links; /-/invite is the same page.
  if (a === 'invite' && parts.length === 1) return { page: 'invite' }
  if (a === '-') {
    if (b === 'invite' && parts.length === 2) return { page: 'invite' }
    if (b === 'sign-in' && parts.length === 2) return { page: 'sign-in' }
    if (b === 'account' && parts.length === 2) return { page: 'account' }
    return { page: 'not-found', path: pathname }
  }
  const workspace = a!
  if (parts.length === 1) return { page: 'projects', workspace }
  if (b === '-') {
    if (c === 'settings' && parts.length === 3) return { page: 'workspace-settings', workspace }
    return { page: 'not-found', path: pathname }
  }
  const project = b!
  const base = { workspace, project }
  if (parts.length === 2) return { page: 'runs', ...base }
  switch (c) {
    case 'e':
      if (d && parts.length <= 5) return { page: 'run', ...base, object: d, tab: e ?? null }
      break
    case 'compare':
      if (parts.length === 3) return { page: 'compare', ...base }
      break
    case 'dashboards':
      if (parts.length === 3) return { page: 'dashboards', ...base }
      if (parts.length === 4) return { page: 'dashboard', ...base, dashboard: d! }
      break
    case 'models':
      if (parts.length === 3) return { page: 'models', ...base }
      break
    case 'm':
      if (d && parts.length === 4) return { page: 'model', ...base, model: d }
      if (d && e === 'v' && f && parts.length <= 7) {
        return { page: 'model-version', ...base, model: d, version: f, tab: g ?? null }
      }
      break
    case 'metadata':
      if (parts.length <= 4) return { page: 'project-metadata', ...base, tab: d ?? null }
      break
    case 'notebooks':
      if (parts.length === 3) return { page: 'notebooks', ...base }
      if (parts.length === 4) return { page: 'notebook', ...base, notebook: d! }
      break
    case 'trash':
      if (parts.length === 3) return { page: 'trash', ...base }
      break
    case 'conventions':
      if (parts.length === 3) return { page: 'conventions', ...base }
      break
    case 'settings':
      if (parts.length === 3) return { page: 'settings', ...base }
      break
  }
  return { page: 'not-found', path: pathname }
}

const enc = encodeURIComponent

/** Paths of the app's pages, the inverse of `matchRoute`. */
export const paths = {
  signIn: (returnTo?: string) => `/-/sign-in${returnTo ? `?returnTo=${enc(returnTo)}` : ''}`,
  account: () => '/-/account',
  workspace: (ws: string) => `/${enc(ws)}`,
  workspaceSettings: (ws: string) => `/${enc(ws)}/-/settings`,
  project: (ws: string, p: string) => `/${enc(ws)}/${enc(p)}`,
  run: (ws: string, p: string, id: string, tab?: string) =>
    `/${enc(ws)}/${enc(p)}/e/${enc(id)}${tab ? `/${enc(tab)}` : ''}`,
  compare: (ws: string, p: string, ids: readonly string[]) =>
    `/${enc(ws)}/${enc(p)}/compare?runs=${ids.map(enc).join(',')}`,
  dashboards: (ws: string, p: string) => `/${enc(ws)}/${enc(p)}/dashboards`,
  dashboard: (ws: string, p: string, id: string) => `/${enc(ws)}/${enc(p)}/dashboards/${enc(id)}`,
  models: (ws: string, p: string) => `/${enc(ws)}/${enc(p)}/models`,
  model: (ws: string, p: string, id: string) => `/${enc(ws)}/${enc(p)}/m/${enc(id)}`,
  modelVersion: (ws: string, p: string, model: string, version: string, tab?: string) =>
    `/${enc(ws)}/${enc(p)}/m/${enc(model)}/v/${enc(version)}${tab ? `/${enc(tab)}` : ''}`,
  projectMetadata: (ws: string, p: string, tab?: string) =>
    `/${enc(ws)}/${enc(p)}/metadata${tab ? `/${enc(tab)}` : ''}`,
  notebooks: (ws: string, p: string) => `/${enc(ws)}/${enc(p)}/notebooks`,
  notebook: (ws: string, p: string, id: string) => `/${enc(ws)}/${enc(p)}/notebooks/${enc(id)}`,
  trash: (ws: string, p: string) => `/${enc(ws)}/${enc(p)}/trash`,
  conventions: (ws: string, p: string) => `/${enc(ws)}/${enc(p)}/conventions`,
  settings: (ws: string, p: string) => `/${enc(ws)}/${enc(p)}/settings`,
}
