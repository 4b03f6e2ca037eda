import { LIMITS, NereidError, parseQuery } from '@nereid/core'
import type { Dashboard, DashboardSummary } from '@nereid/store'
import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../app-deps.js'
import { ProjectParams } from '../schemas/common.js'
import { BaseRevision, DocumentId, DocumentName } from './views.js'

const MAX_WIDGETS = 100
const Path = Type.String({ minLength: 1, maxLength: LIMITS.maxPathLength })
const ObjectRef = Type.String({ minLength: 1, maxLength: 200 })
const Query = Type.String({ maxLength: LIMITS.maxQueryLength })

/** What each kind of widget needs; the web app draws it from this. */
const WIDGET_CONFIGS: Record<string, TSchema> = {
  lineChart: Type.Object(
    {
      series: Type.Array(Path, { minItems: 1, maxItems: 20 }),
      runs: Type.Optional(Type.Array(ObjectRef, { maxItems: 100 })),
      query: Type.Optional(Query),
      maxRuns: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
      xAxis: Type.Optional(
        Type.Union([Type.Literal('step'), Type.Literal('time'), Type.Literal('relative')]),
      ),
      logScale: Type.Optional(Type.Boolean()),
      smoothing: Type.Optional(Type.Number({ minimum: 0, maximum: 0.999 })),
    },
    { additionalProperties: false },
  ),
  singleValue: Type.Object(
    {
      run: ObjectRef,
      path: Path,
      aggregate: Type.Optional(
        Type.Union([
          Type.Literal('last'),
          Type.Literal('min'),
          Type.Literal('max'),
          Type.Literal('mean'),
        ]),
      ),
    },
    { additionalProperties: false },
  ),
  parameterTable: Type.Object(
    {
      paths: Type.Array(Path, { minItems: 1, maxItems: 50 }),
      runs: Type.Optional(Type.Array(ObjectRef, { maxItems: 100 })),
      query: Type.Optional(Query),
      maxRuns: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    },
    { additionalProperties: false },
  ),
  fileContent: Type.Object(
    { run: ObjectRef, path: Path, file: Type.Optional(Type.String({ maxLength: 1024 })) },
    { additionalProperties: false },
  ),
  imageGallery: Type.Object({ run: ObjectRef, path: Path }, { additionalProperties: false }),
  markdown: Type.Object(
    { text: Type.String({ maxLength: 100_000 }) },
    { additionalProperties: false },
  ),
}
const WIDGET_KINDS = Object.keys(WIDGET_CONFIGS)

const Widget = Type.Object(
  {
    id: DocumentId,
    kind: Type.Union(WIDGET_KINDS.map((kind) => Type.Literal(kind))),
    title: Type.String({ maxLength: 200 }),
    layout: Type.Object(
      {
        x: Type.Integer({ minimum: 0, maximum: 11 }),
        y: Type.Integer({ minimum: 0, maximum: 10_000 }),
        w: Type.Integer({ minimum: 1, maximum: 12 }),
        h: Type.Integer({ minimum: 1, maximum: 100 }),
      },
      { additionalProperties: false, description: 'Position on a 12-column grid' },
    ),
    config: Type.Record(Type.String(), Type.Unknown(), {
      description:
        'By kind: lineChart {series, runs?|query?, maxRuns?, xAxis?, logScale?, smoothing?}; singleValue {run, path, aggregate?}; ' +
        'parameterTable {paths, runs?|query?, maxRuns?}; fileContent {run, path, file?}; imageGallery {run, path}; markdown {text}',
    }),
  },
  { additionalProperties: false },
)

const DashboardParams = Type.Object({
  workspace: Type.String(),
  project: Type.String(),
  dashboard: DocumentId,
})
type DashboardParams = Static<typeof DashboardParams>

const PutDashboard = Type.Object(
  {
    name: DocumentName,
    widgets: Type.Array(Widget, { maxItems: MAX_WIDGETS }),
    baseRevision: BaseRevision,
  },
  { additionalProperties: false },
)

const SummaryFields = {
  id: Type.String(),
  name: Type.String(),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  revision: Type.Integer(),
}
const DashboardBody = Type.Object({ ...SummaryFields, widgets: Type.Array(Widget) })
const SummaryBody = Type.Object({ ...SummaryFields, widgetCount: Type.Integer() })

function presentSummary(dashboard: Omit<DashboardSummary, 'widgetCount'>) {
  return {
    id: dashboard.id,
    name: dashboard.name,
    createdBy: dashboard.createdBy,
    createdAt: new Date(dashboard.createdAt).toISOString(),
    updatedAt: new Date(dashboard.updatedAt).toISOString(),
    revision: dashboard.revision,
  }
}

