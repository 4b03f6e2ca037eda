import { useMemo, useState } from 'react'
import type { ProjectRef } from '../api/nereid-api.js'
import type { FieldWire } from '../api/wire-types.js'
import { CopyButton } from '../components/copy-button.js'
import { FilePreview, type FileTarget } from '../components/file-preview.js'
import { FileSetBrowser } from '../components/file-set-browser.js'
import { cellContent, cellText } from '../runs-table/core/format-value.js'

interface Namespace {
  name: string
  path: string
  fields: FieldWire[]
  children: Map<string, Namespace>
}

function buildTree(fields: readonly FieldWire[]): Namespace {
  const root: Namespace = { name: '', path: '', fields: [], children: new Map() }
  for (const field of fields) {
    const parts = field.path.split('/')
    let node = root
    parts.slice(0, -1).forEach((part, index) => {
      let child = node.children.get(part)
      if (!child) {
        child = {
          name: part,
          path: parts.slice(0, index + 1).join('/'),
          fields: [],
          children: new Map(),
        }
        node.children.set(part, child)
      }
      node = child
    })
    node.fields.push(field)
  }
  return root
}

/** Every field of an object as a tree: type, value, a button to copy its path; files open a preview. */
export function MetadataTree({
  projectRef,
  object,
  fields,
}: {
  projectRef: ProjectRef
  object: string
  fields: FieldWire[]
}) {
  const [search, setSearch] = useState('')
  const [open, setOpen] = useState<FieldWire | null>(null)
  const shown = useMemo(() => {
    const needle = search.trim().toLowerCase()
    return needle ? fields.filter((field) => field.path.toLowerCase().includes(needle)) : fields
  }, [fields, search])
  const tree = useMemo(() => buildTree(shown), [shown])
  const now = Date.now()
  return (
    <div
      className="page split"
      style={{ gridTemplateColumns: 'minmax(420px, 1fr) minmax(320px, 1fr)' }}
    >
      <div>
        <input
          aria-label="Search fields"
          placeholder={`Search ${fields.length} fields`}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          style={{ width: '100%', marginBottom: 8 }}
        />
        <div className="tree" role="tree">
          <Level
            node={tree}
            depth={0}
            now={now}
            onOpen={setOpen}
            forceOpen={search.trim() !== ''}
          />
        </div>
      </div>
      <div>
        {open?.type === 'file' && (
          <FilePreview
            projectRef={projectRef}
            target={
              {
                object,
                path: open.path,
                name: String(open.value.name ?? open.path),
                size: Number(open.value.size ?? 0),
                contentType: String(open.value.contentType ?? ''),
              } satisfies FileTarget
            }
          />
        )}
        {open?.type === 'fileSet' && (
          <FileSetBrowser projectRef={projectRef} object={object} path={open.path} />
        )}
        {open && open.type !== 'file' && open.type !== 'fileSet' && (
          <div className="card card-body">
            <div className="row">
              <strong className="mono grow">{open.path}</strong>
              <CopyButton text={open.path} label="Copy path" />
            </div>
            <pre className="small">{JSON.stringify(open.value, null, 2)}</pre>
          </div>
        )}
        {!open && (
          <p className="muted">Select a field to see all of its value; files open a preview.</p>
        )}
      </div>
    </div>
  )
}

function Level({
  node,
  depth,
  now,
  onOpen,
  forceOpen,
}: {
  node: Namespace
  depth: number
  now: number
  onOpen(field: FieldWire): void
  forceOpen: boolean
}) {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set())
  const toggle = (name: string) =>
    setCollapsed((current) => {
      const next = new Set(current)
      if (next.has(name)) next.delete(name)
      else next.add(name)
      return next
    })
  return (
    <>
      {[...node.children.values()]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((child) => {
          const isOpen = forceOpen || !collapsed.has(child.name)
          return (
            <div key={child.path} role="treeitem" aria-expanded={isOpen}>
              <div className="tree-row" style={{ paddingLeft: depth * 14 }}>
                <span
                  className="path"
                  role="button"
                  tabIndex={0}
                  onClick={() => toggle(child.name)}
                  onKeyDown={(e) => e.key === 'Enter' && toggle(child.name)}
                >
                  {isOpen ? '▾' : '▸'} <strong>{child.name}</strong>
                </span>
              </div>
              {isOpen && (
                <Level
                  node={child}
                  depth={depth + 1}
                  now={now}
                  onOpen={onOpen}
                  forceOpen={forceOpen}
                />
              )}
            </div>
          )
        })}
      {node.fields
        .slice()
        .sort((a, b) => a.path.localeCompare(b.path))
        .map((field) => (
          <div
            key={field.path}
            role="treeitem"
            className="tree-row"
            style={{ paddingLeft: depth * 14 + 14 }}
            data-path={field.path}
          >
            <span
              className="path"
              role="button"
              tabIndex={0}
              onClick={() => onOpen(field)}
              onKeyDown={(e) => e.key === 'Enter' && onOpen(field)}
            >
              {field.path.slice(field.path.lastIndexOf('/') + 1)}
            </span>
            <span className="type">{field.type}</span>
            <span className="val grow">{cellText(cellContent(field, now))}</span>
            <CopyButton text={field.path} label="⧉" />
          </div>
        ))}
    </>
  )
}
