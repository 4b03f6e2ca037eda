import { useQuery } from '@tanstack/react-query'
import { useEffect, useMemo, useState } from 'react'
import { useApi } from '../app-context.js'
import type { ProjectRef } from '../api/nereid-api.js'
import { parseCsv } from '../files/core/csv.js'
import { prettyJson, previewKind, type PreviewKind } from '../files/core/preview-kind.js'
import { formatBytes } from '../runs-table/core/format-value.js'
import { ErrorMessage } from './error-message.js'
import { ProgressBar } from './progress.js'

export interface FileTarget {
  object: string
  path: string
  /** A file of a file set. */
  file?: string
  /** A point of a file series. */
  index?: number
  name: string
  size: number
  contentType?: string
}

/**
 * Shows a file: images drawn, CSV as a table, JSON pretty-printed, HTML rendered in a sandboxed
 * frame (no scripts, no access to the app), other text as text; anything else is offered for
 * download. The bytes are read with the app's credentials and shown from a blob: URL.
 */
export function FilePreview({
  projectRef,
  target,
}: {
  projectRef: ProjectRef
  target: FileTarget
}) {
  const kind = previewKind(target.name, target.contentType, target.size)
  const [progress, setProgress] = useState<number | null>(null)
  const api = useApi()
  const blob = useQuery({
    queryKey: ['file', projectRef, target.object, target.path, target.file, target.index],
    queryFn: ({ signal }) =>
      api.files.download(
        projectRef,
        target.object,
        {
          path: target.path,
          ...(target.file !== undefined ? { file: target.file } : {}),
          ...(target.index !== undefined ? { index: target.index } : {}),
        },
        { signal, onProgress: ({ loaded, total }) => setProgress(total ? loaded / total : null) },
      ),
    enabled: kind !== 'none',
    staleTime: Infinity,
  })
  return (
    <div className="preview" data-preview={kind}>
      <div className="row small" style={{ marginBottom: 6 }}>
        <strong className="grow ellipsis">{target.file ?? target.name}</strong>
        <span className="muted">{formatBytes(target.size)}</span>
        <DownloadButton projectRef={projectRef} target={target} />
      </div>
      {kind === 'none' && (
        <div className="muted small">
          No preview for this kind of file{target.size > 0 ? ` (${formatBytes(target.size)})` : ''};
          download it to open it.
        </div>
      )}
      {blob.isPending && kind !== 'none' && (
        <ProgressBar fraction={progress} label="Reading the file…" />
      )}
      {blob.isError && <ErrorMessage error={blob.error} retry={() => void blob.refetch()} />}
      {blob.data && (
        <PreviewBody
          kind={kind}
          blob={blob.data}
          id={[target.object, target.path, target.file ?? '', target.index ?? ''].join('\n')}
        />
      )}
    </div>
  )
}

function PreviewBody({ kind, blob, id }: { kind: PreviewKind; blob: Blob; id: string }) {
  const url = useMemo(() => (kind === 'image' ? URL.createObjectURL(blob) : null), [kind, blob])
  useEffect(() => () => void (url && URL.revokeObjectURL(url)), [url])
  const text = useQuery({
    // Keyed by the file, not the Blob: query keys are compared as JSON, and every Blob is {}.
    queryKey: ['file-text', id, blob.size],
    queryFn: () => blob.text(),
    enabled: kind !== 'image',
    staleTime: Infinity,
  })
  if (kind === 'image') return <img src={url!} alt="" />
  if (!text.data) return null
  switch (kind) {
    case 'csv': {
      const { rows, truncated } = parseCsv(text.data, 1000)
      const [head, ...body] = rows
      return (
        <div>
          <table className="simple" data-testid="csv-table">
            <thead>
              <tr>
                {head?.map((cell, i) => (
                  <th key={i}>{cell}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {body.map((row, r) => (
                <tr key={r}>
                  {row.map((cell, c) => (
                    <td key={c}>{cell}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {truncated && (
            <div className="small muted">
              The first 1,000 rows are shown; download the file for the rest.
            </div>
          )}
        </div>
      )
    }
    case 'json':
      return <pre>{prettyJson(text.data).text}</pre>
    case 'html':
      return <iframe sandbox="" srcDoc={text.data} title="HTML preview (scripts disabled)" />
    default:
      return <pre>{text.data}</pre>
  }
}

/** Downloads through fetch (so token sign-in works too), showing progress for large files. */
export function DownloadButton({
  projectRef,
  target,
  zip = false,
  label,
}: {
  projectRef: ProjectRef
  target: FileTarget
  zip?: boolean
  label?: string
}) {
  const api = useApi()
  const [progress, setProgress] = useState<{ loaded: number; total: number | null } | null>(null)
  const [error, setError] = useState<unknown>(null)
  const download = async () => {
    setError(null)
    setProgress({ loaded: 0, total: null })
    try {
      const options = { onProgress: setProgress }
      const blob = zip
        ? await api.files.zip(projectRef, target.object, target.path, options)
        : await api.files.download(
            projectRef,
            target.object,
            {
              path: target.path,
              ...(target.file !== undefined ? { file: target.file } : {}),
              ...(target.index !== undefined ? { index: target.index } : {}),
            },
            options,
          )
      const url = URL.createObjectURL(blob)
      const anchor = document.createElement('a')
      anchor.href = url
      anchor.download = zip ? `${target.name}.zip` : (target.file?.split('/').pop() ?? target.name)
      anchor.click()
      setTimeout(() => URL.revokeObjectURL(url), 10_000)
    } catch (failure) {
      setError(failure)
    } finally {
      setProgress(null)
    }
  }
  return (
    <span className="row">
      <button onClick={download} disabled={progress !== null}>
        {progress
          ? `Downloading ${formatBytes(progress.loaded)}${progress.total ? ` of ${formatBytes(progress.total)}` : ''}`
          : (label ?? 'Download')}
      </button>
      {error !== null && <ErrorMessage error={error} />}
    </span>
  )
}
