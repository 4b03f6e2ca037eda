import { MODEL_STAGES } from '@nereid/core'
import { useMutation } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { useApi, useServices } from '../app-context.js'
import type { ProjectRef, WireOperation } from '../api/nereid-api.js'
import type { FieldWire, ObjectInfo } from '../api/wire-types.js'
import { ErrorMessage } from '../components/error-message.js'
import { MarkdownView } from '../components/markdown-view.js'
import { formatBytes, formatDateTime, formatDuration } from '../runs-table/core/format-value.js'
import { fieldValue } from './object-fields.js'

/** What a run is at a glance, with its name, description, tags (and a version's stage) editable. */
export function OverviewTab({
  projectRef,
  object,
  fields,
  onChanged,
}: {
  projectRef: ProjectRef
  object: ObjectInfo
  fields: FieldWire[]
  onChanged(): void
}) {
  const api = useApi()
  const { toast } = useServices()
  const name = fieldValue<string>(fields, 'sys/name') ?? ''
  const description = fieldValue<string>(fields, 'sys/description') ?? ''
  const tags = (fieldValue<string[]>(fields, 'sys/tags', 'values') ?? []).slice().sort()
  const stage = fieldValue<string>(fields, 'sys/stage')
  const [draftName, setDraftName] = useState(name)
  const [draftDescription, setDraftDescription] = useState(description)
  const [newTag, setNewTag] = useState('')
  useEffect(() => setDraftName(name), [name])
  useEffect(() => setDraftDescription(description), [description])

  const write = useMutation({
    mutationFn: (operations: WireOperation[]) =>
      api.objects.write(projectRef, object.id, operations),
    onSuccess: () => {
      toast('Saved')
      onChanged()
    },
  })
  const readOnly = object.trashed
  const rows: [string, string][] = [
    ['ID', object.shortId],
    ['Owner', object.owner],
    ['State', object.state === 'active' ? 'Active' : 'Inactive'],
    ['Created', formatDateTime(Date.parse(object.createdAt))],
    ['Modified', formatDateTime(Date.parse(object.modifiedAt))],
    ['Running time', formatDuration(Number(fieldValue(fields, 'sys/running_time') ?? 0))],
    ['Size', formatBytes(object.sizeBytes)],
  ]
  if (object.customRunId) rows.push(['Custom run id', object.customRunId])
  const failed = fieldValue<boolean>(fields, 'sys/failed')
  if (failed !== undefined) rows.push(['Failed', failed ? 'yes' : 'no'])
  const hostname = fieldValue<string>(fields, 'sys/hostname')
  if (hostname) rows.push(['Host', hostname])

  return (
    <div
      className="page"
      style={{
        display: 'grid',
        gridTemplateColumns: 'minmax(320px, 1fr) minmax(260px, 360px)',
        gap: 24,
      }}
    >
      <div>
        {readOnly && (
          <div className="notice">This object is in the trash; restore it to change it.</div>
        )}
        <div className="field">
          <label htmlFor="object-name">Name</label>
          <div className="row">
            <input
              id="object-name"
              className="grow"
              value={draftName}
              disabled={readOnly}
              onChange={(event) => setDraftName(event.target.value)}
            />
            <button
              disabled={readOnly || draftName === name || write.isPending}
              onClick={() =>
                write.mutate([{ op: 'assignString', path: 'sys/name', value: draftName }])
              }
            >
              Save name
            </button>
          </div>
        </div>
        {object.kind !== 'model' && object.kind !== 'modelVersion' && (
          <div className="field">
            <label htmlFor="object-description">Description (Markdown)</label>
            <textarea
              id="object-description"
              rows={4}
              value={draftDescription}
              disabled={readOnly}
              onChange={(event) => setDraftDescription(event.target.value)}
            />
            <div className="row">
              <button
                disabled={readOnly || draftDescription === description || write.isPending}
                onClick={() =>
                  write.mutate([
                    { op: 'assignString', path: 'sys/description', value: draftDescription },
                  ])
                }
              >
                Save description
              </button>
            </div>
            {description && (
              <div className="card card-body" style={{ marginTop: 8 }}>
                <MarkdownView text={description} />
              </div>
            )}
          </div>
        )}
        <div className="field">
          <label>Tags</label>
          <div className="row" data-testid="tags">
            {tags.map((tag) => (
              <span key={tag} className="chip">
                {tag}{' '}
                {!readOnly && (
                  <button
                    className="link"
                    aria-label={`Remove tag ${tag}`}
                    onClick={() =>
                      write.mutate([{ op: 'removeStrings', path: 'sys/tags', values: [tag] }])
                    }
                  >
                    ✕
                  </button>
                )}
              </span>
            ))}
            {!readOnly && (
              <form
                className="row"
                onSubmit={(event) => {
                  event.preventDefault()
                  const tag = newTag.trim()
                  if (!tag) return
                  write.mutate([{ op: 'addStrings', path: 'sys/tags', values: [tag] }])
                  setNewTag('')
                }}
              >
                <input
                  aria-label="New tag"
                  placeholder="Add a tag"
                  value={newTag}
                  onChange={(e) => setNewTag(e.target.value)}
                />
                <button type="submit" disabled={!newTag.trim()}>
                  Add
                </button>
              </form>
            )}
          </div>
        </div>
        {object.kind === 'modelVersion' && (
          <div className="field">
            <label htmlFor="stage">Stage</label>
            <div className="row">
              <select
                id="stage"
                value={stage ?? 'none'}
                disabled={readOnly || write.isPending}
                onChange={(event) =>
                  write.mutate([
                    { op: 'assignString', path: 'sys/stage', value: event.target.value },
                  ])
                }
              >
                {MODEL_STAGES.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
              <span className="small muted">none → staging → production → archived</span>
            </div>
          </div>
        )}
        {write.isError && <ErrorMessage error={write.error} />}
      </div>
      <table className="simple" style={{ alignSelf: 'start' }}>
        <tbody>
          {rows.map(([label, value]) => (
            <tr key={label}>
              <th style={{ position: 'static', width: 120 }}>{label}</th>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
