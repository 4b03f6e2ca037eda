import { useQuery, useQueryClient } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { useApi } from '../app-context.js'
import type { ProjectRef } from '../api/nereid-api.js'
import { Link } from '../components/link.js'
import { QueryState } from '../components/query-state.js'
import { ChartsTab } from './charts-tab.js'
import { FilesTab } from './files-tab.js'
import { ImagesTab } from './images-tab.js'
import { LogsTab } from './logs-tab.js'
import { MetadataTree } from './metadata-tree.js'
import { OverviewTab } from './overview-tab.js'
import { SourceTab } from './source-tab.js'

const TABS = [
  ['overview', 'Overview'],
  ['metadata', 'All metadata'],
  ['charts', 'Charts'],
  ['logs', 'Logs'],
  ['files', 'Files'],
  ['images', 'Images'],
  ['source', 'Source code'],
  ['monitoring', 'Monitoring'],
] as const

/**
 * One object (run, model version, the project's own metadata) with its tabs. Polls while the
 * object is active so a running run's page stays current.
 */
export function ObjectView({
  projectRef,
  objectRef,
  tab,
  tabPath,
  heading,
}: {
  projectRef: ProjectRef
  objectRef: string
  tab: string | null
  tabPath(tab: string): string
  heading?: ReactNode
}) {
  const api = useApi()
  const queryClient = useQueryClient()
  const object = useQuery({
    queryKey: ['object', projectRef, objectRef],
    queryFn: () => api.objects.get(projectRef, objectRef),
    refetchInterval: (query) => (query.state.data?.state === 'active' ? 5000 : false),
  })
  const fields = useQuery({
    queryKey: ['object-fields', projectRef, objectRef],
    queryFn: ({ signal }) => api.objects.fields(projectRef, objectRef, signal),
    refetchInterval: () => (object.data?.state === 'active' ? 5000 : false),
  })
  const current = TABS.some(([id]) => id === tab) ? tab! : 'overview'
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['object', projectRef, objectRef] })
    void queryClient.invalidateQueries({ queryKey: ['object-fields', projectRef, objectRef] })
  }
  return (
    <QueryState query={object} label="Loading…">
      {(info) => (
        <div>
          <div className="page" style={{ paddingBottom: 0 }}>
            {heading}
            <h1 className="row">
              <span className="mono">{info.shortId}</span>
              <span className="muted">
                {String(fields.data?.fields.find((f) => f.path === 'sys/name')?.value.value ?? '')}
              </span>
              {info.state === 'active' && <span className="state-active small">● running</span>}
              {info.trashed && <span className="badge">in trash</span>}
            </h1>
          </div>
          <nav className="tabs" aria-label="Object sections">
            {TABS.map(([id, label]) => (
              <Link key={id} to={tabPath(id)} aria-current={id === current ? 'page' : undefined}>
                {label}
              </Link>
            ))}
          </nav>
          <QueryState query={fields} label="Loading fields…">
            {({ fields: list }) => {
              switch (current) {
                case 'metadata':
                  return <MetadataTree projectRef={projectRef} object={info.id} fields={list} />
                case 'charts':
                  return <ChartsTab projectRef={projectRef} object={info} fields={list} />
                case 'monitoring':
                  return (
                    <ChartsTab projectRef={projectRef} object={info} fields={list} monitoring />
                  )
                case 'logs':
                  return <LogsTab projectRef={projectRef} object={info.id} fields={list} />
                case 'files':
                  return <FilesTab projectRef={projectRef} object={info.id} fields={list} />
                case 'images':
                  return <ImagesTab projectRef={projectRef} object={info.id} fields={list} />
                case 'source':
                  return <SourceTab projectRef={projectRef} object={info.id} fields={list} />
                default:
                  return (
                    <OverviewTab
                      projectRef={projectRef}
                      object={info}
                      fields={list}
                      onChanged={refresh}
                    />
                  )
              }
            }}
          </QueryState>
        </div>
      )}
    </QueryState>
  )
}
