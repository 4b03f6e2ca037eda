import { formatQuery, type NqlExpr } from '@nereid/core'
import { useQuery } from '@tanstack/react-query'
import { useMemo } from 'react'
import { useApi } from '../app-context.js'
import type { ProjectRef } from '../api/nereid-api.js'
import type { WidgetWire } from '../api/wire-types.js'
import { assignRunColors } from '../charts/core/run-colors.js'
import type { XAxisMode } from '../charts/core/x-axis.js'
import { MetricChart } from '../charts/metric-chart.js'
import { FilePreview } from '../components/file-preview.js'
import { MarkdownView } from '../components/markdown-view.js'
import { QueryState } from '../components/query-state.js'
import { ImagesTab } from '../object-details/images-tab.js'
import { cellContent, cellText, formatNumber } from '../runs-table/core/format-value.js'
import { floatFromWire } from '../charts/core/wire-floats.js'
import { useWidgetRuns } from './widget-runs.js'

type Config = Record<string, unknown>
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [])

/** The content of one dashboard widget, by kind. */
export function WidgetView({
  projectRef,
  widget,
  height,
}: {
  projectRef: ProjectRef
  widget: WidgetWire
  height: number
}) {
  const config = widget.config as Config
  switch (widget.kind) {
    case 'markdown':
      return <MarkdownView text={String(config.text ?? '')} />
    case 'lineChart':
      return <LineChartWidget projectRef={projectRef} config={config} height={height} />
    case 'singleValue':
      return <SingleValueWidget projectRef={projectRef} config={config} />
    case 'parameterTable':
      return <ParameterTableWidget projectRef={projectRef} config={config} />
    case 'fileContent':
      return <FileWidget projectRef={projectRef} config={config} />
    case 'imageGallery':
      return <GalleryWidget projectRef={projectRef} config={config} />
  }
}

function LineChartWidget({
  projectRef,
  config,
  height,
}: {
  projectRef: ProjectRef
  config: Config
  height: number
}) {
  const runs = useWidgetRuns(projectRef, {
    runs: strings(config.runs),
    query: typeof config.query === 'string' ? config.query : '',
    maxRuns: Number(config.maxRuns ?? 10),
  })
  const series = strings(config.series)
  const colors = useMemo(
    () => assignRunColors((runs.data ?? []).map((run) => run.shortId)),
    [runs.data],
  )
  return (
    <QueryState query={runs} label="Finding runs…">
      {(list) =>
        list.length === 0 ? (
          <div className="muted small">No run matches this widget's runs or query.</div>
        ) : (
          <MetricChart
            projectRef={projectRef}
            height={Math.max(120, height - 60)}
            settings={{
              mode: (config.xAxis as XAxisMode) ?? 'step',
              smoothing: Number(config.smoothing ?? 0),
              logScale: config.logScale === true,
            }}
            lines={list.flatMap((run) =>
              series.map((path) => ({
                key: `${run.id}\n${path}`,
                object: run.id,
                path,
                label:
                  series.length > 1
                    ? `${run.shortId} ${path}`
                    : `${run.shortId} ${run.name}`.trim(),
                color: colors.get(run.shortId)!,
                start: Date.parse(run.createdAt),
              })),
            )}
          />
        )
      }
    </QueryState>
  )
}

function SingleValueWidget({ projectRef, config }: { projectRef: ProjectRef; config: Config }) {
  const api = useApi()
  const run = String(config.run ?? '')
  const path = String(config.path ?? '')
  const fields = useQuery({
    queryKey: ['object-fields', projectRef, run],
    queryFn: ({ signal }) => api.objects.fields(projectRef, run, signal),
  })
  const aggregate = String(config.aggregate ?? 'last')
  return (
    <QueryState query={fields}>
      {(data) => {
        const field = data.fields.find((f) => f.path === path)
        if (!field)
          return (
            <div className="muted small">
              {run} has no field {path}.
            </div>
          )
        const text =
          field.type === 'floatSeries'
            ? formatNumber(floatFromWire(field.value[aggregate] ?? field.value.last))
            : cellText(cellContent(field, Date.now()))
        return (
          <div>
            <div className="single-value">{text}</div>
            <div className="small muted">
              {field.type === 'floatSeries' ? `${aggregate} of ` : ''}
              {path} · {run}
            </div>
          </div>
        )
      }}
    </QueryState>
  )
}

