import { useQueries } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import { useApi, useSearchParams } from '../app-context.js'
import type { FieldWire, ObjectInfo } from '../api/wire-types.js'
import { ChartControls } from '../charts/chart-controls.js'
import { assignRunColors } from '../charts/core/run-colors.js'
import { LazyMount } from '../charts/lazy-mount.js'
import { MetricChart, type ChartSettings } from '../charts/metric-chart.js'
import { compareRows } from '../compare/compare-rows.js'
import { ErrorMessage } from '../components/error-message.js'
import { Link } from '../components/link.js'
import { ProjectTabs } from '../components/project-tabs.js'
import { Spinner } from '../components/progress.js'
import { isMonitoringPath } from '../object-details/object-fields.js'
import { paths } from '../router/routes.js'
import { cellContent, cellText } from '../runs-table/core/format-value.js'

/** Selected runs overlaid on shared charts (a stable colour each), and their fields side by side. */
export default function ComparePage({
  workspace,
  project,
}: {
  workspace: string
  project: string
}) {
  const api = useApi()
  const ref = useMemo(() => ({ workspace, project }), [workspace, project])
  const [params] = useSearchParams()
  const ids = (params.get('runs') ?? '').split(',').filter(Boolean).slice(0, 50)
  const results = useQueries({
    queries: ids.map((id) => ({
      queryKey: ['compare-run', ref, id],
      queryFn: async ({ signal }: { signal: AbortSignal }) => {
        const [object, { fields }] = await Promise.all([
          api.objects.get(ref, id),
          api.objects.fields(ref, id, signal),
        ])
        return { object, fields }
      },
    })),
  })
  const [settings, setSettings] = useState<ChartSettings>({
    mode: 'step',
    smoothing: 0,
    logScale: false,
  })
  const [tab, setTab] = useState<'charts' | 'table'>('charts')
  const [onlyDiff, setOnlyDiff] = useState(false)
  const [search, setSearch] = useState('')
  const loading = results.some((result) => result.isPending)
  const loaded = results.flatMap((result) => (result.data ? [result.data] : []))
  const colors = useMemo(() => assignRunColors(ids), [ids.join(',')])
  const seriesPaths = useMemo(() => {
    const set = new Set<string>()
    for (const run of loaded)
      for (const field of run.fields)
        if (field.type === 'floatSeries' && !isMonitoringPath(field.path)) set.add(field.path)
    return [...set].sort()
  }, [loaded.map((run) => run.object.id).join(',')])
  const rows = useMemo(
    () => compareRows(loaded.map((run) => run.fields)),
    [loaded.map((r) => r.object.id).join(',')],
  )
  const needle = search.trim().toLowerCase()

  if (ids.length === 0) {
    return (
      <div>
        <ProjectTabs workspace={workspace} project={project} />
        <div className="page muted">
          Select two or more runs in the{' '}
          <Link to={paths.project(workspace, project)}>runs table</Link> and choose Compare.
        </div>
      </div>
    )
  }
  const nameOf = (run: { object: ObjectInfo; fields: FieldWire[] }) =>
    `${run.object.shortId} ${String(run.fields.find((f) => f.path === 'sys/name')?.value.value ?? '')}`.trim()

  return (
    <div>
      <ProjectTabs workspace={workspace} project={project} />
      <div className="toolbar">
        <strong>Comparing {ids.length} runs</strong>
        {loaded.map((run) => (
          <span key={run.object.id} className="row small" style={{ gap: 4 }}>
            <span
              style={{
                width: 10,
                height: 10,
                borderRadius: 5,
                background: colors.get(run.object.shortId),
                display: 'inline-block',
              }}
            />
            <Link to={paths.run(workspace, project, run.object.shortId)}>{nameOf(run)}</Link>
          </span>
        ))}
        <span className="grow" />
        <div className="tabs" style={{ border: 0, padding: 0 }} role="tablist">
          <button
            className="tab"
            role="tab"
            aria-selected={tab === 'charts'}
            onClick={() => setTab('charts')}
          >
            Charts
          </button>
          <button
            className="tab"
            role="tab"
            aria-selected={tab === 'table'}
            onClick={() => setTab('table')}
          >
            Side by side
          </button>
        </div>
      </div>
      {loading && (
        <div className="page">
          <Spinner label="Loading the runs…" />
        </div>
      )}
      {results.map((result, index) =>
        result.isError ? (
          <div key={ids[index]} className="page">
            <ErrorMessage error={result.error} />
          </div>
        ) : null,
      )}
      {tab === 'charts' ? (
        <div className="page">
          <div className="row" style={{ marginBottom: 12 }}>
            <input
              aria-label="Search charts"
              placeholder="Search series"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
            <ChartControls settings={settings} onChange={setSettings} />
          </div>
          {seriesPaths.length === 0 && loaded.length > 0 && (
            <p className="muted">These runs have no float series.</p>
          )}
          {/* Charts wait for every run: drawn as runs arrive, each would read its lines again. */}
          {!loading && (
            <div className="chart-grid">
              {seriesPaths
                .filter((path) => !needle || path.toLowerCase().includes(needle))
                .map((path) => (
                  <div key={path} className="chart-card" data-chart={path}>
                    <LazyMount minHeight={260}>
                      <MetricChart
                        projectRef={ref}
                        title={path}
                        settings={settings}
                        lines={loaded
                          .filter((run) =>
                            run.fields.some((f) => f.path === path && f.type === 'floatSeries'),
                          )
                          .map((run) => ({
                            key: run.object.id,
                            object: run.object.id,
                            path,
                            label: nameOf(run),
                            color: colors.get(run.object.shortId)!,
                            start: Date.parse(run.object.createdAt),
                          }))}
                      />
                    </LazyMount>
                  </div>
                ))}
            </div>
          )}
        </div>
      ) : (
        <div className="page">
          <div className="row" style={{ marginBottom: 8 }}>
            <input
              aria-label="Search fields"
              placeholder="Search fields"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
            <label className="row small">
              <input
                type="checkbox"
                checked={onlyDiff}
                onChange={(e) => setOnlyDiff(e.target.checked)}
              />
              Only differences ({rows.filter((row) => row.differs).length})
            </label>
          </div>
          <table className="simple" data-testid="compare-table">
            <thead>
              <tr>
                <th>Field</th>
                {loaded.map((run) => (
                  <th
                    key={run.object.id}
                    style={{ borderTop: `3px solid ${colors.get(run.object.shortId)}` }}
                  >
                    {nameOf(run)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows
                .filter(
                  (row) =>
                    (!onlyDiff || row.differs) &&
                    (!needle || row.path.toLowerCase().includes(needle)),
                )
                .map((row) => (
                  <tr key={row.path} data-differs={row.differs}>
                    <td className="mono">{row.path}</td>
                    {row.fields.map((field, i) => (
                      <td key={i} className={row.differs ? 'diff' : undefined}>
                        {field ? (
                          cellText(cellContent(field, Date.now()))
                        ) : (
                          <span className="faint">—</span>
                        )}
                      </td>
                    ))}
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}
