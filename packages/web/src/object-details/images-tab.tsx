import { useQuery } from '@tanstack/react-query'
import { useEffect, useMemo, useState } from 'react'
import { useApi } from '../app-context.js'
import type { ProjectRef } from '../api/nereid-api.js'
import type { FieldWire, FileInfoWire } from '../api/wire-types.js'
import { QueryState } from '../components/query-state.js'

const WINDOW = 24

/** Image series as a gallery, with a slider over steps. */
export function ImagesTab({
  projectRef,
  object,
  fields,
}: {
  projectRef: ProjectRef
  object: string
  fields: FieldWire[]
}) {
  const series = fields.filter((field) => field.type === 'fileSeries')
  const [path, setPath] = useState(series[0]?.path ?? null)
  if (series.length === 0) return <div className="page muted">This object has no image series.</div>
  return (
    <div className="page">
      <select
        aria-label="Image series"
        value={path ?? ''}
        onChange={(event) => setPath(event.target.value)}
      >
        {series.map((s) => (
          <option key={s.path}>{s.path}</option>
        ))}
      </select>
      {path && (
        <Gallery
          key={path}
          projectRef={projectRef}
          object={object}
          path={path}
          count={Number(series.find((s) => s.path === path)?.value.count ?? 0)}
        />
      )}
    </div>
  )
}

function Gallery({
  projectRef,
  object,
  path,
  count,
}: {
  projectRef: ProjectRef
  object: string
  path: string
  count: number
}) {
  const api = useApi()
  const [offset, setOffset] = useState(Math.max(0, count - WINDOW))
  const page = useQuery({
    queryKey: ['image-page', projectRef, object, path, offset],
    queryFn: ({ signal }) =>
      api.series.page(projectRef, object, { path, offset, limit: WINDOW }, signal),
  })
  return (
    <div style={{ marginTop: 12 }}>
      {count > WINDOW && (
        <label className="row small" style={{ marginBottom: 8 }}>
          Steps
          <input
            type="range"
            aria-label="Step"
            min={0}
            max={Math.max(0, count - WINDOW)}
            value={offset}
            onChange={(event) => setOffset(Number(event.target.value))}
            style={{ width: 360 }}
          />
          <span className="muted">
            images {offset + 1}–{Math.min(count, offset + WINDOW)} of {count}
          </span>
        </label>
      )}
      <QueryState query={page} label="Loading images…">
        {(data) => (
          <div className="gallery">
            {(data.values as FileInfoWire[]).map((file, i) => (
              <GalleryImage
                key={offset + i}
                projectRef={projectRef}
                object={object}
                path={path}
                index={offset + i}
                step={data.steps[i]!}
                name={file.name}
              />
            ))}
          </div>
        )}
      </QueryState>
    </div>
  )
}

function GalleryImage(props: {
  projectRef: ProjectRef
  object: string
  path: string
  index: number
  step: number
  name: string
}) {
  const api = useApi()
  const blob = useQuery({
    queryKey: ['image', props.projectRef, props.object, props.path, props.index],
    queryFn: ({ signal }) =>
      api.files.download(
        props.projectRef,
        props.object,
        { path: props.path, index: props.index },
        { signal },
      ),
    staleTime: Infinity,
  })
  const url = useMemo(() => (blob.data ? URL.createObjectURL(blob.data) : null), [blob.data])
  useEffect(() => () => void (url && URL.revokeObjectURL(url)), [url])
  return (
    <figure>
      {url ? (
        <img src={url} alt={props.name} />
      ) : (
        <div style={{ height: 140 }} className="muted small">
          …
        </div>
      )}
      <figcaption className="small muted ellipsis">
        step {props.step} · {props.name}
      </figcaption>
    </figure>
  )
}
