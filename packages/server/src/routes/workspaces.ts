import { PROJECT_VISIBILITIES, suggestProjectKey, type Workspace } from '@nereid/core'
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../app-deps.js'
import { ProjectBody } from '../schemas/common.js'
import { presentProject } from '../schemas/present.js'
import { visibleProjects } from '../services/project-access.js'

const WorkspaceBody = Type.Object({
  id: Type.String(),
  name: Type.String(),
  displayName: Type.String(),
})
const CreateWorkspace = Type.Object(
  { name: Type.String(), displayName: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
)
const CreateProject = Type.Object(
  {
    name: Type.String({ maxLength: 100 }),
    key: Type.Optional(
      Type.String({
        maxLength: 10,
        description:
          'Prefix of readable ids (e.g. CLS → CLS-12); derived from the name when absent',
      }),
    ),
    description: Type.Optional(Type.String({ maxLength: 10_000 })),
    visibility: Type.Optional(Type.Union(PROJECT_VISIBILITIES.map((v) => Type.Literal(v)))),
  },
  { additionalProperties: false },
)
const WorkspaceParams = Type.Object({ workspace: Type.String() })

export async function workspaceRoutes(
  app: FastifyInstance,
  { store, now }: AppDeps,
): Promise<void> {
  const present = (workspace: Workspace) => ({
    id: workspace.id,
    name: workspace.name,
    displayName: workspace.displayName,
  })

  app.get(
    '/api/v1/workspaces',
    {
      config: { permission: 'authenticated' },
      schema: {
        summary: 'Workspaces the caller belongs to',
        tags: ['workspaces'],
        response: { 200: Type.Object({ workspaces: Type.Array(WorkspaceBody) }) },
      },
    },
    async (request) => {
      const user = request.principal!.user
      const workspaces = user.isAdmin
        ? await store.workspaces.list()
        : await store.workspaces.listForUser(user.id)
      return { workspaces: workspaces.map(present) }
    },
  )

  app.post<{ Body: Static<typeof CreateWorkspace> }>(
    '/api/v1/workspaces',
    {
      config: { permission: 'admin' },
      schema: {
        summary: 'Create a workspace',
        tags: ['workspaces'],
        body: CreateWorkspace,
        response: { 200: WorkspaceBody },
      },
    },
    async (request) => {
      const workspace = await store.workspaces.create({
        name: request.body.name,
        displayName: request.body.displayName,
        now: now(),
      })
      await store.workspaces.addMember({
        workspaceId: workspace.id,
        userId: request.principal!.user.id,
        role: 'owner',
        now: now(),
      })
      return present(workspace)
    },
  )

  app.get<{ Params: Static<typeof WorkspaceParams> }>(
    '/api/v1/workspaces/:workspace/projects',
    {
      config: { permission: 'workspace:read' },
      schema: {
        summary: 'Projects of a workspace',
        tags: ['projects'],
        params: WorkspaceParams,
        response: { 200: Type.Object({ projects: Type.Array(ProjectBody) }) },
      },
    },
    async (request) => {
      const { workspace } = request.workspace!
      // Private projects the caller has no role in stay unlisted, as they answer 404.
      const visible = await visibleProjects(
        store,
        request.principal,
        await store.projects.list(workspace.id),
      )
      return { projects: visible.map(({ project }) => presentProject(project)) }
    },
  )

  app.post<{ Params: Static<typeof WorkspaceParams>; Body: Static<typeof CreateProject> }>(
    '/api/v1/workspaces/:workspace/projects',
    {
      config: { permission: 'workspace:read' },
      schema: {
        summary: 'Create a project',
        tags: ['projects'],
        params: WorkspaceParams,
        body: CreateProject,
        response: { 200: ProjectBody },
      },
    },
    async (request) => {
      const { workspace } = request.workspace!
      const { name, key, description, visibility } = request.body
      const project = await store.projects.create({
        workspaceId: workspace.id,
        name,
        key: key ?? suggestProjectKey(name),
        description,
        visibility,
        owner: request.principal!.user.username,
        now: now(),
      })
      return presentProject(project)
    },
  )
}
