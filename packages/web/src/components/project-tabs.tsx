import { paths } from '../router/routes.js'
import { Link } from './link.js'

/** The sections of a project. */
export function ProjectTabs({ workspace, project }: { workspace: string; project: string }) {
  const tabs: [string, string, boolean | 'exact'][] = [
    ['Runs', paths.project(workspace, project), 'exact'],
    ['Dashboards', paths.dashboards(workspace, project), true],
    ['Models', paths.models(workspace, project), true],
    ['Notebooks', paths.notebooks(workspace, project), true],
    ['Project metadata', paths.projectMetadata(workspace, project), true],
    ['Conventions', paths.conventions(workspace, project), true],
    ['Trash', paths.trash(workspace, project), true],
    ['Settings', paths.settings(workspace, project), true],
  ]
  return (
    <nav className="tabs" aria-label="Project sections">
      {tabs.map(([label, to, nav]) => (
        <Link key={label} to={to} nav={nav}>
          {label}
        </Link>
      ))}
    </nav>
  )
}
