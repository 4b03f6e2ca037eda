import { useState } from 'react'
import type { ProjectRef } from '../api/nereid-api.js'
import type { FieldWire } from '../api/wire-types.js'
import { FilePreview } from '../components/file-preview.js'
import { FileSetBrowser } from '../components/file-set-browser.js'
import { formatBytes } from '../runs-table/core/format-value.js'

/** The object's files and file sets, with previews. */
export function FilesTab({
  projectRef,
  object,
  fields,
  prefix,
}: {
  projectRef: ProjectRef
  object: string
  fields: FieldWire[]
  /** Only files under this namespace (source code). */
  prefix?: string
}) {
  const files = fields.filter(
    (field) =>
      (field.type === 'file' || field.type === 'fileSet') &&
      (!prefix || field.path.startsWith(prefix)),
  )
  const [open, setOpen] = useState<FieldWire | null>(files[0] ?? null)
  if (files.length === 0)
    return <div className="page muted">No files were uploaded to this object.</div>
  return (
    <div className="page split">
      <div>
        {files.map((field) => (
          <div
            key={field.path}
            className="tree-row"
            style={{ background: open?.path === field.path ? 'var(--bg-selected)' : undefined }}
            data-file={field.path}
          >
            <span
              className="path grow"
              role="button"
              tabIndex={0}
              onClick={() => setOpen(field)}
              onKeyDown={(e) => e.key === 'Enter' && setOpen(field)}
            >
              {field.type === 'fileSet' ? '📁' : '📄'} {field.path}
            </span>
            <span className="type">
              {field.type === 'fileSet'
                ? `${Number(field.value.fileCount ?? 0)} files`
                : formatBytes(Number(field.value.size ?? 0))}
            </span>
          </div>
        ))}
      </div>
      <div>
        {open?.type === 'file' && (
          <FilePreview
            key={open.path}
            projectRef={projectRef}
            target={{
              object,
              path: open.path,
              name: String(open.value.name ?? open.path),
              size: Number(open.value.size ?? 0),
              contentType: String(open.value.contentType ?? ''),
            }}
          />
        )}
        {open?.type === 'fileSet' && (
          <FileSetBrowser
            key={open.path}
            projectRef={projectRef}
            object={object}
            path={open.path}
          />
        )}
      </div>
    </div>
  )
}