function presentDashboard(dashboard: Dashboard) {
  return { ...presentSummary(dashboard), widgets: dashboard.widgets }
}

/** Dashboards of a project: named widgets on a grid, saved on the server, shared by URL. */
export async function dashboardRoutes(
  app: FastifyInstance,
  { store, now }: AppDeps,
): Promise<void> {
  app.get<{ Params: Static<typeof ProjectParams> }>(
    '/api/v1/projects/:workspace/:project/dashboards',
    {
      config: { permission: 'project:read' },
      schema: {
        summary: 'Dashboards of the project, by name, without their widgets',
        tags: ['dashboards'],
        params: ProjectParams,
        response: { 200: Type.Object({ dashboards: Type.Array(SummaryBody) }) },
      },
    },
    async (request) => ({
      dashboards: (await store.dashboards.list(request.project!.id)).map((summary) => ({
        ...presentSummary(summary),
        widgetCount: summary.widgetCount,
      })),
    }),
  )

  app.get<{ Params: DashboardParams }>(
    '/api/v1/projects/:workspace/:project/dashboards/:dashboard',
    {
      config: { permission: 'project:read' },
      schema: {
        summary: 'A dashboard with its widgets',
        tags: ['dashboards'],
        params: DashboardParams,
        response: { 200: DashboardBody },
      },
    },
    async (request) => {
      const dashboard = await store.dashboards.get(request.project!.id, request.params.dashboard)
      if (!dashboard) {
        throw new NereidError(
          'DASHBOARD_NOT_FOUND',
          `dashboard "${request.params.dashboard}" not found in this project`,
          { dashboard: request.params.dashboard },
        )
      }
      return presentDashboard(dashboard)
    },
  )

  app.put<{ Params: DashboardParams; Body: Static<typeof PutDashboard> }>(
    '/api/v1/projects/:workspace/:project/dashboards/:dashboard',
    {
      config: { permission: 'project:write' },
      schema: {
        summary: 'Create or replace a dashboard',
        description:
          'The id is chosen by the client, so a retried create is applied once; writing what is stored changes nothing. ' +
          'With `baseRevision`, a dashboard changed meanwhile answers 409 REVISION_CONFLICT.',
        tags: ['dashboards'],
        params: DashboardParams,
        body: PutDashboard,
        response: { 200: Type.Object({ dashboard: DashboardBody, created: Type.Boolean() }) },
      },
    },
    async (request) => {
      const { name, widgets, baseRevision } = request.body
      checkWidgets(widgets)
      const { dashboard, created } = await store.dashboards.put({
        projectId: request.project!.id,
        id: request.params.dashboard,
        name: name.trim(),
        widgets,
        author: request.principal!.user.username,
        now: now(),
        ...(baseRevision !== undefined ? { baseRevision } : {}),
      })
      return { dashboard: presentDashboard(dashboard), created }
    },
  )

  app.delete<{ Params: DashboardParams }>(
    '/api/v1/projects/:workspace/:project/dashboards/:dashboard',
    {
      config: { permission: 'project:write' },
      schema: {
        summary: 'Delete a dashboard',
        description: '`deleted` is false when there was no such dashboard (a retried delete).',
        tags: ['dashboards'],
        params: DashboardParams,
        response: { 200: Type.Object({ deleted: Type.Boolean() }) },
      },
    },
    async (request) => ({
      deleted: await store.dashboards.delete(request.project!.id, request.params.dashboard),
    }),
  )
}

/** Checks each widget's configuration against its kind, naming the first problem exactly. */
function checkWidgets(widgets: Static<typeof Widget>[]): void {
  const ids = new Set<string>()
  widgets.forEach((widget, index) => {
    const at = `body.widgets.${index}`
    if (ids.has(widget.id)) {
      throw new NereidError('VALIDATION_FAILED', `${at}.id "${widget.id}" is used twice`, {
        field: `${at}.id`,
      })
    }
    ids.add(widget.id)
    if (widget.layout.x + widget.layout.w > 12) {
      throw new NereidError(
        'VALIDATION_FAILED',
        `${at}.layout reaches past the 12th column (x ${widget.layout.x} + w ${widget.layout.w})`,
        { field: `${at}.layout` },
      )
    }
    const schema = WIDGET_CONFIGS[widget.kind]!
    const error = Value.Errors(schema, widget.config).First()
    if (error) {
      const field = `${at}.config${error.path.replaceAll('/', '.')}`
      throw new NereidError(
        'VALIDATION_FAILED',
        `${field} ${error.message.toLowerCase()} (${widget.kind} widget "${widget.title}")`,
        { field, kind: widget.kind },
      )
    }
    const query = (widget.config as { query?: unknown }).query
    if (typeof query === 'string' && query.trim() !== '') parseQuery(query)
  })
}
