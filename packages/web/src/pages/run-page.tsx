import { useMemo } from 'react'
import { Link } from '../components/link.js'
import { ProjectTabs } from '../components/project-tabs.js'
import { ObjectView } from '../object-details/object-view.js'
import { paths } from '../router/routes.js'

/** A run's page (and a model version's, under its model). */
export default function RunPage({
  workspace,
  project,
  object,
  tab,
  model,
}: {
  workspace: string
  project: string
  object: string
  tab: string | null
  model?: string
}) {
  const ref = useMemo(() => ({ workspace, project }), [workspace, project])
  return (
    <div>
      <ProjectTabs workspace={workspace} project={project} />
      <ObjectView
        projectRef={ref}
        objectRef={object}
        tab={tab}
        tabPath={(id) =>
          model
            ? paths.modelVersion(workspace, project, model, object, id)
            : paths.run(workspace, project, object, id)
        }
        heading={
          <div className="small">
            {model ? (
              <>
                <Link to={paths.models(workspace, project)}>Models</Link> /{' '}
                <Link to={paths.model(workspace, project, model)}>{model}</Link> /
              </>
            ) : (
              <Link to={paths.project(workspace, project)}>← Runs</Link>
            )}
          </div>
        }
      />
    </div>
  )
}
