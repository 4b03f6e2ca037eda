import type { FieldType, ObjectKind } from '@nereid/core'
import type { ApiClient, DownloadProgress } from './api-client.js'
import { BucketBatcher, type BucketLineAnswer } from './bucket-batcher.js'
import type {
  BucketsWire,
  BulkResultWire,
  ConventionCheckWire,
  Conventions,
  DashboardSummaryWire,
  DashboardWire,
  FieldWire,
  FileSetEntryWire,
  GroupResultWire,
  ObjectInfo,
  Project,
  SavedViewWire,
  SearchRequestWire,
  SearchResult,
  SeriesPageWire,
  SparklineWire,
  Usage,
  WidgetWire,
  Workspace,
  NotebookWire,
  CheckpointWire,
  TokenWire,
  MemberWire,
  InvitationWire,
  ServiceAccountWire,
} from './wire-types.js'

const enc = encodeURIComponent

/** A project's address in the native API. */
export interface ProjectRef {
  workspace: string
  project: string
}

const base = ({ workspace, project }: ProjectRef) =>
  `/api/v1/projects/${enc(workspace)}/${enc(project)}`
const objectBase = (ref: ProjectRef, object: string) => `${base(ref)}/objects/${enc(object)}`

/** One wire operation (docs/api.md lists the vocabulary). */
export type WireOperation = { op: string; path: string } & Record<string, unknown>

