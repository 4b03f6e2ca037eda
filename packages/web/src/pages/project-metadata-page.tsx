import { useQuery } from '@tanstack/react-query'
import { useMemo } from 'react'
import { useApi } from '../app-context.js'
import { ProjectTabs } from '../components/project-tabs.js'
import { QueryState } from '../components/query-state.js'
import { ObjectView } from '../object-details/object-view.js'
import { paths } from '../router/routes.js'

/** The project's own metadata object (what `init_project` writes), with the same tabs as a run. */
export default function ProjectMetadataPage({
  workspace,
  project,
  tab,
}: {
  workspace: string
  project: string
  tab: string | null
}) {
  const api = useApi()
  const ref = useMemo(() => ({ workspace, project }), [workspace, project])
  const info = useQuery({
    queryKey: ['project', workspace, project],
    queryFn: () => api.projects.get(ref),
  })
  return (
    <div>
      <ProjectTabs workspace={workspace} project={project} />
      <QueryState query={info}>
        {(data) => (
          <ObjectView
            projectRef={ref}
            objectRef={data.metadataObjectId}
            tab={tab ?? 'metadata'}
            tabPath={(id) => paths.projectMetadata(workspace, project, id)}
            heading={
              <p className="small muted">
                {data.description || 'Metadata logged on the project itself.'}
              </p>
            }
          />
        )}
      </QueryState>
    </div>
  )
}
