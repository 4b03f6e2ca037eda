import type { ProjectRef } from '../api/nereid-api.js'
import type { FieldWire } from '../api/wire-types.js'
import { formatDateTime } from '../runs-table/core/format-value.js'
import { FilesTab } from './files-tab.js'

/** Where the run came from: git state (commit, branch, uncommitted changes) and the source files. */
export function SourceTab({
  projectRef,
  object,
  fields,
}: {
  projectRef: ProjectRef
  object: string
  fields: FieldWire[]
}) {
  const git = fields.filter((field) => field.type === 'gitRef')
  const hasSource = fields.some(
    (field) =>
      field.path.startsWith('source_code/') && (field.type === 'file' || field.type === 'fileSet'),
  )
  return (
    <div>
      {git.length === 0 && !hasSource && (
        <div className="page muted">No source code or git state was recorded for this object.</div>
      )}
      {git.map((field) => {
        const value = field.value as Record<string, unknown>
        return (
          <div key={field.path} className="page">
            <h2 className="mono">{field.path}</h2>
            <table className="simple" style={{ maxWidth: 800 }}>
              <tbody>
                <tr>
                  <th style={{ position: 'static', width: 140 }}>Commit</th>
                  <td className="mono">{String(value.commitId ?? '')}</td>
                </tr>
                {value.branch !== undefined && (
                  <tr>
                    <th style={{ position: 'static' }}>Branch</th>
                    <td>{String(value.branch)}</td>
                  </tr>
                )}
                <tr>
                  <th style={{ position: 'static' }}>Uncommitted changes</th>
                  <td>{value.dirty ? 'yes' : 'no'}</td>
                </tr>
                {value.message !== undefined && (
                  <tr>
                    <th style={{ position: 'static' }}>Message</th>
                    <td>
                      <pre>{String(value.message)}</pre>
                    </td>
                  </tr>
                )}
                {value.authorName !== undefined && (
                  <tr>
                    <th style={{ position: 'static' }}>Author</th>
                    <td>
                      {String(value.authorName)}{' '}
                      {value.authorEmail ? `<${String(value.authorEmail)}>` : ''}
                    </td>
                  </tr>
                )}
                {typeof value.commitDate === 'string' && (
                  <tr>
                    <th style={{ position: 'static' }}>Date</th>
                    <td>{formatDateTime(Date.parse(value.commitDate))}</td>
                  </tr>
                )}
                {Array.isArray(value.remotes) && value.remotes.length > 0 && (
                  <tr>
                    <th style={{ position: 'static' }}>Remotes</th>
                    <td className="mono">{(value.remotes as string[]).join(', ')}</td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
        )
      })}
      {hasSource && (
        <FilesTab projectRef={projectRef} object={object} fields={fields} prefix="source_code/" />
      )}
    </div>
  )
}