/** The native API (docs/api.md) as typed calls, grouped like the documentation. */
export function createNereidApi(client: ApiClient) {
  const buckets = new BucketBatcher({
    fetch: (project, request, signal) =>
      client.post<{ lines: BucketLineAnswer[] }>(`${project}/series/buckets`, request, signal),
  })
  return {
    workspaces: {
      list: () => client.get<{ workspaces: Workspace[] }>('/api/v1/workspaces'),
      projects: (workspace: string) =>
        client.get<{ projects: Project[] }>(`/api/v1/workspaces/${enc(workspace)}/projects`),
      createProject: (
        workspace: string,
        body: {
          name: string
          key?: string
          description?: string
          visibility?: Project['visibility']
        },
      ) => client.post<Project>(`/api/v1/workspaces/${enc(workspace)}/projects`, body),
    },

    projects: {
      get: (ref: ProjectRef) => client.get<Project>(base(ref)),
      update: (
        ref: ProjectRef,
        patch: {
          description?: string
          visibility?: Project['visibility']
          storageLimitBytes?: number | null
        },
      ) => client.patch<Project>(base(ref), patch),
      usage: (ref: ProjectRef) => client.get<Usage>(`${base(ref)}/usage`),
      /** Deletes the project and everything in it, for good. */
      delete: (ref: ProjectRef) =>
        client.delete<{ project: string; objects: number; freedBytes: number; freedBlobs: number }>(
          base(ref),
        ),
      fields: (ref: ProjectRef, options: { search?: string; kinds?: ObjectKind[] } = {}) =>
        client.get<{ fields: { path: string; type: FieldType }[] }>(`${base(ref)}/fields`, {
          search: options.search,
          kinds: options.kinds?.join(','),
        }),
    },

    objects: {
      get: (ref: ProjectRef, object: string) => client.get<ObjectInfo>(objectBase(ref, object)),
      create: (
        ref: ProjectRef,
        body: {
          kind: Exclude<ObjectKind, 'project'>
          name?: string
          modelKey?: string
          modelId?: string
        },
      ) => client.post<{ object: ObjectInfo; created: boolean }>(`${base(ref)}/objects`, body),
      fields: (ref: ProjectRef, object: string, signal?: AbortSignal) =>
        client.get<{ fields: FieldWire[] }>(`${objectBase(ref, object)}/fields`, undefined, signal),
      /** Applies operations; a rejected one is turned into an error naming it. */
      async write(ref: ProjectRef, object: string, operations: WireOperation[]): Promise<void> {
        const result = await client.post<{
          results: { ok: boolean; error?: { code: string; message: string } }[]
        }>(`${objectBase(ref, object)}/operations`, { operations })
        const failed = result.results.find((outcome) => !outcome.ok)
        if (failed?.error) throw new Error(`${failed.error.message} (${failed.error.code})`)
      },
    },

    search: {
      query: (ref: ProjectRef, request: SearchRequestWire, signal?: AbortSignal) =>
        client.post<SearchResult>(`${base(ref)}/search`, request, signal),
      groups: (
        ref: ProjectRef,
        request: {
          groupBy: string
          query?: string
          kinds?: ObjectKind[]
          aggregates?: string[]
          includeTrashed?: boolean
          limit?: number
          offset?: number
        },
        signal?: AbortSignal,
      ) => client.post<GroupResultWire>(`${base(ref)}/search/groups`, request, signal),
      sparklines: (
        ref: ProjectRef,
        request: { objects: string[]; paths: string[]; points?: number },
        signal?: AbortSignal,
      ) =>
        client.post<{ sparklines: SparklineWire[] }>(
          `${base(ref)}/search/sparklines`,
          request,
          signal,
        ),
    },

    series: {
      /** Reads started together (the lines of a chart, a grid of charts) share one request. */
      buckets: (
        ref: ProjectRef,
        object: string,
        request: { path: string; buckets: number; x: 'step' | 'time'; from?: number; to?: number },
        signal?: AbortSignal,
      ): Promise<BucketsWire> => {
        const { buckets: count, x, ...line } = request
        return buckets.read(base(ref), { buckets: count, x, line: { object, ...line } }, signal)
      },
      page: (
        ref: ProjectRef,
        object: string,
        request: {
          path: string
          offset?: number
          limit?: number
          fromStep?: number
          toStep?: number
        },
        signal?: AbortSignal,
      ) => client.get<SeriesPageWire>(`${objectBase(ref, object)}/series`, request, signal),
    },

    files: {
      /** The bytes of a file field, a file of a file set, or a point of a file series. */
      download: (
        ref: ProjectRef,
        object: string,
        target: { path: string; file?: string; index?: number },
        options?: { signal?: AbortSignal; onProgress?: (progress: DownloadProgress) => void },
      ) => client.blob(`${objectBase(ref, object)}/files`, target, options),
      listSet: (ref: ProjectRef, object: string, path: string) =>
        client.get<{ files: FileSetEntryWire[] }>(`${objectBase(ref, object)}/file-sets`, { path }),
      zip: (
        ref: ProjectRef,
        object: string,
        path: string,
        options?: { signal?: AbortSignal; onProgress?: (progress: DownloadProgress) => void },
      ) => client.blob(`${objectBase(ref, object)}/file-sets/zip`, { path }, options),
    },

    trash: {
      trash: (ref: ProjectRef, objects: string[]) =>
        client.post<BulkResultWire>(`${base(ref)}/trash`, { objects }),
      restore: (ref: ProjectRef, objects: string[]) =>
        client.post<BulkResultWire>(`${base(ref)}/trash/restore`, { objects }),
      deletePermanently: (ref: ProjectRef, objects: string[]) =>
        client.post<BulkResultWire>(`${base(ref)}/trash/delete`, { objects }),
    },

    views: {
      list: (ref: ProjectRef) => client.get<{ views: SavedViewWire[] }>(`${base(ref)}/views`),
      get: (ref: ProjectRef, id: string) =>
        client.get<SavedViewWire>(`${base(ref)}/views/${enc(id)}`),
      put: (
        ref: ProjectRef,
        id: string,
        body: { name: string; state: Record<string, unknown>; baseRevision?: number },
      ) =>
        client.put<{ view: SavedViewWire; created: boolean }>(
          `${base(ref)}/views/${enc(id)}`,
          body,
        ),
      delete: (ref: ProjectRef, id: string) =>
        client.delete<{ deleted: boolean }>(`${base(ref)}/views/${enc(id)}`),
      setDefault: (ref: ProjectRef, view: string | null) =>
        client.put<{ view: string | null }>(`${base(ref)}/default-view`, { view }),
    },

    dashboards: {
      list: (ref: ProjectRef) =>
        client.get<{ dashboards: DashboardSummaryWire[] }>(`${base(ref)}/dashboards`),
      get: (ref: ProjectRef, id: string) =>
        client.get<DashboardWire>(`${base(ref)}/dashboards/${enc(id)}`),
      put: (
        ref: ProjectRef,
        id: string,
        body: { name: string; widgets: WidgetWire[]; baseRevision?: number },
      ) =>
        client.put<{ dashboard: DashboardWire; created: boolean }>(
          `${base(ref)}/dashboards/${enc(id)}`,
          body,
        ),
      delete: (ref: ProjectRef, id: string) =>
        client.delete<{ deleted: boolean }>(`${base(ref)}/dashboards/${enc(id)}`),
    },

    conventions: {
      get: (ref: ProjectRef) => client.get<Conventions>(`${base(ref)}/conventions`),
      put: (ref: ProjectRef, conventions: Conventions) =>
        client.put<Conventions>(`${base(ref)}/conventions`, {
          metrics: conventions.metrics,
          tags: conventions.tags,
        }),
      check: (ref: ProjectRef, objects: string[], signal?: AbortSignal) =>
        client.post<ConventionCheckWire>(`${base(ref)}/conventions/check`, { objects }, signal),
    },

    notebooks: {
      list: (ref: ProjectRef) =>
        client.get<{ notebooks: NotebookWire[] }>(`${base(ref)}/notebooks`),
      get: (ref: ProjectRef, notebook: string) =>
        client.get<NotebookWire>(`${base(ref)}/notebooks/${enc(notebook)}`),
      checkpoints: (ref: ProjectRef, notebook: string) =>
        client.get<{ checkpoints: CheckpointWire[] }>(
          `${base(ref)}/notebooks/${enc(notebook)}/checkpoints`,
        ),
      /** The checkpoint's notebook file (.ipynb) as text. */
      content: async (
        ref: ProjectRef,
        notebook: string,
        checkpoint: string,
        signal?: AbortSignal,
      ) =>
        (
          await client.blob(
            `${base(ref)}/notebooks/${enc(notebook)}/checkpoints/${enc(checkpoint)}/content`,
            undefined,
            signal ? { signal } : {},
          )
        ).text(),
    },

    accounts: {
      tokens: () => client.get<{ tokens: TokenWire[] }>('/api/v1/tokens'),
      createToken: (name: string) =>
        client.post<{ token: string; record: TokenWire }>('/api/v1/tokens', { name }),
      revokeToken: (id: string) => client.delete<TokenWire>(`/api/v1/tokens/${enc(id)}`),
      rotateToken: (id: string) =>
        client.post<{ token: string; record: TokenWire }>(`/api/v1/tokens/${enc(id)}/rotate`),
      changePassword: (currentPassword: string, newPassword: string) =>
        client.post<{ signedOutSessions: number }>('/api/v1/auth/password', {
          currentPassword,
          newPassword,
        }),
      workspaceMembers: (workspace: string) =>
        client.get<{ members: MemberWire[] }>(`/api/v1/workspaces/${enc(workspace)}/members`),
      setWorkspaceRole: (workspace: string, username: string, role: string) =>
        client.put(`/api/v1/workspaces/${enc(workspace)}/members/${enc(username)}`, { role }),
      removeWorkspaceMember: (workspace: string, username: string) =>
        client.delete(`/api/v1/workspaces/${enc(workspace)}/members/${enc(username)}`),
      projectMembers: (ref: ProjectRef) =>
        client.get<{ members: MemberWire[] }>(`${base(ref)}/members`),
      setProjectRole: (ref: ProjectRef, member: string, role: string) =>
        client.put(`${base(ref)}/members/${enc(member)}`, { role }),
      removeProjectMember: (ref: ProjectRef, member: string) =>
        client.delete(`${base(ref)}/members/${enc(member)}`),
      invitations: (workspace: string) =>
        client.get<{ invitations: InvitationWire[] }>(
          `/api/v1/workspaces/${enc(workspace)}/invitations`,
        ),
      invite: (workspace: string, role: string, expiresInHours?: number) =>
        client.post<{ invitation: InvitationWire; token: string; url: string }>(
          `/api/v1/workspaces/${enc(workspace)}/invitations`,
          { role, ...(expiresInHours ? { expiresInHours } : {}) },
        ),
      revokeInvitation: (workspace: string, id: string) =>
        client.delete(`/api/v1/workspaces/${enc(workspace)}/invitations/${enc(id)}`),
      lookupInvitation: (token: string) =>
        client.post<{
          workspace: { name: string; displayName: string }
          role: string
          expiresAt: string
        }>('/api/v1/invitations/lookup', { token }),
      acceptInvitation: (token: string) => client.post('/api/v1/invitations/accept', { token }),
      register: (body: {
        token: string
        username: string
        password: string
        displayName?: string
      }) => client.post('/api/v1/invitations/register', body),
      serviceAccounts: (workspace: string) =>
        client.get<{ serviceAccounts: ServiceAccountWire[] }>(
          `/api/v1/workspaces/${enc(workspace)}/service-accounts`,
        ),
      createServiceAccount: (workspace: string, name: string, displayName?: string) =>
        client.post<ServiceAccountWire>(`/api/v1/workspaces/${enc(workspace)}/service-accounts`, {
          name,
          ...(displayName ? { displayName } : {}),
        }),
      deleteServiceAccount: (workspace: string, account: string) =>
        client.delete(`/api/v1/workspaces/${enc(workspace)}/service-accounts/${enc(account)}`),
      serviceAccountTokens: (workspace: string, account: string) =>
        client.get<{ tokens: TokenWire[] }>(
          `/api/v1/workspaces/${enc(workspace)}/service-accounts/${enc(account)}/tokens`,
        ),
      createServiceAccountToken: (workspace: string, account: string, name: string) =>
        client.post<{ token: string; record: TokenWire }>(
          `/api/v1/workspaces/${enc(workspace)}/service-accounts/${enc(account)}/tokens`,
          { name },
        ),
      revokeServiceAccountToken: (workspace: string, account: string, id: string) =>
        client.delete(
          `/api/v1/workspaces/${enc(workspace)}/service-accounts/${enc(account)}/tokens/${enc(id)}`,
        ),
      workspaceUsage: (workspace: string) =>
        client.get<
          Omit<Usage, 'limit'> & { projects: (Usage & { project: string; name: string })[] }
        >(`/api/v1/workspaces/${enc(workspace)}/usage`),
      setStorageLimit: (ref: ProjectRef, limitBytes: number | null) =>
        client.put<Usage>(`${base(ref)}/storage-limit`, { limitBytes }),
    },

    trashList: (ref: ProjectRef, offset = 0, limit = 100) =>
      client.get<{ total: number; objects: (ObjectInfo & { trashedAt: string })[] }>(
        `${base(ref)}/trash`,
        {
          offset,
          limit,
        },
      ),
    emptyTrash: (ref: ProjectRef) =>
      client.post<{ deleted: string[]; freedBytes: number; freedBlobs: number }>(
        `${base(ref)}/trash/empty`,
      ),
  }
}

export type NereidApi = ReturnType<typeof createNereidApi>