function ParameterTableWidget({ projectRef, config }: { projectRef: ProjectRef; config: Config }) {
  const api = useApi()
  const runs = useWidgetRuns(projectRef, {
    runs: strings(config.runs),
    query: typeof config.query === 'string' ? config.query : '',
    maxRuns: Number(config.maxRuns ?? 10),
  })
  const columns = strings(config.paths)
  const ids = (runs.data ?? []).map((run) => run.shortId)
  const rows = useQuery({
    queryKey: ['widget-table', projectRef, ids, columns],
    enabled: runs.isSuccess,
    queryFn: () =>
      api.search.query(projectRef, {
        kinds: ['run'],
        query: ids.length > 0 ? idsQuery(ids) : undefined,
        columns,
        limit: ids.length || 1,
      }),
  })
  return (
    <QueryState query={rows}>
      {(data) => (
        <table className="simple small">
          <thead>
            <tr>
              <th>Run</th>
              {columns.map((path) => (
                <th key={path}>{path}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.rows.map((row) => (
              <tr key={row.object.id}>
                <td className="mono">{row.object.shortId}</td>
                {columns.map((path) => (
                  <td key={path}>
                    {cellText(
                      cellContent(
                        row.fields.find((f) => f.path === path),
                        Date.now(),
                      ),
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </QueryState>
  )
}

function FileWidget({ projectRef, config }: { projectRef: ProjectRef; config: Config }) {
  const api = useApi()
  const run = String(config.run ?? '')
  const path = String(config.path ?? '')
  const fields = useQuery({
    queryKey: ['object-fields', projectRef, run],
    queryFn: ({ signal }) => api.objects.fields(projectRef, run, signal),
  })
  return (
    <QueryState query={fields}>
      {(data) => {
        const field = data.fields.find((f) => f.path === path)
        if (field?.type !== 'file' && !(field?.type === 'fileSet' && config.file)) {
          return (
            <div className="muted small">
              {run} has no file at {path}.
            </div>
          )
        }
        return (
          <FilePreview
            projectRef={projectRef}
            target={{
              object: run,
              path,
              ...(config.file ? { file: String(config.file) } : {}),
              name: String(config.file ?? field.value.name ?? path),
              size: Number(field.value.size ?? 0),
              contentType: String(field.value.contentType ?? ''),
            }}
          />
        )
      }}
    </QueryState>
  )
}

function GalleryWidget({ projectRef, config }: { projectRef: ProjectRef; config: Config }) {
  const api = useApi()
  const run = String(config.run ?? '')
  const path = String(config.path ?? '')
  const fields = useQuery({
    queryKey: ['object-fields', projectRef, run],
    queryFn: ({ signal }) => api.objects.fields(projectRef, run, signal),
  })
  return (
    <QueryState query={fields}>
      {(data) => (
        <ImagesTab
          projectRef={projectRef}
          object={run}
          fields={data.fields.filter((field) => field.path === path && field.type === 'fileSeries')}
        />
      )}
    </QueryState>
  )
}

/** NQL selecting these runs by readable id. */
function idsQuery(ids: string[]): string {
  const items: NqlExpr[] = ids.map((id) => ({
    kind: 'condition',
    field: { path: 'sys/id', type: 'string' },
    operator: '=',
    value: { kind: 'string', value: id },
    position: 0,
  }))
  return formatQuery(items.length === 1 ? items[0]! : { kind: 'or', items })
}
